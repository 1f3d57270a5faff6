package org.unet4j.recipes.train;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.jspecify.annotations.Nullable;

/**
 * Training progress for people: a live bar with steps/s, loss and ETA on a terminal, or one line
 * every few seconds when the output is a file or a pipe (CI logs stay readable).
 */
public final class Progress implements AutoCloseable {
  private static final long LINE_INTERVAL_NANOS = 10_000_000_000L;

  private final @Nullable ProgressBar bar;
  private final @Nullable PrintStream lines;
  private final long total;
  private final long first;
  private final long started = System.nanoTime();
  private long lastLine = Long.MIN_VALUE;

  private Progress(@Nullable ProgressBar bar, @Nullable PrintStream lines, long first, long total) {
    this.bar = bar;
    this.lines = lines;
    this.first = first;
    this.total = total;
  }

  /** A bar on an interactive terminal, lines otherwise; nothing when {@code out} is null. */
  public static Progress start(@Nullable PrintStream out, String task, long first, long total) {
    if (out == null) {
      return new Progress(null, null, first, total);
    }
    if (System.console() != null) {
      ProgressBar bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
          .startsFrom(first, Duration.ZERO).setStyle(ProgressBarStyle.ASCII).showSpeed()
          .setUnit(" steps", 1).setConsumer(new ConsoleProgressBarConsumer(out)).build();
      return new Progress(bar, null, first, total);
    }
    return new Progress(null, out, first, total);
  }

  /** Reports that {@code done} steps of the run are complete. */
  public void update(long done, double loss, double learningRate) {
    String message = String.format(Locale.ROOT, "loss %.4f lr %.2e", loss, learningRate);
    if (bar != null) {
      bar.stepTo(done);
      bar.setExtraMessage(message);
      return;
    }
    if (lines == null) {
      return;
    }
    long now = System.nanoTime();
    if (done != total && done != first + 1 && now - lastLine < LINE_INTERVAL_NANOS) {
      return;
    }
    lastLine = now;
    lines.println(line(done, message, now));
  }

  /** The text of one progress line: {@code step 120/1500  loss ...  3.21 steps/s  ETA 7m12s}. */
  String line(long done, String message, long now) {
    double seconds = (now - started) / 1e9;
    double rate = seconds > 0 ? (done - first) / seconds : 0;
    long eta = rate > 0 ? Math.round((total - done) / rate) : -1;
    return String.format(Locale.ROOT, "step %d/%d  %s  %.2f steps/s  ETA %s", done, total, message, rate,
        eta < 0 ? "?" : eta >= 3600 ? (eta / 3600) + "h" + (eta % 3600 / 60) + "m" : (eta / 60) + "m" + (eta % 60) + "s");
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    }
  }
}
