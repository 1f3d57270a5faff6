package org.unet4j.recipes.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.jspecify.annotations.Nullable;

/**
 * Writes a one-channel TIFF a band of rows at a time, so that a page never has to be in memory:
 * the probability maps ({@link PixelType#FLOAT32}) and instance labels ({@link PixelType#UINT16})
 * of images of any size. The JDK's TIFF writer needs the whole page as a {@code RenderedImage},
 * hence this small baseline writer.
 *
 * <p><b>Format.</b> Classic little-endian TIFF 6.0 ({@code II*}), uncompressed, one page after
 * another: each page's pixel data in strips of about 64 KB (whole rows), followed by its image
 * file directory with the baseline tags NewSubfileType, ImageWidth, ImageLength, BitsPerSample,
 * Compression (1), PhotometricInterpretation (1, BlackIsZero), StripOffsets, SamplesPerPixel (1),
 * RowsPerStrip, StripByteCounts, XResolution and YResolution (1/1), PlanarConfiguration (1),
 * ResolutionUnit (1, none) and SampleFormat (1 unsigned, 3 float). The JDK's ImageIO and
 * ImageJ/Fiji open it (a 32-bit float or 16-bit image, a stack when there are several pages).
 * Classic TIFF addresses at most 4 GB; a larger file is refused before it is written.
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
  /** Tags in each directory. */
  private static final int ENTRIES = 15;

  private final Path target;
  private final Path temporary;
  private final FileChannel channel;
  private final ByteBuffer buffer = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
  /** Where the offset of the next directory goes: the header's, then each directory's last field. */
  private long nextDirectoryField = 4;
  private long position;
  private int pages;
  private boolean committed;
  private @Nullable Page page;

  private StripTiffWriter(Path target, Path temporary, FileChannel channel) {
    this.target = target;
    this.temporary = temporary;
    this.channel = channel;
  }

  /**
   * Starts a TIFF that {@link #commit} will put at {@code file}; creates missing folders.
   *
   * @throws UncheckedIOException when the folder cannot be created or written
   */
  public static StripTiffWriter create(Path file) {
    checkNotNull(file, "file");
    Path target = file.toAbsolutePath();
    Path temporary = AtomicFiles.temporary(target);
    try {
      Files.createDirectories(target.getParent());
      FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
          StandardOpenOption.READ);
      StripTiffWriter writer = new StripTiffWriter(target, temporary, channel);
      writer.buffer.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(0);
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
    long end = position + buffer.position() + rowBytes * height + 1 + 2 + ENTRIES * 12 + 4 + 8L * strips + 16;
    if (end > MAX_OFFSET) {
      throw new DataException(target.getFileName() + ": page " + (pages + 1) + " (" + width + "x" + height
          + " " + type + ") would make the file larger than the 4 GB that classic TIFF addresses; predict fewer"
          + " pages per file or smaller images");
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
   * Finishes the current page: writes its directory and links it from the previous one.
   *
   * @throws IllegalStateException when rows are missing
   */
  public void endPage() {
    Page p = page;
    checkState(p != null, "no page begun: call beginPage first");
    checkState(p.rowsWritten == p.height, "the page has %s rows but %s were written", p.height, p.rowsWritten);
    try {
      if ((position + buffer.position()) % 2 != 0) {
        buffer.put((byte) 0);
      }
      long directory = position + buffer.position();
      int entries = ENTRIES;
      long extra = directory + 2 + 12L * entries + 4;
      long offsetsAt = p.strips > 1 ? extra : -1;
      long countsAt = p.strips > 1 ? extra + 4L * p.strips : -1;
      long resolutionAt = extra + (p.strips > 1 ? 8L * p.strips : 0);
      int bytesPerSample = p.type.bits() / 8;
      long rowBytes = (long) p.width * bytesPerSample;
      ensure(2 + 12 * entries + 4);
      buffer.putShort((short) entries);
      entry(254, 4, 1, 0);
      entry(256, 4, 1, p.width);
      entry(257, 4, 1, p.height);
      entry(258, 3, 1, p.type.bits());
      entry(259, 3, 1, 1);
      entry(262, 3, 1, 1);
      entry(273, 4, p.strips, p.strips > 1 ? offsetsAt : p.dataStart);
      entry(277, 3, 1, 1);
      entry(278, 4, 1, p.rowsPerStrip);
      entry(279, 4, p.strips, p.strips > 1 ? countsAt : rowBytes * p.height);
      entry(282, 5, 1, resolutionAt);
      entry(283, 5, 1, resolutionAt + 8);
      entry(284, 3, 1, 1);
      entry(296, 3, 1, 1);
      // ImageJ and ImageIO tell floats from integers by SampleFormat.
      entry(339, 3, 1, p.type == PixelType.FLOAT32 ? 3 : 1);
      long nextField = position + buffer.position();
      buffer.putInt(0);
      if (p.strips > 1) {
        for (int s = 0; s < p.strips; s++) {
          ensure(4);
          buffer.putInt((int) (p.dataStart + s * rowBytes * p.rowsPerStrip));
        }
        for (int s = 0; s < p.strips; s++) {
          ensure(4);
          int rows = Math.min(p.rowsPerStrip, p.height - s * p.rowsPerStrip);
          buffer.putInt((int) (rowBytes * rows));
        }
      }
      ensure(16);
      buffer.putInt(1).putInt(1).putInt(1).putInt(1);
      flush();
      ByteBuffer link = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) directory).flip();
      channel.write(link, nextDirectoryField);
      nextDirectoryField = nextField;
    } catch (IOException e) {
      throw failed(e);
    }
    page = null;
    pages++;
  }

  /** One 12-byte directory entry whose value (or the offset of its values) is {@code value}. */
  private void entry(int tag, int type, long count, long value) {
    buffer.putShort((short) tag).putShort((short) type).putInt((int) count);
    if (type == 3 && count == 1) {
      buffer.putShort((short) value).putShort((short) 0);
    } else {
      buffer.putInt((int) value);
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
