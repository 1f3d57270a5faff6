package org.unet4j.recipes.infer;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * When {@link Predictor#predictFile} streams a file instead of reading it whole, and how tall its
 * bands are.
 *
 * <p>A one-page file under {@code minPixels} pixels is predicted in memory: read whole, one
 * probability map, labels, written with the JDK's TIFF writer. Larger pages, and every page of a
 * stack, are streamed: the page is read by bands of rows, the probabilities and labels are written
 * a band at a time ({@link org.unet4j.recipes.data.StripTiffWriter}), and memory stays that of a
 * band whatever the page's size. Both give the same files (the same values; the TIFF layout
 * differs).
 *
 * @param minPixels single pages with at least this many pixels are streamed; 0 streams everything
 * @param bandRows rows of probabilities summed at a time, or 0 for about {@value #BAND_BYTES} bytes
 *     of sums rounded to whole strips of tiles
 */
public record StreamingPolicy(long minPixels, int bandRows) {
  /** The bytes of probability sums a band aims at when {@code bandRows} is 0. */
  public static final int BAND_BYTES = 32 << 20;

  /** Stream single pages from 2048 x 2048 pixels, bands of about 32 MB. */
  public static final StreamingPolicy DEFAULT = new StreamingPolicy(2048L * 2048, 0);

  public StreamingPolicy {
    checkArgument(minPixels >= 0, "minPixels must be >= 0, got %s", minPixels);
    checkArgument(bandRows >= 0, "bandRows must be >= 0 (0: automatic), got %s", bandRows);
  }

  /** Streams every file with bands of {@code bandRows} rows (0: automatic). */
  public static StreamingPolicy always(int bandRows) {
    return new StreamingPolicy(0, bandRows);
  }

  /** The band height for a page {@code width} wide with {@code classes} classes and tiles {@code step} apart. */
  int bandRows(int width, int classes, int step) {
    if (bandRows > 0) {
      return bandRows;
    }
    long rowBytes = 4L * width * classes;
    long rows = BAND_BYTES / rowBytes / step * step;
    return (int) Math.max(step, Math.min(rows, Integer.MAX_VALUE / 2));
  }
}
