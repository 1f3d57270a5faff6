package org.unet4j.recipes.data;

import static com.google.common.base.Preconditions.checkElementIndex;
import static com.google.common.base.Preconditions.checkNotNull;

import java.awt.Rectangle;
import java.awt.image.Raster;
import java.awt.image.SampleModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageIO;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import org.jspecify.annotations.Nullable;

/**
 * An image file kept open to read its pages by bands of rows ({@link PageSource}), for pages too
 * large to hold in memory. Reads the same formats and values as {@link ImageIo}: classic TIFF and
 * PNG with the JDK's readers, BigTIFF with unet4j's own ({@link BigTiffReader}).
 *
 * <p><b>What a band costs.</b> The JDK's TIFF reader decodes only the strips or tiles that a
 * region overlaps: for TIFFs written in strips of a few rows (the JDK writer uses 8, most tools
 * write strips of about 8 KB) or in tiles, a band reads about its own bytes, uncompressed or
 * LZW/Deflate/PackBits (an 8192 x 8192 8-bit page read in bands of 512 rows: 0.6 s uncompressed,
 * 1.2 s Deflate, 4.5 s LZW, peak RSS 104 to 301 MB). A TIFF stored as <em>one strip</em> (as
 * ImageJ writes them) stays within the same memory: uncompressed, the reader reads the band's rows
 * out of the strip (the same page: 3.3 s, and it fits a 40 MB heap); compressed, it must inflate
 * the strip from its start up to the band, so every band costs the decoding of everything above
 * it. A PNG has no index of its rows either, so the JDK's PNG reader inflates the image from the
 * top for every band (and keeps only the band). Large images are best stored as TIFF in strips or
 * tiles.
 *
 * <p>Not safe for use by several threads at once; open the file once per thread.
 */
public final class ImageFile implements AutoCloseable {
  private final Path file;
  private final ImageIo.Format format;
  /** The JDK's reader of a classic TIFF or PNG; null for a BigTIFF. */
  private final @Nullable ImageReader reader;
  /** The reader of a BigTIFF; null for the others. */
  private final @Nullable BigTiffReader bigTiff;
  private final ImageInputStream in;
  private final int pageCount;

  private ImageFile(Path file, ImageIo.Format format, @Nullable ImageReader reader, @Nullable BigTiffReader bigTiff,
      ImageInputStream in, int pageCount) {
    this.file = file;
    this.format = format;
    this.reader = reader;
    this.bigTiff = bigTiff;
    this.in = in;
    this.pageCount = pageCount;
  }

  /**
   * Opens a TIFF or PNG file; reads its header, not its pixels.
   *
   * @throws ImageReadException when the file is missing, not a TIFF or PNG, or damaged
   */
  public static ImageFile open(Path file) {
    checkNotNull(file, "file");
    ImageIo.Format format = ImageIo.check(file);
    if (format == ImageIo.Format.BIGTIFF) {
      try {
        return open(file, new FileImageInputStream(file.toFile()), Files.size(file));
      } catch (IOException e) {
        throw new ImageReadException(file, "cannot open: " + ImageIo.describe(e), e);
      }
    }
    ImageReader reader = ImageIo.reader(format);
    @Nullable ImageInputStream in = null;
    try {
      in = ImageIO.createImageInputStream(file.toFile());
      if (in == null) {
        throw new ImageReadException(file, "cannot open the file");
      }
      // As ImageIo: decode only the tags needed to read the pixels.
      reader.setInput(in, false, true);
      int pages = reader.getNumImages(true);
      if (pages < 1) {
        throw new ImageReadException(file, "the file holds no image (no pages)");
      }
      return new ImageFile(file, format, reader, null, in, pages);
    } catch (IOException | RuntimeException e) {
      reader.dispose();
      closeQuietly(in);
      if (e instanceof ImageReadException r) {
        throw r;
      }
      throw damaged(file, format, e);
    }
  }

  /**
   * Opens the BigTIFF read from {@code in} ({@code length} bytes), named {@code file} in errors;
   * the file owns the stream from here on and closes it.
   */
  static ImageFile open(Path file, ImageInputStream in, long length) {
    try {
      BigTiffReader bigTiff = BigTiffReader.open(file, in, length);
      return new ImageFile(file, ImageIo.Format.BIGTIFF, null, bigTiff, in, bigTiff.pageCount());
    } catch (IOException | RuntimeException e) {
      closeQuietly(in);
      if (e instanceof ImageReadException r) {
        throw r;
      }
      throw damaged(file, ImageIo.Format.BIGTIFF, e);
    }
  }

