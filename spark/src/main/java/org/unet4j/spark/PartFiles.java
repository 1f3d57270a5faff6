package org.unet4j.spark;

import static com.google.common.base.Preconditions.checkState;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.unet4j.recipes.data.Image;
import org.unet4j.recipes.data.ImageIo;

/**
 * Where the units of a split image put their predictions until the image is assembled:
 * {@code OUT/.unet4j-spark/parts/NAME/}, one float TIFF of foreground probabilities per page
 * ({@code page-00001.tif}) or per row band ({@code page-00001-rows-000000.tif}), or, for a volume,
 * one of class probabilities per range of planes ({@code planes-000000.tif}, named by its first
 * plane). Each is written
 * atomically, so a retried unit replaces its file whole. The folder is removed once the image's
 * outputs are written, and before a run predicts the image again.
 */
final class PartFiles {
  /** The job's working folder inside the output folder. */
  static final String WORK_FOLDER = ".unet4j-spark";

  private final Path folder;

  PartFiles(Path out, String name) {
    this.folder = out.resolve(WORK_FOLDER).resolve("parts").resolve(name);
  }

  Path folder() {
    return folder;
  }

  /** The foreground probabilities of page {@code page} (0-based). */
  Path page(int page) {
    return folder.resolve(String.format(Locale.ROOT, "page-%05d.tif", page + 1));
  }

  /** The foreground probabilities of the rows from {@code fromRow} of page {@code page} (0-based). */
  Path rows(int page, int fromRow) {
    return folder.resolve(String.format(Locale.ROOT, "page-%05d-rows-%06d.tif", page + 1, fromRow));
  }

  /** The class probabilities of the planes from {@code fromPlane} (0-based) of a volume. */
  Path planes(int fromPlane) {
    return folder.resolve(String.format(Locale.ROOT, "planes-%06d.tif", fromPlane));
  }

  /** The part files of a volume's plane ranges, in the order of their planes. */
  List<Path> planeParts() {
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(f -> f.getFileName().toString().startsWith("planes-")
          && f.getFileName().toString().endsWith(".tif")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + folder + ": " + e.getMessage(), e);
    }
  }

  /**
   * The foreground probabilities of page {@code page} (0-based) of {@code width x height}, from its
   * page file or from its row bands, which must cover the page's rows once each.
   *
   * @throws IllegalStateException when parts are missing, overlap or have the wrong size
   */
  float[] foreground(int page, int width, int height) {
    Path whole = page(page);
    if (Files.isRegularFile(whole)) {
      Image image = ImageIo.read(whole);
      checkState(image.width() == width && image.height() == height, "%s is %sx%s but the page is %sx%s", whole,
          image.width(), image.height(), width, height);
      return image.pixels();
    }
    String prefix = String.format(Locale.ROOT, "page-%05d-rows-", page + 1);
    List<Path> bands;
    try (Stream<Path> files = Files.list(folder)) {
      bands = files.filter(f -> f.getFileName().toString().startsWith(prefix)
          && f.getFileName().toString().endsWith(".tif")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + folder + ": " + e.getMessage(), e);
    }
    checkState(!bands.isEmpty(), "no prediction of page %s in %s", page + 1, folder);
    float[] values = new float[Math.multiplyExact(width, height)];
    int next = 0;
    for (Path band : bands) {
      String name = band.getFileName().toString();
      int fromRow = Integer.parseInt(name.substring(prefix.length(), name.length() - ".tif".length()));
      Image image = ImageIo.read(band);
      checkState(fromRow == next && image.width() == width && fromRow + image.height() <= height,
          "%s (%sx%s from row %s) does not continue the bands of page %s (%sx%s) at row %s", band, image.width(),
          image.height(), fromRow, page + 1, width, height, next);
      System.arraycopy(image.pixels(), 0, values, fromRow * width, image.pixels().length);
      next = fromRow + image.height();
    }
    checkState(next == height, "the bands of page %s in %s end at row %s of %s", page + 1, folder, next, height);
    return values;
  }

  /** Removes the folder and everything in it, if it exists. */
  void delete() {
    deleteTree(folder);
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        try {
          Files.deleteIfExists(p);
        } catch (NoSuchFileException e) {
          // removed meanwhile
        }
      }
    } catch (NoSuchFileException e) {
      // removed meanwhile
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + root + ": " + e.getMessage(), e);
    }
  }
}
