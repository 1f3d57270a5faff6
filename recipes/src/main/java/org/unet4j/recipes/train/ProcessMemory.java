package org.unet4j.recipes.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The resident memory of this process (native TensorFlow buffers included), read from Linux's
 * {@code /proc/self/status}; empty elsewhere. Logged with every checkpoint so that growth over a
 * long run is visible.
 */
public final class ProcessMemory {
  private static final Path STATUS = Path.of("/proc/self/status");

  private ProcessMemory() {}

  /** Current resident set size in MiB. */
  public static OptionalLong residentMb() {
    return field("VmRSS:");
  }

  /** Peak resident set size in MiB. */
  public static OptionalLong peakResidentMb() {
    return field("VmHWM:");
  }

  private static OptionalLong field(String name) {
    try {
      for (String line : Files.readAllLines(STATUS)) {
        if (line.startsWith(name)) {
          String[] parts = line.substring(name.length()).trim().split("\\s+");
          return OptionalLong.of(Long.parseLong(parts[0]) / 1024);
        }
      }
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
    return OptionalLong.empty();
  }
}
