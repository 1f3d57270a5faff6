package org.unet4j.layers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Whether TensorFlow runs its CPU ops through oneDNN in this process. TensorFlow 2.18 decides it
 * once, at start-up, from the {@code TF_ENABLE_ONEDNN_OPTS} environment variable and, when that is
 * not set, from the CPU: on Linux oneDNN is on by default exactly for CPUs with AVX-512 VNNI or
 * BF16, AVX-VNNI or AMX ({@code IsMKLEnabled} in tensorflow/core/util/util.cc). The same
 * environment and CPU therefore give the same answer here, without loading TensorFlow.
 *
 * <p>It matters for speed: with oneDNN, TensorFlow's convolution kernels are several times slower
 * than its matrix multiplications on such CPUs, without it they are as fast
 * ({@code docs/performance.md}), so the compiler's default {@link ConvolutionLowering} follows it.
 */
public final class OneDnn {
  /** The environment variable TensorFlow reads. */
  public static final String ENVIRONMENT_VARIABLE = "TF_ENABLE_ONEDNN_OPTS";

  /** The {@code /proc/cpuinfo} flags for which TensorFlow turns oneDNN on by default on Linux. */
  static final Set<String> DEFAULT_ON_FLAGS = Set.of("avx512_vnni", "avx512_bf16", "avx_vnni", "amx_tile",
      "amx_int8", "amx_bf16");

  private static final boolean ENABLED = enabled(System.getenv(ENVIRONMENT_VARIABLE), cpuFlags(),
      System.getProperty("os.name", ""));

  private OneDnn() {}

  /** Whether TensorFlow uses oneDNN in this process. */
  public static boolean enabled() {
    return ENABLED;
  }

  /**
   * TensorFlow's decision for an environment value (null when unset), the CPU's flags and the
   * operating system: a set variable wins ({@code 1}/{@code true} or {@code 0}/{@code false}, in
   * any case); otherwise on for Linux CPUs with one of {@link #DEFAULT_ON_FLAGS}.
   */
  static boolean enabled(@Nullable String environment, Set<String> flags, String os) {
    if (environment != null) {
      String value = environment.trim().toLowerCase(Locale.ROOT);
      if (value.equals("1") || value.equals("true")) {
        return true;
      }
      if (value.equals("0") || value.equals("false")) {
        return false;
      }
    }
    return os.toLowerCase(Locale.ROOT).contains("linux") && flags.stream().anyMatch(DEFAULT_ON_FLAGS::contains);
  }

  /** The flags of the first processor in {@code /proc/cpuinfo}; empty where there is none. */
  static Set<String> cpuFlags() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("flags")) {
          int colon = line.indexOf(':');
          return new HashSet<>(Arrays.asList(line.substring(colon + 1).trim().split("\\s+")));
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux, or unreadable: no flags, so oneDNN counts as off unless the variable says on.
    }
    return Set.of();
  }
}
