package org.unet4j.recipes.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Writes a one-channel TIFF a band of rows at a time, so that a page never has to be in memory:
 * the probability maps ({@link PixelType#FLOAT32}) and instance labels ({@link PixelType#UINT16})
 * of images of any size. The JDK's TIFF writer needs the whole page as a {@code RenderedImage},
 * and writes neither BigTIFF nor ImageJ's header, hence this small baseline writer.
 *
 * <p><b>Format.</b> Little-endian TIFF 6.0 ({@code II*}), or BigTIFF ({@code II+}, 64-bit offsets)
 * for files over 4 GB ({@link TiffVariant}); uncompressed: the pixel data of every page, one after
 * another in strips of about 64 KB (whole rows), then one image file directory per page with the
 * baseline tags NewSubfileType, ImageWidth, ImageLength, BitsPerSample, Compression (1),
 * PhotometricInterpretation (1, BlackIsZero), StripOffsets, SamplesPerPixel (1), RowsPerStrip,
 * StripByteCounts, XResolution and YResolution, ResolutionUnit, PlanarConfiguration (1) and
 * SampleFormat (1 unsigned, 3 float). The first directory also holds ImageJ's ImageDescription
 * ({@code ImageJ=1.54f}, then {@code images=}, {@code slices=}, {@code loop=false} for a stack of
 * equal pages and {@code unit=}, {@code spacing=} for a calibrated image), as ImageJ writes it.
 * ImageJ reads a stack with {@code images=} as that many pages of contiguous pixel data from the
 * first page's offset, without reading the other directories: hence the pixel data first, and
 * {@code images=} only when all pages have the same size and type.
 *
 * <p><b>Calibration</b> ({@link Calibration}) is written as ImageJ writes it: XResolution and
 * YResolution are pixels per unit, ResolutionUnit is 3 for {@code cm}, 2 for {@code inch} and 1
 * (none) otherwise, the unit's name and the page spacing in the description. So Fiji shows the
 * pixel size in microns and a multi-page file as a z-stack with its voxel depth. Uncalibrated
 * files get resolution 1/1 with ResolutionUnit 1.
 *
 * <p><b>Atomic.</b> The pages go to a temporary file beside the target; {@link #commit} renames it
 * over the target, and {@link #close} without a commit deletes it, so a file of the target's
 * name is always complete.
 */
public final class StripTiffWriter implements AutoCloseable {
  /** Bytes per strip the writer aims at. */
  private static final int STRIP_BYTES = 1 << 16;
  /** The largest offset classic TIFF can address. */
  private static final long MAX_OFFSET = 0xFFFF_FFFFL;
  /** The ImageJ version the header names: the one whose header layout this writer follows. */
  private static final String IMAGEJ_VERSION = "1.54f";

  private static final int ASCII = 2;
  private static final int SHORT = 3;
  private static final int LONG = 4;
  private static final int RATIONAL = 5;
  private static final int LONG8 = 16;

  private final Path target;
  private final Path temporary;
  private final FileChannel channel;
  private final Calibration calibration;
  private final TiffVariant variant;
  private final ByteBuffer buffer = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
  /** Where the offset of the next directory goes: the header's, then each directory's last field. */
  private long nextDirectoryField;
  private long position;
  private int pages;
  /** The finished pages, whose directories {@link #commit} writes after all pixel data. */
  private final List<Page> finished = new ArrayList<>();
  /** An upper bound of the bytes the finished pages' directories will take. */
  private long directoryBytes;
  private boolean committed;
  private @Nullable Page page;

  private StripTiffWriter(Path target, Path temporary, FileChannel channel, Calibration calibration,
      TiffVariant variant) {
    this.target = target;
    this.temporary = temporary;
    this.channel = channel;
    this.calibration = calibration;
    this.variant = variant;
  }

  /**
   * Starts an uncalibrated classic TIFF that {@link #commit} will put at {@code file}; creates
   * missing folders.
   *
   * @throws UncheckedIOException when the folder cannot be created or written
   */
  public static StripTiffWriter create(Path file) {
    return create(file, Calibration.NONE, TiffVariant.CLASSIC);
  }

  /**
   * Starts a TIFF with {@code calibration}, classic or BigTIFF, that {@link #commit} will put at
   * {@code file}; creates missing folders.
   *
   * @throws UncheckedIOException when the folder cannot be created or written
   */
  public static StripTiffWriter create(Path file, Calibration calibration, TiffVariant variant) {
    checkNotNull(file, "file");
    checkNotNull(calibration, "calibration");
    checkNotNull(variant, "variant");
    Path target = file.toAbsolutePath();
    Path temporary = AtomicFiles.temporary(target);
    try {
      Files.createDirectories(target.getParent());
      FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
          StandardOpenOption.READ);
      StripTiffWriter writer = new StripTiffWriter(target, temporary, channel, calibration, variant);
      writer.buffer.put((byte) 'I').put((byte) 'I');
      if (variant == TiffVariant.BIG) {
        // BigTIFF: magic 43, 8-byte offsets, a reserved 0, then the first directory's offset.
        writer.buffer.putShort((short) 43).putShort((short) 8).putShort((short) 0).putLong(0);
        writer.nextDirectoryField = 8;
      } else {
        writer.buffer.putShort((short) 42).putInt(0);
        writer.nextDirectoryField = 4;
      }
      return writer;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + ImageIo.describe(e), e);
    }
  }

  /** The file this writer commits to. */
  public Path target() {
    return target;
  }

  /** The pages finished so far. */
  public int pageCount() {
    return pages;
  }

  /**
   * Starts a page of {@code width x height} one-channel samples of {@code type}.
   *
   * @throws DataException when the file would outgrow classic TIFF's 4 GB
   * @throws IllegalStateException when the previous page is not finished
   */
  public void beginPage(int width, int height, PixelType type) {
    checkNotNull(type, "type");
    checkState(page == null, "page %s is not finished: write all its rows first", pages + 1);
    checkState(!committed, "the file is committed");
    checkArgument(width >= 1 && height >= 1, "image size must be at least 1x1, got %sx%s", width, height);
    long rowBytes = (long) width * (type.bits() / 8);
    int rowsPerStrip = (int) Math.max(1, Math.min(height, STRIP_BYTES / rowBytes));
    int strips = (height + rowsPerStrip - 1) / rowsPerStrip;
    long end = position + buffer.position() + rowBytes * height + directoryBytes + directoryBytes(strips);
    if (variant == TiffVariant.CLASSIC && end > MAX_OFFSET) {
      throw new DataException(target.getFileName() + ": page " + (pages + 1) + " (" + width + "x" + height
          + " " + type + ") would make the file larger than the 4 GB that classic TIFF addresses; write it as"
          + " BigTIFF, or predict fewer pages per file or smaller images");
    }
    page = new Page(width, height, type, rowsPerStrip, strips, position + buffer.position());
  }

  /**
   * Appends {@code rows} rows of the current page from {@code samples} (row-major, starting at
   * {@code offset}): floats as 32-bit IEEE, integer types as whole numbers in their range.
   *
   * @throws IllegalArgumentException for a sample an integer type cannot hold, or more rows than
   *     the page has
   */
  public void writeRows(float[] samples, int offset, int rows) {
    checkNotNull(samples, "samples");
    Page p = page;
    checkState(p != null, "no page begun: call beginPage first");
    checkArgument(rows >= 0 && p.rowsWritten + rows <= p.height, "%s more rows would make %s, but the page has %s",
        rows, p.rowsWritten + rows, p.height);
    int count = Math.multiplyExact(rows, p.width);
    checkArgument(offset >= 0 && offset + count <= samples.length, "%s samples from %s do not fit in %s", count,
        offset, samples.length);
    try {
      for (int i = offset; i < offset + count; i++) {
        if (buffer.remaining() < 4) {
          flush();
        }
        float v = samples[i];
        switch (p.type) {
          case FLOAT32 -> buffer.putFloat(v);
          case UINT16 -> buffer.putShort((short) checkedInteger(v, p, i - offset));
          case UINT8 -> buffer.put((byte) checkedInteger(v, p, i - offset));
        }
      }
    } catch (IOException e) {
      throw failed(e);
    }
    p.rowsWritten += rows;
  }

  private int checkedInteger(float v, Page p, int index) {
    if (!(v >= 0 && v <= p.type.max() && v == Math.rint(v))) {
      int pixel = index;
      throw new IllegalArgumentException("sample " + v + " at (x=" + pixel % p.width + ", y="
          + (p.rowsWritten + pixel / p.width) + ") is not a " + p.type + " value; " + p.type + " holds whole numbers 0.."
          + (int) p.type.max());
    }
    return (int) v;
  }

  /**
   * Finishes the current page (its directory is written by {@link #commit}).
   *
   * @throws IllegalStateException when rows are missing
   */
  public void endPage() {
    Page p = page;
    checkState(p != null, "no page begun: call beginPage first");
    checkState(p.rowsWritten == p.height, "the page has %s rows but %s were written", p.height, p.rowsWritten);
    finished.add(p);
    directoryBytes += directoryBytes(p.strips);
    page = null;
    pages++;
  }

  /** Writes every page's directory after the pixel data, each linked from the one before. */
  private void writeDirectories() throws IOException {
    boolean big = variant == TiffVariant.BIG;
    Page first = finished.get(0);
    boolean uniform = finished.stream().allMatch(p -> p.width == first.width && p.height == first.height
        && p.type == first.type);
    for (int index = 0; index < finished.size(); index++) {
      Page p = finished.get(index);
      List<Entry> entries = entries(p, index == 0 ? imageJDescription(uniform) : null);
      if ((position + buffer.position()) % 2 != 0) {
        buffer.put((byte) 0);
      }
      long directory = position + buffer.position();
      int inline = big ? 8 : 4;
      long extra = directory + (big ? 8 : 2) + (long) entries.size() * (big ? 20 : 12) + (big ? 8 : 4);
      ensure(16);
      if (big) {
        buffer.putLong(entries.size());
      } else {
        buffer.putShort((short) entries.size());
      }
      for (Entry e : entries) {
        ensure(20);
        buffer.putShort((short) e.tag).putShort((short) e.type);
        if (big) {
          buffer.putLong(e.count);
        } else {
          buffer.putInt((int) e.count);
        }
        if (e.bytes.length <= inline) {
          buffer.put(e.bytes).put(new byte[inline - e.bytes.length]);
        } else {
          if (big) {
            buffer.putLong(extra);
          } else {
            buffer.putInt((int) extra);
          }
          extra += e.bytes.length + e.bytes.length % 2;
        }
      }
      long nextField = position + buffer.position();
      ensure(8);
      buffer.put(new byte[inline]);
      for (Entry e : entries) {
        if (e.bytes.length > inline) {
          put(e.bytes);
          if (e.bytes.length % 2 != 0) {
            put(new byte[1]);
          }
        }
      }
      flush();
      ByteBuffer link = ByteBuffer.allocate(inline).order(ByteOrder.LITTLE_ENDIAN);
      if (big) {
        link.putLong(directory);
      } else {
        link.putInt((int) directory);
      }
      channel.write(link.flip(), nextDirectoryField);
      nextDirectoryField = nextField;
    }
  }

  /** The tags of page {@code p}, with ImageJ's header when {@code description} is given. */
  private List<Entry> entries(Page p, @Nullable String description) {
    boolean big = variant == TiffVariant.BIG;
    long rowBytes = (long) p.width * (p.type.bits() / 8);
    long[] offsets = new long[p.strips];
    long[] counts = new long[p.strips];
    for (int s = 0; s < p.strips; s++) {
      offsets[s] = p.dataStart + s * rowBytes * p.rowsPerStrip;
      counts[s] = rowBytes * Math.min(p.rowsPerStrip, p.height - s * p.rowsPerStrip);
    }
    List<Entry> entries = new ArrayList<>();
    entries.add(Entry.longs(254, 0));
    entries.add(Entry.longs(256, p.width));
    entries.add(Entry.longs(257, p.height));
    entries.add(Entry.shorts(258, p.type.bits()));
    entries.add(Entry.shorts(259, 1));
    entries.add(Entry.shorts(262, 1));
    if (description != null) {
      entries.add(Entry.ascii(270, description));
    }
    entries.add(big ? Entry.long8s(273, offsets) : Entry.longs(273, offsets));
    entries.add(Entry.shorts(277, 1));
    entries.add(Entry.longs(278, p.rowsPerStrip));
    entries.add(big ? Entry.long8s(279, counts) : Entry.longs(279, counts));
    entries.add(Entry.rational(282, calibration.calibrated() ? 1 / calibration.pixelWidth() : 1));
    entries.add(Entry.rational(283, calibration.calibrated() ? 1 / calibration.pixelHeight() : 1));
    entries.add(Entry.shorts(284, 1));
    entries.add(Entry.shorts(296, resolutionUnit()));
    // ImageJ and ImageIO tell floats from integers by SampleFormat.
    entries.add(Entry.shorts(339, p.type == PixelType.FLOAT32 ? 3 : 1));
    return entries;
  }

  /** An upper bound of the bytes a page's directory and its out-of-line values take. */
  private long directoryBytes(int strips) {
    return 8 + 17 * 20 + 8 + 16L * strips + 16 + imageJDescription(true).length() + 2;
  }

  /**
   * ImageJ's header, as its FileSaver writes it: the stack's size (so that ImageJ opens the pages
   * as slices without reading every directory first) and the calibration's unit and z spacing.
   */
  private String imageJDescription(boolean uniform) {
    StringBuilder text = new StringBuilder("ImageJ=").append(IMAGEJ_VERSION).append('\n');
    boolean stack = uniform && pages > 1;
    if (stack) {
      text.append("images=").append(pages).append('\n');
      text.append("slices=").append(pages).append('\n');
    }
    if (calibration.calibrated()) {
      text.append("unit=").append(calibration.unit()).append('\n');
      if (pages > 1) {
        text.append("spacing=").append(calibration.pixelDepth()).append('\n');
      }
    }
    if (stack) {
      text.append("loop=false\n");
    }
    return text.toString();
  }

  /** ResolutionUnit as ImageJ's TiffEncoder chooses it: the two units TIFF names, else none. */
  private int resolutionUnit() {
    return switch (calibration.unit()) {
      case "inch" -> 2;
      case "cm" -> 3;
      default -> 1;
    };
  }

  private void put(byte[] bytes) throws IOException {
    int at = 0;
    while (at < bytes.length) {
      if (!buffer.hasRemaining()) {
        flush();
      }
      int n = Math.min(buffer.remaining(), bytes.length - at);
      buffer.put(bytes, at, n);
      at += n;
    }
  }

  private void ensure(int bytes) throws IOException {
    if (buffer.remaining() < bytes) {
      flush();
    }
  }

  private void flush() throws IOException {
    buffer.flip();
    while (buffer.hasRemaining()) {
      position += channel.write(buffer, position);
    }
    buffer.clear();
  }

  /**
   * Writes what is left, forces the file to the disk and renames it over the target
   * ({@link AtomicFiles#moveInPlace}); when that fails the temporary file is deleted at once.
   *
   * @throws IllegalStateException when a page is unfinished or there is none
   */
  public void commit() {
    checkState(page == null, "page %s is not finished", pages + 1);
    checkState(pages > 0, "a TIFF file needs at least one page, got none");
    checkState(!committed, "already committed");
    try {
      writeDirectories();
      flush();
      channel.close();
      AtomicFiles.moveInPlace(temporary, target);
      committed = true;
    } catch (IOException e) {
      // Complete or absent: a failed commit leaves no temporary file for close() to find.
      try {
        channel.close();
      } catch (IOException ignored) {
        // the file is deleted below either way
      }
      AtomicFiles.deleteQuietly(temporary);
      throw failed(e);
    }
  }

  /** Deletes the temporary file unless committed. */
  @Override
  public void close() {
    try {
      channel.close();
      if (!committed) {
        AtomicFiles.deleteQuietly(temporary);
      }
    } catch (IOException e) {
      throw failed(e);
    }
  }

  private UncheckedIOException failed(IOException e) {
    return new UncheckedIOException("cannot write " + target + ": " + ImageIo.describe(e), e);
  }

  /** One directory entry: its value's bytes, little-endian, inline when they fit. */
  private record Entry(int tag, int type, long count, byte[] bytes) {
    static Entry shorts(int tag, int value) {
      return new Entry(tag, SHORT, 1, ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN)
          .putShort((short) value).array());
    }

    static Entry longs(int tag, long... values) {
      ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
      for (long v : values) {
        b.putInt((int) v);
      }
      return new Entry(tag, LONG, values.length, b.array());
    }

    static Entry long8s(int tag, long... values) {
      ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
      for (long v : values) {
        b.putLong(v);
      }
      return new Entry(tag, LONG8, values.length, b.array());
    }

    /**
     * A positive value as a fraction with the largest power-of-ten denominator that keeps the
     * numerator in 32 bits: 1 / 0.325 is 3076923077 / 10^9, so the pixel size reads back to 10
     * digits (ImageJ's own 10^6 denominator gives 0.325000008).
     */
    static Entry rational(int tag, double value) {
      long denominator = 1_000_000_000;
      while (denominator > 1 && value * denominator > MAX_OFFSET) {
        denominator /= 10;
      }
      long numerator = Math.min(MAX_OFFSET, Math.max(1, Math.round(value * denominator)));
      return new Entry(tag, RATIONAL, 1, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
          .putInt((int) numerator).putInt((int) denominator).array());
    }

    /** ASCII text, NUL-terminated as TIFF asks. */
    static Entry ascii(int tag, String text) {
      byte[] chars = (text + '\0').getBytes(StandardCharsets.ISO_8859_1);
      return new Entry(tag, ASCII, chars.length, chars);
    }
  }

  /** The page being written. */
  private static final class Page {
    final int width;
    final int height;
    final PixelType type;
    final int rowsPerStrip;
    final int strips;
    final long dataStart;
    int rowsWritten;

    Page(int width, int height, PixelType type, int rowsPerStrip, int strips, long dataStart) {
      this.width = width;
      this.height = height;
      this.type = type;
      this.rowsPerStrip = rowsPerStrip;
      this.strips = strips;
      this.dataStart = dataStart;
    }
  }
}
