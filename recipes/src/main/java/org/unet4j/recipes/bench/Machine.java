package org.unet4j.recipes.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.unet4j.layers.OneDnn;

/**
 * What a benchmark ran on: the CPU model and its cores from {@code /proc/cpuinfo}, its vector
 * instruction sets, the load average, and the environment switches TensorFlow reads at start-up
 * (they must be set before the JVM starts, so they are reported, not changed).
 */
public record Machine(String cpuModel, int cores, List<String> vectorExtensions, double loadAverage,
    Map<String, String> environment) {
  /** Environment variables that change TensorFlow's CPU speed or memory. */
  static final List<String> SWITCHES = List.of(OneDnn.ENVIRONMENT_VARIABLE, "TF_CPU_ALLOCATOR_USE_BFC",
      "TF_XLA_FLAGS", "TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS", "OMP_NUM_THREADS");

  private static final Set<String> VECTOR_FLAGS = Set.of("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512bw",
      "avx512_vnni", "avx512_bf16", "avx_vnni", "amx_tile", "amx_int8", "amx_bf16");

  static Machine probe() {
    String model = "unknown CPU";
    Set<String> flags = new TreeSet<>();
    int processors = 0;
    Path cpuinfo = Path.of("/proc/cpuinfo");
    try {
      for (String line : Files.readAllLines(cpuinfo)) {
        int colon = line.indexOf(':');
        if (colon < 0) {
          continue;
        }
        String key = line.substring(0, colon).trim();
        String value = line.substring(colon + 1).trim();
        if (key.equals("processor")) {
          processors++;
        } else if (key.equals("model name") && model.equals("unknown CPU")) {
          model = value;
        } else if (key.equals("flags") && flags.isEmpty()) {
          for (String flag : value.split("\\s+")) {
            if (VECTOR_FLAGS.contains(flag)) {
              flags.add(flag);
            }
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux: fall back to what the JVM knows.
    }
    int cores = processors > 0 ? processors : Runtime.getRuntime().availableProcessors();
    Map<String, String> environment = new LinkedHashMap<>();
    for (String name : SWITCHES) {
      @Nullable String value = System.getenv(name);
      environment.put(name, value == null ? "" : value);
    }
    return new Machine(model, cores, new ArrayList<>(flags), currentLoadAverage(), environment);
  }

  /** The 1-minute load average, or -1 where the system does not report it. */
  static double currentLoadAverage() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  /** {@code AMD EPYC, 2 cores}. */
  public String cpu() {
    return cpuModel + ", " + cores + (cores == 1 ? " core" : " cores");
  }

  /** Whether TensorFlow's oneDNN kernels are on ({@link OneDnn#enabled()}). */
  public boolean oneDnn() {
    return OneDnn.enabled();
  }
}
