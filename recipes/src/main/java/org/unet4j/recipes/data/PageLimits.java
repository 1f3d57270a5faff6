package org.unet4j.recipes.data;

import java.awt.image.DataBuffer;
import java.awt.image.SampleModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.plugins.tiff.BaselineTIFFTagSet;
import javax.imageio.plugins.tiff.TIFFDirectory;
import javax.imageio.plugins.tiff.TIFFField;
import org.jspecify.annotations.Nullable;

/**
 * What a page's header declares, checked before a single pixel buffer is allocated, and the
 * samples of pages that are trained on or predicted checked once read ({@link ImageIo} itself
 * reads NaN and infinities as they are: a probability map may hold them).
 *
 * <p>A header is a promise the file need not keep: 138 bytes can declare a 40000x40000 page of
 * 16-bit samples, and the JDK's decoders allocate what the header declares (a whole page, or a
 * whole strip of a TIFF) before they find that the data is missing. So the declared size is
 * checked first: at least one pixel, at most what one Java array holds, and, for a page read whole
 * or a strip decoded whole, at most what the heap can still hold.
 */
final class PageLimits {
  /** The longest Java array the JVMs in use allocate. */
  static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

  private PageLimits() {}

  /**
   * Checks page {@code page}'s declared size before it is read whole ({@code whole}) or by bands
   * of rows.
   *
   * @throws ImageReadException naming the file and the declared size when it is empty, or larger
   *     than an array or the heap can hold
   */
  static void checkHeader(Path file, ImageReader reader, ImageIo.Format format, int page, boolean whole)
      throws IOException {
    int width = reader.getWidth(page);
    int height = reader.getHeight(page);
    if (width < 1 || height < 1) {
      throw new ImageReadException(file, ImageIo.pageName(page) + "declares a " + width + "x" + height + " page; an"
          + " image has at least 1x1 pixels (damaged or empty file?)");
    }
    ImageTypeSpecifier raw = reader.getRawImageType(page);
    int channels = 1;
    int bytesPerSample = 1;
    if (raw != null) {
      SampleModel samples = raw.getSampleModel(1, 1);
      channels = samples.getNumBands();
      bytesPerSample = Math.max(1, DataBuffer.getDataTypeSize(samples.getDataType()) / 8);
    }
    long unitPixels = 0;
    String unit = "";
    if (format == ImageIo.Format.TIFF) {
      // A TIFF is decoded a strip or tile at a time, each into a buffer of its declared size, even
      // when only a band of rows is wanted.
      TIFFDirectory ifd = TIFFDirectory.createFromMetadata(reader.getImageMetadata(page));
      long tileWidth = first(ifd.getTIFFField(BaselineTIFFTagSet.TAG_TILE_WIDTH), 0);
      long tileLength = first(ifd.getTIFFField(BaselineTIFFTagSet.TAG_TILE_LENGTH), 0);
      if (tileWidth > 0 && tileLength > 0) {
        unitPixels = tileWidth * tileLength;
        unit = "tiles of " + tileWidth + "x" + tileLength;
      } else {
        long rows = Math.min(height, first(ifd.getTIFFField(BaselineTIFFTagSet.TAG_ROWS_PER_STRIP), height));
        unitPixels = width * Math.max(1, rows);
        unit = "strips of " + rows + " rows";
      }
    }
    checkDeclared(file, page, width, height, channels, bytesPerSample, unitPixels, unit, whole);
  }

  /**
   * Checks a page's declared size, as {@link #checkHeader}, for a reader that has read the header
   * itself ({@link BigTiffReader}).
   *
   * @param unitPixels the pixels of the unit the page is decoded by (a strip or tile), 0 for none
   * @param unit the unit, in words ("tiles of 256x256")
   */
  static void checkDeclared(Path file, int page, int width, int height, int channels, int bytesPerSample,
      long unitPixels, String unit, boolean whole) {
    String declared = ImageIo.pageName(page) + "declares a " + width + "x" + height + " page of " + channels + " x "
        + bytesPerSample * 8 + "-bit samples";
    long samples = (long) width * height * channels;
    if (whole) {
      if (samples > MAX_ARRAY) {
        throw new ImageReadException(file, declared + " (" + samples + " samples); unet4j reads at most " + MAX_ARRAY
            + " samples per page (a damaged header, or a page to split into smaller images)");
      }
      checkHeap(file, declared, samples * (bytesPerSample + Float.BYTES), "reading it");
    }
    if (unitPixels > 0) {
      long bytes = unitPixels * channels * bytesPerSample;
      if (bytes > MAX_ARRAY) {
        throw new ImageReadException(file, declared + " in " + unit + " (" + gigabytes(bytes) + " each); one strip"
            + " or tile holds at most " + gigabytes(MAX_ARRAY) + " (a damaged header?)");
      }
      checkHeap(file, declared + " in " + unit, bytes, "decoding one of them");
    }
  }

  private static void checkHeap(Path file, String declared, long bytes, String what) {
    Runtime runtime = Runtime.getRuntime();
    long available = runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory());
    if (bytes > available) {
      throw new ImageReadException(file, declared + ": " + what + " needs " + gigabytes(bytes) + ", more than the"
          + " Java heap can still hold (" + gigabytes(available) + "; -Xmx sets the heap); a damaged header, or an"
          + " image too large for this machine");
    }
  }

  private static long first(@Nullable TIFFField field, long absent) {
    return field == null || field.getCount() < 1 ? absent : field.getAsLong(0);
  }

  private static String gigabytes(long bytes) {
    return String.format(Locale.ROOT, "%.2f GB", bytes / 1e9);
  }

  /**
   * Refuses a NaN or infinite sample of a float page: it would turn the whole normalisation, loss
   * or score into NaN far from its cause.
   *
   * @param firstRow the page row of {@code image}'s first row (a band's offset)
   */
  static void checkFinite(Path file, int page, Image image, int firstRow) {
    if (image.type() != PixelType.FLOAT32) {
      return;
    }
    float[] pixels = image.pixels();
    for (int i = 0; i < pixels.length; i++) {
      if (!Float.isFinite(pixels[i])) {
        int pixel = i / image.channels();
        int x = pixel % image.width();
        int y = firstRow + pixel / image.width();
        throw new ImageReadException(file, ImageIo.pageName(page) + "pixel (" + x + ", " + y + ")"
            + (image.channels() > 1 ? " channel " + i % image.channels() : "") + " is " + pixels[i]
            + "; unet4j reads finite float samples only: replace NaN and infinite values (by 0, say) before use");
      }
    }
  }
}
