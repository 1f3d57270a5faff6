package org.unet4j.recipes.train;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.unet4j.recipes.model.Checkpoints;

/**
 * {@code metrics.csv}: one row per step with the loss, the learning rate and the seconds since the
 * run began, and the validation loss on the steps where validation ran. Rows are flushed as they
 * come, so the file is useful while the run goes on.
 */
public final class MetricsLog implements AutoCloseable {
  static final String HEADER = "step,loss,learning_rate,seconds,validation_loss";

  /** One row; {@code validationLoss} is NaN where validation did not run. */
  public record Row(long step, double loss, double learningRate, double seconds, double validationLoss) {
    String csv() {
      return String.format(Locale.ROOT, "%d,%.6g,%.6g,%.3f,%s", step, loss, learningRate, seconds,
          Double.isNaN(validationLoss) ? "" : String.format(Locale.ROOT, "%.6g", validationLoss));
    }

    static Row parse(String line) {
      String[] f = line.split(",", -1);
      return new Row(Long.parseLong(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
          Double.parseDouble(f[3]), f[4].isEmpty() ? Double.NaN : Double.parseDouble(f[4]));
    }
  }

  private final BufferedWriter writer;

  private MetricsLog(BufferedWriter writer) {
    this.writer = writer;
  }

  /**
   * Opens the log for steps after {@code keepThrough}: rows of later steps (written after the
   * checkpoint a resumed run restarts from) are dropped, so the file never holds a step twice.
   */
  public static MetricsLog open(Path file, long keepThrough) {
    try {
      List<String> kept = new ArrayList<>();
      kept.add(HEADER);
      for (Row row : read(file)) {
        if (row.step() <= keepThrough) {
          kept.add(row.csv());
        }
      }
      Checkpoints.writeAtomically(file, String.join("\n", kept) + "\n");
      return new MetricsLog(Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Every row of a metrics file, or none when it does not exist. */
  public static List<Row> read(Path file) {
    if (!Files.isRegularFile(file)) {
      return List.of();
    }
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
          .filter(l -> !l.isBlank() && !l.startsWith("step")).map(Row::parse).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** The last row of a metrics file at or before {@code step}, if any. */
  public static @Nullable Row last(Path file, long step) {
    Row last = null;
    for (Row row : read(file)) {
      if (row.step() <= step) {
        last = row;
      }
    }
    return last;
  }

  public void append(Row row) {
    try {
      writer.write(row.csv());
      writer.newLine();
      writer.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      writer.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