  /** The file. */
  public Path file() {
    return file;
  }

  /** Its pages: 1 for a PNG or a one-page TIFF. */
  public int pageCount() {
    return pageCount;
  }

  /**
   * Page {@code page} (0-based) as a source of bands; reads its header (size, channels, sample
   * type), not its pixels. The source reads through this file, so it is valid until the file is
   * closed.
   *
   * @throws ImageReadException when the page's samples are of a type unet4j does not read
   */
  public PageSource page(int page) {
    return page(page, false);
  }

  private PageSource page(int page, boolean whole) {
    checkElementIndex(page, pageCount, "page");
    if (bigTiff != null) {
      return bigTiff.page(page, whole);
    }
    ImageReader reader = checkNotNull(this.reader);
    try {
      if (format == ImageIo.Format.TIFF) {
        ImageIo.checkTiffSamples(file, reader, page);
      }
      PageLimits.checkHeader(file, reader, format, page, false);
      int width = reader.getWidth(page);
      int height = reader.getHeight(page);
      ImageTypeSpecifier raw = reader.getRawImageType(page);
      if (raw == null) {
        // No header-only answer: decode one row to learn the layout.
        ImageReadParam param = reader.getDefaultReadParam();
        param.setSourceRegion(new Rectangle(0, 0, width, 1));
        SampleModel samples = reader.read(page, param).getSampleModel();
        return new FilePage(page, width, height, samples.getNumBands(), ImageIo.pixelType(file, samples, page));
      }
      SampleModel samples = raw.getSampleModel();
      return new FilePage(page, width, height, samples.getNumBands(), ImageIo.pixelType(file, samples, page));
    } catch (IOException | RuntimeException e) {
      if (e instanceof ImageReadException r) {
        throw r;
      }
      throw damaged(file, format, e);
    }
  }

  /** The whole page {@code page}, as {@link ImageIo#readPages} gives it. */
  public Image readPage(int page) {
    return page(page, true).all();
  }

  @Override
  public void close() {
    if (reader != null) {
      reader.dispose();
    }
    closeQuietly(in);
  }

  private static void closeQuietly(@Nullable ImageInputStream in) {
    if (in != null) {
      try {
        in.close();
      } catch (IOException e) {
        // Nothing was written; a failed close of a read-only stream loses nothing.
      }
    }
  }

  private static ImageReadException damaged(Path file, ImageIo.Format format, Exception e) {
    return new ImageReadException(file, "cannot decode the " + format + " data (damaged or truncated file?): "
        + ImageIo.describe(e), e);
  }

  /** A page read by regions of whole rows. */
  private final class FilePage implements PageSource {
    private final int page;
    private final int width;
    private final int height;
    private final int channels;
    private final PixelType type;

    FilePage(int page, int width, int height, int channels, PixelType type) {
      this.page = page;
      this.width = width;
      this.height = height;
      this.channels = channels;
      this.type = type;
    }

    @Override
    public int width() {
      return width;
    }

    @Override
    public int height() {
      return height;
    }

    @Override
    public int channels() {
      return channels;
    }

    @Override
    public PixelType type() {
      return type;
    }

    @Override
    public Image rows(int fromRow, int toRow) {
      PageSource.checkRows(fromRow, toRow, height);
      ImageReader reader = checkNotNull(ImageFile.this.reader);
      Raster raster;
      try {
        ImageReadParam param = reader.getDefaultReadParam();
        if (fromRow != 0 || toRow != height) {
          param.setSourceRegion(new Rectangle(0, fromRow, width, toRow - fromRow));
        }
        raster = reader.read(page, param).getRaster();
      } catch (IOException | RuntimeException e) {
        throw damaged(file, format, e);
      }
      int rows = toRow - fromRow;
      if (raster.getWidth() != width || raster.getHeight() != rows || raster.getNumBands() != channels) {
        throw new ImageReadException(file, ImageIo.pageName(page) + "rows " + fromRow + ".." + toRow + " decode as "
            + raster.getWidth() + "x" + raster.getHeight() + " with " + raster.getNumBands() + " channel(s), but the"
            + " header says " + width + " wide with " + channels + " channel(s) (damaged file?)");
      }
      float[] pixels = raster.getPixels(raster.getMinX(), raster.getMinY(), width, rows, (float[]) null);
      Image band = new Image(width, rows, channels, type, pixels);
      PageLimits.checkFinite(file, page, band, fromRow);
      return band;
    }

    @Override
    public String toString() {
      return file + (pageCount > 1 ? " page " + (page + 1) : "") + " (" + width + "x" + height + ")";
    }
  }
}
