package org.unet4j.recipes.bench;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Arrays;

/** Repeated wall-clock timings of one thing, in milliseconds. */
public record Timings(double[] millis) {

  public Timings {
    checkArgument(millis.length > 0, "no timings");
    millis = millis.clone();
  }

  /** The median: the middle value, or the mean of the two middle values. */
  public double median() {
    double[] sorted = millis.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  public double best() {
    return Arrays.stream(millis).min().orElseThrow();
  }

  public double worst() {
    return Arrays.stream(millis).max().orElseThrow();
  }

  @Override
  public double[] millis() {
    return millis.clone();
  }

  /** Runs {@code task} {@code warmups} times untimed, then {@code runs} times timed. */
  static Timings of(int warmups, int runs, Runnable task) {
    for (int i = 0; i < warmups; i++) {
      task.run();
    }
    double[] millis = new double[runs];
    for (int i = 0; i < runs; i++) {
      long began = System.nanoTime();
      task.run();
      millis[i] = (System.nanoTime() - began) / 1e6;
    }
    return new Timings(millis);
  }
}
