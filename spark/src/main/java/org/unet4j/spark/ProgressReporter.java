package org.unet4j.spark;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * The driver's progress line every few seconds while the executors work: images done of the
 * total, the rate and the time left, then the images evaluated. It prints when a count changed,
 * and at least every {@value #HEARTBEAT_MILLIS} ms so that a long unit does not look like a hang.
 * The counts come from accumulators, which reach the driver as tasks end; the driver adds what it
 * knows itself after each stage ({@link #atLeast}).
 */
final class ProgressReporter implements AutoCloseable {
  private final PrintWriter err;
  private final JobCounters counters;
  private final long total;
  private final long intervalMillis;
  private final long began = System.nanoTime();
  private final Thread thread;
  private volatile boolean stopped;
  private volatile long toEvaluate;
  private volatile long doneAtLeast;
  private volatile long failedAtLeast;
  private String lastCounts = "";
  private long lastLine = System.nanoTime();

  /** The longest time between two lines. */
  static final long HEARTBEAT_MILLIS = 30_000;

  /**
   * @param total the images to predict in this run
   * @param intervalMillis the time between two lines
   */
  ProgressReporter(PrintWriter err, JobCounters counters, long total, long intervalMillis) {
    this.err = err;
    this.counters = counters;
    this.total = total;
    this.intervalMillis = intervalMillis;
    this.thread = new Thread(this::loop, "unet4j-spark-progress");
    this.thread.setDaemon(true);
  }

  ProgressReporter start() {
    thread.start();
    return this;
  }

  /** The driver knows that at least {@code done} images are done, {@code failed} of them failed. */
  void atLeast(long done, long failed) {
    doneAtLeast = done;
    failedAtLeast = failed;
  }

  /** From now on the line also counts the images evaluated, of {@code images}. */
  void evaluating(long images) {
    toEvaluate = images;
  }

  private void loop() {
    while (!stopped) {
      try {
        Thread.sleep(intervalMillis);
      } catch (InterruptedException e) {
        return;
      }
      if (!stopped) {
        report();
      }
    }
  }

  /** One line, unless the counts are those of the last line and the last line is recent. */
  synchronized void report() {
    long done = Math.max(doneAtLeast, counters.done());
    long failed = Math.max(failedAtLeast, counters.failed());
    long evaluated = counters.evaluated();
    String counts = done + "/" + failed + "/" + evaluated + "/" + toEvaluate;
    long now = System.nanoTime();
    if (counts.equals(lastCounts) && now - lastLine < HEARTBEAT_MILLIS * 1_000_000L) {
      return;
    }
    lastCounts = counts;
    lastLine = now;
    double seconds = (now - began) / 1e9;
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "unet4j spark-predict: %d/%d images", done,
        total));
    if (failed > 0) {
      line.append(String.format(Locale.ROOT, " (%d failed)", failed));
    }
    if (done > 0 && done < total) {
      line.append(String.format(Locale.ROOT, ", %.2f images/s, %.0f s left", done / seconds,
          seconds / done * (total - done)));
    }
    if (toEvaluate > 0) {
      line.append(String.format(Locale.ROOT, "; evaluated %d/%d", evaluated, toEvaluate));
    }
    err.println(line);
    err.flush();
  }

  @Override
  public void close() {
    stopped = true;
    thread.interrupt();
    try {
      thread.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
