package org.unet4j.recipes.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Arrays;

/**
 * One page of an image read by bands of rows, so that a page larger than memory can be processed
 * a band at a time: an {@link Image} already in memory ({@link #of}), or a page of a file opened
 * with {@link ImageFile} (which reads only the strips or tiles of a TIFF that a band needs).
 *
 * <p>A source is not safe for use by several threads at once; open one per thread.
 */
public interface PageSource {
  int width();

  int height();

  int channels();

  /** How the samples are stored (8/16-bit unsigned or 32-bit float). */
  PixelType type();

  /**
   * Rows {@code fromRow} (inclusive) to {@code toRow} (exclusive) of the page as an image of
   * {@code toRow - fromRow} rows and the page's width, channels and type: raw values, as
   * {@link ImageIo#read} gives them.
   *
   * @throws IllegalArgumentException when the rows are not {@code 0 <= fromRow < toRow <= height}
   * @throws ImageReadException when the file cannot be read
   */
  Image rows(int fromRow, int toRow);

  /** The whole page. */
  default Image all() {
    return rows(0, height());
  }

  /** An image in memory as a source; bands are copies of its rows. */
  static PageSource of(Image image) {
    checkNotNull(image, "image");
    return new PageSource() {
      @Override
      public int width() {
        return image.width();
      }

      @Override
      public int height() {
        return image.height();
      }

      @Override
      public int channels() {
        return image.channels();
      }

      @Override
      public PixelType type() {
        return image.type();
      }

      @Override
      public Image rows(int fromRow, int toRow) {
        checkRows(fromRow, toRow, image.height());
        if (fromRow == 0 && toRow == image.height()) {
          return image;
        }
        int rowSamples = image.width() * image.channels();
        return new Image(image.width(), toRow - fromRow, image.channels(), image.type(),
            Arrays.copyOfRange(image.pixels(), fromRow * rowSamples, toRow * rowSamples));
      }

      @Override
      public String toString() {
        return image.toString();
      }
    };
  }

  /** Checks {@code 0 <= fromRow < toRow <= height}. */
  static void checkRows(int fromRow, int toRow, int height) {
    checkArgument(fromRow >= 0 && fromRow < toRow && toRow <= height,
        "rows %s..%s: expected 0 <= from < to <= %s (the page's height)", fromRow, toRow, height);
  }
}
