package org.unet4j.recipes.bench;

import static com.google.common.base.Preconditions.checkArgument;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * Repeated timings of one thing, in milliseconds: wall-clock time, and the CPU time the whole
 * process spent meanwhile (every thread, TensorFlow's included). On a machine shared with other
 * work the wall time of a run grows with the load while its CPU time barely does, so rates per
 * CPU second compare runs made under different loads.
 */
public record Timings(double[] millis, double[] cpuMillis) {

  public Timings {
    checkArgument(millis.length > 0, "no timings");
    checkArgument(cpuMillis.length == millis.length, "%s wall times but %s CPU times", millis.length,
        cpuMillis.length);
    millis = millis.clone();
    cpuMillis = cpuMillis.clone();
  }

  /** The median wall time: the middle value, or the mean of the two middle values. */
  public double median() {
    return median(millis);
  }

  /**
   * The mean CPU time of the process per run. A mean, not a median: the JVM may count CPU time in
   * clock ticks (10 ms), coarser than a short run.
   */
  public double cpuMean() {
    return Arrays.stream(cpuMillis).average().orElseThrow();
  }

  public double best() {
    return Arrays.stream(millis).min().orElseThrow();
  }

  @Override
  public double[] millis() {
    return millis.clone();
  }

  @Override
  public double[] cpuMillis() {
    return cpuMillis.clone();
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** Runs {@code task} {@code warmups} times untimed, then {@code runs} times timed. */
  static Timings of(int warmups, int runs, Runnable task) {
    for (int i = 0; i < warmups; i++) {
      task.run();
    }
    double[] millis = new double[runs];
    double[] cpuMillis = new double[runs];
    for (int i = 0; i < runs; i++) {
      long cpu = processCpuNanos();
      long began = System.nanoTime();
      task.run();
      millis[i] = (System.nanoTime() - began) / 1e6;
      cpuMillis[i] = (processCpuNanos() - cpu) / 1e6;
    }
    return new Timings(millis, cpuMillis);
  }

  /** CPU time of this process so far, or 0 where the JVM does not report it. */
  private static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return Math.max(0, os.getProcessCpuTime());
    }
    return 0;
  }
}
