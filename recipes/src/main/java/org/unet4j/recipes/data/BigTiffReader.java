package org.unet4j.recipes.data;

import static com.google.common.base.Preconditions.checkElementIndex;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads BigTIFF (magic 43, 64-bit offsets and counts, 20-byte directory entries), which the JDK's
 * TIFF reader does not read: the large probability maps {@link StripTiffWriter} writes, and the
 * BigTIFFs of tifffile, Fiji (Bio-Formats) and libtiff. Handles the layouts those tools write for
 * the samples unet4j reads: 8/16-bit unsigned integers and 32-bit floats, any number of samples per
 * pixel stored chunky (PlanarConfiguration 1, or one sample), in strips or tiles, uncompressed,
 * Deflate or LZW (with or without horizontal differencing, Predictor 2), one page or many. Other
 * layouts (JPEG or PackBits compression, separate planes, floating-point prediction) are refused
 * with a message saying so.
 *
 * <p>Hand-written rather than a library's: TwelveMonkeys' TIFF plugin reads BigTIFF too, but it
 * registers itself ahead of the JDK's reader for every TIFF, and only the BigTIFF layouts above
 * are needed. Pages are read by bands of rows ({@link PageSource}) through the same limits as
 * classic TIFF ({@link PageLimits}): a header declaring more than memory holds is refused before
 * anything is allocated. An uncompressed strip is read row by row, so a page stored as one strip
 * (tifffile's default) costs a band its own bytes; a compressed strip or tile is decoded whole.
 *
 * <p>Not safe for use by several threads at once. Does not own the stream.
 */
final class BigTiffReader {
  private static final int IMAGE_WIDTH = 256;
  private static final int IMAGE_LENGTH = 257;
  private static final int BITS_PER_SAMPLE = 258;
  private static final int COMPRESSION = 259;
  private static final int STRIP_OFFSETS = 273;
  private static final int SAMPLES_PER_PIXEL = 277;
  private static final int ROWS_PER_STRIP = 278;
  private static final int STRIP_BYTE_COUNTS = 279;
  private static final int PLANAR_CONFIGURATION = 284;
  private static final int PREDICTOR = 317;
  private static final int TILE_WIDTH = 322;
  private static final int TILE_LENGTH = 323;
  private static final int TILE_OFFSETS = 324;
  private static final int TILE_BYTE_COUNTS = 325;
  private static final int SAMPLE_FORMAT = 339;

  private static final int UNCOMPRESSED = 1;
  private static final int LZW = 5;
  private static final int DEFLATE = 8;
  /** Deflate's code before TIFF registered 8 (Adobe's), still written by some tools. */
  private static final int DEFLATE_OLD = 32946;

  private static final int SAMPLE_SIGNED = 2;
  private static final int SAMPLE_FLOAT = 3;
  private static final int DIFFERENCING = 2;

  private final Path file;
  private final ImageInputStream in;
  private final long length;
  /** The pages' directories, in file order; filled by {@link #open} only. */
  private final List<Directory> directories = new ArrayList<>();

  private BigTiffReader(Path file, ImageInputStream in, long length) {
    this.file = file;
    this.in = in;
    this.length = length;
  }

  /**
   * Reads the header and every page's directory (not its pixels).
   *
   * @param length the stream's length in bytes: offsets and counts beyond it are refused
   * @throws ImageReadException when the file is not a BigTIFF or its directories are damaged
   */
  static BigTiffReader open(Path file, ImageInputStream in, long length) throws IOException {
    in.seek(0);
    int order = in.readUnsignedShort();
    in.setByteOrder(order == 0x4D4D ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    int magic = in.readUnsignedShort();
    int offsetBytes = in.readUnsignedShort();
    in.readUnsignedShort();
    if ((order != 0x4949 && order != 0x4D4D) || magic != 43 || offsetBytes != 8) {
      throw new ImageReadException(file, "is not a BigTIFF: its header says byte order " + Integer.toHexString(order)
          + ", magic " + magic + ", offsets of " + offsetBytes + " bytes (expected II or MM, 43, 8)");
    }
    BigTiffReader reader = new BigTiffReader(file, in, length);
    Set<Long> seen = new HashSet<>();
    long next = in.readLong();
    while (next != 0) {
      if (!seen.add(next)) {
        throw new ImageReadException(file, "its directories form a loop (page " + (reader.directories.size() + 1)
            + " points back to an earlier one): a damaged file");
      }
      next = reader.readDirectory(next);
    }
    if (reader.directories.isEmpty()) {
      throw new ImageReadException(file, "the file holds no image (no pages)");
    }
    return reader;
  }

  int pageCount() {
    return directories.size();
  }

  /**
   * Page {@code page} as a source of bands, after checking its samples and declared size.
   *
   * @param whole whether the page will be read whole (checked against the heap) or by bands
   */
  PageSource page(int page, boolean whole) {
    checkElementIndex(page, directories.size(), "page");
    Directory d = directories.get(page);
    d.checkReadable(page);
    String unit = d.tiled() ? "tiles of " + d.unitWidth + "x" + d.unitRows
        : d.compression == UNCOMPRESSED ? "rows" : "strips of " + d.unitRows + " rows";
    // An uncompressed strip is read by rows, whatever its declared height.
    long unitPixels = (long) d.unitWidth * (d.tiled() || d.compression != UNCOMPRESSED ? d.unitRows : 1);
    PageLimits.checkDeclared(file, page, d.width, d.height, d.channels, d.bits / 8, unitPixels, unit, whole);
    return new BigTiffPage(page, d);
  }

  private long readDirectory(long offset) throws IOException {
    checkRange(offset, 8, "page " + (directories.size() + 1) + "'s directory");
    in.seek(offset);
    long entries = in.readLong();
    if (entries < 0 || entries > length / 20) {
      throw new ImageReadException(file, "page " + (directories.size() + 1) + "'s directory declares " + entries
          + " tags, more than the " + length + "-byte file holds: a damaged file");
    }
    checkRange(offset + 8, entries * 20 + 8, "page " + (directories.size() + 1) + "'s " + entries + " tags");
    Directory d = new Directory();
    for (long i = 0; i < entries; i++) {
      long entry = offset + 8 + i * 20;
      in.seek(entry);
      int tag = in.readUnsignedShort();
      int type = in.readUnsignedShort();
      long count = in.readLong();
      d.set(tag, type, count, entry + 12);
    }
    in.seek(offset + 8 + entries * 20);
    long next = in.readLong();
    d.finish(directories.size());
    directories.add(d);
    return next;
  }

  private void checkRange(long offset, long bytes, String what) {
    if (offset < 0 || bytes < 0 || offset > length || bytes > length - offset) {
      throw new ImageReadException(file, what + " would lie at bytes " + offset + ".." + (offset + bytes)
          + " of a " + length + "-byte file: a damaged or truncated file");
    }
  }

  /** The size in bytes of one value of a TIFF field type; 0 for a type unet4j does not read. */
  private static int typeBytes(int type) {
    return switch (type) {
      case 1, 2, 6, 7 -> 1;
      case 3, 8 -> 2;
      case 4, 9, 11 -> 4;
      case 5, 10, 12, 16, 17, 18 -> 8;
      default -> 0;
    };
  }

  /** One page's directory: the tags needed to decode it. */
  private final class Directory {
    int width;
    int height;
    int channels = 1;
    int bits = 1;
    int sampleFormat = 1;
    int compression = UNCOMPRESSED;
    int predictor = 1;
    int planar = 1;
    long rowsPerStrip = Integer.MAX_VALUE;
    int tileWidth;
    int tileLength;
    long[] offsets = new long[0];
    long[] counts = new long[0];
    int unitWidth;
    int unitRows;

    boolean tiled() {
      return tileWidth > 0;
    }

    void set(int tag, int type, long count, long valueField) throws IOException {
      switch (tag) {
        case IMAGE_WIDTH -> width = (int) Math.min(Integer.MAX_VALUE, values(type, count, valueField, 1)[0]);
        case IMAGE_LENGTH -> height = (int) Math.min(Integer.MAX_VALUE, values(type, count, valueField, 1)[0]);
        case BITS_PER_SAMPLE -> bits = (int) max(values(type, count, valueField, 1 << 16));
        case COMPRESSION -> compression = (int) values(type, count, valueField, 1)[0];
        case SAMPLES_PER_PIXEL -> channels = (int) Math.min(1 << 16, values(type, count, valueField, 1)[0]);
        case ROWS_PER_STRIP -> rowsPerStrip = values(type, count, valueField, 1)[0];
        case PLANAR_CONFIGURATION -> planar = (int) values(type, count, valueField, 1)[0];
        case PREDICTOR -> predictor = (int) values(type, count, valueField, 1)[0];
        case TILE_WIDTH -> tileWidth = (int) Math.min(1 << 30, values(type, count, valueField, 1)[0]);
        case TILE_LENGTH -> tileLength = (int) Math.min(1 << 30, values(type, count, valueField, 1)[0]);
        case SAMPLE_FORMAT -> sampleFormat = (int) max(values(type, count, valueField, 1 << 16));
        case STRIP_OFFSETS, TILE_OFFSETS -> offsets = values(type, count, valueField, Integer.MAX_VALUE);
        case STRIP_BYTE_COUNTS, TILE_BYTE_COUNTS -> counts = values(type, count, valueField, Integer.MAX_VALUE);
        default -> {
          // Other tags (resolution, description, ...) do not change how pixels decode.
        }
      }
    }

    /** The integer values of a field of {@code count <= limit} values. */
    private long[] values(int type, long count, long valueField, int limit) throws IOException {
      int size = typeBytes(type);
      if (count < 1 || count > limit || !(type == 1 || type == 3 || type == 4 || type == 16)) {
        throw new ImageReadException(file, "page " + (directories.size() + 1) + " has a pixel layout tag with "
            + count + " value(s) of TIFF type " + type + "; expected 1.." + limit + " unsigned integers"
            + " (a damaged file?)");
      }
      long bytes = count * size;
      long at = valueField;
      if (bytes > 8) {
        in.seek(valueField);
        at = in.readLong();
        checkRange(at, bytes, "a tag's " + count + " values");
      }
      in.seek(at);
      long[] values = new long[(int) count];
      for (int i = 0; i < values.length; i++) {
        values[i] = switch (type) {
          case 1 -> in.readUnsignedByte();
          case 3 -> in.readUnsignedShort();
          case 4 -> in.readUnsignedInt();
          default -> in.readLong();
        };
      }
      return values;
    }

    private static long max(long[] values) {
      long max = 0;
      for (long v : values) {
        max = Math.max(max, v);
      }
      return max;
    }

    /** Checks the size and the strip or tile table once all tags are read. */
    void finish(int page) {
      String where = ImageIo.pageName(page);
      if (width < 1 || height < 1) {
        throw new ImageReadException(file, where + "declares a " + width + "x" + height + " page; an image has at"
            + " least 1x1 pixels (damaged or empty file?)");
      }
      if (tiled() != tileLength > 0) {
        throw new ImageReadException(file, where + "declares a tile width of " + tileWidth + " and a tile length of "
            + tileLength + "; a tiled TIFF declares both (a damaged file?)");
      }
      unitWidth = tiled() ? tileWidth : width;
      unitRows = tiled() ? tileLength : (int) Math.max(1, Math.min(height, rowsPerStrip));
      long across = (width + (long) unitWidth - 1) / unitWidth;
      long down = (height + (long) unitRows - 1) / unitRows;
      long units = across * down * (planar == 2 ? channels : 1);
      if (offsets.length != units || counts.length != units) {
        throw new ImageReadException(file, where + "has " + offsets.length + " offsets and " + counts.length
            + " byte counts for its " + (tiled() ? "tiles" : "strips") + ", but its size needs " + units
            + " (a damaged file?)");
      }
    }

    /** Refuses samples and layouts unet4j does not read, as {@link ImageIo} does for classic TIFF. */
    void checkReadable(int page) {
      String where = ImageIo.pageName(page);
      if (sampleFormat == SAMPLE_SIGNED) {
        throw new ImageReadException(file, where + "holds signed " + bits + "-bit integers (TIFF SampleFormat 2);"
            + " unet4j reads unsigned 8/16-bit integers and 32-bit floats: save it as unsigned " + bits + "-bit,"
            + " or as 32-bit float where the values are negative");
      }
      boolean floats = sampleFormat == SAMPLE_FLOAT;
      if (floats ? bits != 32 : bits != 8 && bits != 16) {
        throw new ImageReadException(file, where + "holds " + bits + "-bit " + (floats ? "floats" : "integers")
            + "; unet4j reads BigTIFF of 8/16-bit unsigned integers and 32-bit floats: save it so");
      }
      if (planar == 2 && channels > 1) {
        throw new ImageReadException(file, where + "stores its " + channels + " channels as separate planes"
            + " (PlanarConfiguration 2); unet4j reads BigTIFF with interleaved channels: save it so");
      }
      if (compression != UNCOMPRESSED && compression != LZW && compression != DEFLATE && compression != DEFLATE_OLD) {
        throw new ImageReadException(file, where + "is compressed with TIFF compression " + compression + "; unet4j"
            + " reads BigTIFF uncompressed, Deflate (8) or LZW (5): save it so");
      }
      if (predictor != 1 && (predictor != DIFFERENCING || floats)) {
        throw new ImageReadException(file, where + "uses TIFF predictor " + predictor + (floats ? " on floats" : "")
            + "; unet4j reads BigTIFF without a predictor, or with horizontal differencing (2) of integers");
      }
    }
  }

  /** A page read by bands, one strip or tile at a time. */
  private final class BigTiffPage implements PageSource {
    private final int page;
    private final Directory d;
    private final int sampleBytes;
    private final PixelType type;

    BigTiffPage(int page, Directory d) {
      this.page = page;
      this.d = d;
      this.sampleBytes = d.bits / 8;
      this.type = d.sampleFormat == SAMPLE_FLOAT ? PixelType.FLOAT32 : d.bits == 8 ? PixelType.UINT8
          : PixelType.UINT16;
    }

    @Override
    public int width() {
      return d.width;
    }

    @Override
    public int height() {
      return d.height;
    }

    @Override
    public int channels() {
      return d.channels;
    }

    @Override
    public PixelType type() {
      return type;
    }

    @Override
    public Image rows(int fromRow, int toRow) {
      PageSource.checkRows(fromRow, toRow, d.height);
      float[] pixels = new float[Math.multiplyExact(Math.multiplyExact(toRow - fromRow, d.width), d.channels)];
      int across = (d.width + d.unitWidth - 1) / d.unitWidth;
      try {
        for (int down = fromRow / d.unitRows; down * (long) d.unitRows < toRow; down++) {
          int unitTop = down * d.unitRows;
          int from = Math.max(fromRow, unitTop);
          int to = Math.min(toRow, Math.min(d.height, unitTop + d.unitRows));
          for (int x = 0; x < across; x++) {
            int unit = down * across + x;
            copy(unitRows(unit, unitTop, from, to), from - fromRow, to - from, x * d.unitWidth, pixels);
          }
        }
      } catch (IOException | DataFormatException | RuntimeException e) {
        if (e instanceof ImageReadException r) {
          throw r;
        }
        throw new ImageReadException(file, "cannot decode the BigTIFF data (damaged or truncated file?): "
            + ImageIo.describe(e), e);
      }
      Image band = new Image(d.width, toRow - fromRow, d.channels, type, pixels);
      PageLimits.checkFinite(file, page, band, fromRow);
      return band;
    }

    /** The bytes of rows {@code from..to} (page rows) of strip or tile {@code unit}, decompressed. */
    private ByteBuffer unitRows(int unit, int unitTop, int from, int to) throws IOException, DataFormatException {
      int rowBytes = d.unitWidth * d.channels * sampleBytes;
      long offset = d.offsets[unit];
      byte[] bytes;
      if (d.compression == UNCOMPRESSED) {
        long start = offset + (long) (from - unitTop) * rowBytes;
        bytes = read(start, (long) (to - from) * rowBytes);
      } else {
        int rows = d.tiled() ? d.unitRows : Math.min(d.unitRows, d.height - unitTop);
        byte[] packed = read(offset, d.counts[unit]);
        bytes = d.compression == LZW ? lzw(packed, rows * rowBytes) : inflate(packed, rows * rowBytes);
        if (d.predictor == DIFFERENCING) {
          undoDifferencing(bytes, rowBytes);
        }
        ByteBuffer wanted = ByteBuffer.wrap(bytes, (from - unitTop) * rowBytes, (to - from) * rowBytes).slice();
        return wanted.order(in.getByteOrder());
      }
      if (d.predictor == DIFFERENCING) {
        undoDifferencing(bytes, rowBytes);
      }
      return ByteBuffer.wrap(bytes).order(in.getByteOrder());
    }

    private byte[] read(long offset, long count) throws IOException {
      checkRange(offset, count, ImageIo.pageName(page) + "pixel data");
      if (count > PageLimits.MAX_ARRAY) {
        throw new ImageReadException(file, ImageIo.pageName(page) + "has a strip or tile of " + count
            + " compressed bytes; unet4j reads at most " + PageLimits.MAX_ARRAY + " (a damaged file?)");
      }
      byte[] bytes = new byte[(int) count];
      in.seek(offset);
      in.readFully(bytes);
      return bytes;
    }

    /**
     * TIFF's LZW (TIFF 6.0, section 13): codes of 9 to 12 bits, most significant bit first, 256
     * clears the table, 257 ends; the code width grows one code early (at 511, 1023, 2047).
     */
    private byte[] lzw(byte[] packed, int size) {
      byte[] out = new byte[size];
      int[] prefix = new int[4096];
      byte[] last = new byte[4096];
      byte[] first = new byte[4096];
      int[] lengths = new int[4096];
      for (int i = 0; i < 256; i++) {
        last[i] = (byte) i;
        first[i] = (byte) i;
        lengths[i] = 1;
      }
      int next = 258;
      int width = 9;
      int previous = -1;
      long bitBuffer = 0;
      int bitCount = 0;
      int position = 0;
      int n = 0;
      while (n < size) {
        while (bitCount < width && position < packed.length) {
          bitBuffer = (bitBuffer << 8) | (packed[position++] & 0xFF);
          bitCount += 8;
        }
        if (bitCount < width) {
          break;
        }
        int code = (int) (bitBuffer >>> (bitCount - width)) & ((1 << width) - 1);
        bitCount -= width;
        if (code == 257) {
          break;
        }
        if (code == 256) {
          next = 258;
          width = 9;
          previous = -1;
          continue;
        }
        if (code > next || (previous < 0 && code > 255) || (code == next && previous < 0)) {
          throw new ImageReadException(file, ImageIo.pageName(page) + "has an LZW code " + code + " where the table"
              + " holds " + next + " (a damaged file?)");
        }
        if (previous >= 0 && next < 4096) {
          // The new entry is the previous string and the first byte of this one (of itself when new).
          prefix[next] = previous;
          first[next] = first[previous];
          last[next] = code == next ? first[previous] : first[code];
          lengths[next] = lengths[previous] + 1;
          next++;
        }
        for (int c = code, k = lengths[code] - 1; k >= 0; c = prefix[c], k--) {
          if (n + k < size) {
            out[n + k] = last[c];
          }
        }
        n += lengths[code];
        previous = code;
        if (next + 1 >= 1 << width && width < 12) {
          width++;
        }
      }
      if (n < size) {
        throw new ImageReadException(file, ImageIo.pageName(page) + "has an LZW strip or tile of " + n
            + " bytes where its size needs " + size + " (a truncated file?)");
      }
      return out;
    }

    private byte[] inflate(byte[] packed, int size) throws DataFormatException {
      byte[] out = new byte[size];
      Inflater inflater = new Inflater();
      try {
        inflater.setInput(packed);
        int n = 0;
        while (n < size && !inflater.finished() && !inflater.needsInput()) {
          n += inflater.inflate(out, n, size - n);
        }
        if (n < size) {
          throw new ImageReadException(file, ImageIo.pageName(page) + "has a Deflate strip or tile of " + n
              + " bytes where its size needs " + size + " (a truncated file?)");
        }
        return out;
      } finally {
        inflater.end();
      }
    }

    /** Predictor 2: each sample was stored as its difference from the sample left of it in its row. */
    private void undoDifferencing(byte[] bytes, int rowBytes) {
      ByteBuffer samples = ByteBuffer.wrap(bytes).order(in.getByteOrder());
      int step = d.channels * sampleBytes;
      for (int row = 0; row + rowBytes <= bytes.length; row += rowBytes) {
        for (int i = row + step; i < row + rowBytes; i += sampleBytes) {
          if (sampleBytes == 1) {
            bytes[i] += bytes[i - step];
          } else {
            samples.putShort(i, (short) (samples.getShort(i) + samples.getShort(i - step)));
          }
        }
      }
    }

    /** Copies {@code rows} rows of a strip or tile to {@code pixels} at ({@code left}, {@code bandRow}). */
    private void copy(ByteBuffer unit, int bandRow, int rows, int left, float[] pixels) {
      int columns = Math.min(d.unitWidth, d.width - left);
      int rowBytes = d.unitWidth * d.channels * sampleBytes;
      for (int r = 0; r < rows; r++) {
        int at = ((bandRow + r) * d.width + left) * d.channels;
        int source = r * rowBytes;
        for (int s = 0; s < columns * d.channels; s++, source += sampleBytes) {
          pixels[at + s] = switch (type) {
            case UINT8 -> unit.get(source) & 0xFF;
            case UINT16 -> unit.getShort(source) & 0xFFFF;
            case FLOAT32 -> unit.getFloat(source);
          };
        }
      }
    }

    @Override
    public String toString() {
      return file + (directories.size() > 1 ? " page " + (page + 1) : "") + " (" + d.width + "x" + d.height + ")";
    }
  }
}
