package org.unet4j.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Temporary files that a killed writer left in the output folder. unet4j writes every output as
 * {@code .FILE.HEX.tmp} beside it and renames it when complete, so such a file is never an
 * output; the job removes the ones named after outputs before any task starts, when no writer of
 * the job can own them.
 */
final class StaleFiles {
  /** {@code .NAME_prob.tif.1f3a.tmp}, {@code .NAME_overlay_p002.png.1f3a.tmp}, {@code .predictions.csv.<uuid>.tmp}. */
  private static final Pattern TEMPORARY = Pattern.compile(
      "\\..+(_prob\\.tif|_labels\\.tif|_overlay(_p\\d{3,})?\\.png|predictions\\.csv|predictions\\.parquet)"
          + "\\.[0-9a-fA-F-]+\\.tmp");

  private StaleFiles() {}

  /** Removes the stale temporary files in {@code folder} (not below it); returns how many. */
  static int remove(Path folder) {
    if (!Files.isDirectory(folder)) {
      return 0;
    }
    int removed = 0;
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.toList()) {
        if (TEMPORARY.matcher(file.getFileName().toString()).matches()) {
          PartFiles.deleteTree(file);
          removed++;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + folder + ": " + e.getMessage(), e);
    }
    return removed;
  }

  static boolean isTemporary(String fileName) {
    return TEMPORARY.matcher(fileName).matches();
  }
}
