package org.unet4j.recipes.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BigTIFFs assembled byte by byte here from the BigTIFF layout (header {@code II+} or {@code MM+},
 * 8-byte offsets, 20-byte directory entries), in the layouts other tools write: big-endian, tiles,
 * Deflate, LZW, horizontal differencing, several channels, several pages.
 */
class BigTiffReaderTest {
  private static final int UNCOMPRESSED = 1;
  private static final int LZW = 5;
  private static final int DEFLATE = 8;

  @TempDir Path dir;

  /** A page to assemble: samples (channels last), their layout and coding. */
  private record Page(int width, int height, int channels, PixelType type, float[] samples, int compression,
      boolean differencing, int rowsPerStrip, int tile) {
    static Page of(int width, int height, int channels, PixelType type, int compression, boolean differencing,
        int rowsPerStrip, int tile) {
      float[] samples = new float[width * height * channels];
      for (int i = 0; i < samples.length; i++) {
        // Distinct values that use the type's range: smooth in x so that differencing matters.
        samples[i] = switch (type) {
          case UINT8 -> (i * 7 + i / width) % 256;
          case UINT16 -> (i * 997L + 40_000) % 65536;
          case FLOAT32 -> (float) Math.sin(i * 0.37) * 1000 - i;
        };
      }
      return new Page(width, height, channels, type, samples, compression, differencing, rowsPerStrip, tile);
    }
  }

  @Test
  void handAssembledBigTiffsReadPixelForPixel() throws IOException {
    List<List<Page>> files = List.of(
        // Big-endian, 16-bit, 2 channels, uncompressed strips of 2 rows (the last one shorter), two pages.
        List.of(Page.of(5, 3, 2, PixelType.UINT16, UNCOMPRESSED, false, 2, 0),
            Page.of(1, 1, 1, PixelType.UINT8, UNCOMPRESSED, false, 1, 0)),
        // Floats in 16x16 tiles over a 20x17 page (tiles overhang both edges), Deflate.
        List.of(Page.of(20, 17, 1, PixelType.FLOAT32, DEFLATE, false, 0, 16)),
        // 8-bit RGB, LZW with horizontal differencing, strips of 3 rows.
        List.of(Page.of(7, 5, 3, PixelType.UINT8, LZW, true, 3, 0)),
        // 16-bit, Deflate with differencing, one strip; LZW 16-bit over a longer run (codes of 9 to 12 bits).
        List.of(Page.of(9, 4, 1, PixelType.UINT16, DEFLATE, true, 4, 0),
            Page.of(200, 5, 1, PixelType.UINT16, LZW, false, 5, 0)));
    for (int f = 0; f < files.size(); f++) {
      ByteOrder order = f == 0 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
      Path file = dir.resolve("assembled" + f + ".tif");
      Files.write(file, assemble(order, files.get(f)));
      List<Image> read = ImageIo.readPages(file);
      assertEquals(files.get(f).size(), read.size());
      assertEquals(files.get(f).size(), ImageIo.pageCount(file));
      for (int p = 0; p < read.size(); p++) {
        Page expected = files.get(f).get(p);
        String what = file.getFileName() + " page " + p;
        assertEquals(expected.width(), read.get(p).width(), what);
        assertEquals(expected.channels(), read.get(p).channels(), what);
        assertEquals(expected.type(), read.get(p).type(), what);
        assertArrayEquals(expected.samples(), read.get(p).pixels(), what);
      }
      // A band across strip or tile borders, and the same file's bytes held in memory.
      Page first = files.get(f).get(0);
      if (first.height() >= 3) {
        try (ImageFile big = ImageFile.open(file)) {
          int row = first.width() * first.channels();
          assertArrayEquals(Arrays.copyOfRange(first.samples(), row, 3 * row), big.page(0).rows(1, 3).pixels());
        }
      }
      assertArrayEquals(first.samples(), ImageIo.readPages(Files.readAllBytes(file), file).get(0).pixels());
    }
  }

  @Test
  void aTinyFileDeclaringAHugePageIsRefusedBeforeAllocating() throws IOException {
    // 60000 x 60000 16-bit samples (7.2 GB) in one Deflate strip, in a file of a few hundred bytes.
    Page claimed = new Page(60_000, 60_000, 1, PixelType.UINT16, new float[0], DEFLATE, false, 60_000, 0);
    Path file = dir.resolve("huge.tif");
    Files.write(file, assemble(ByteOrder.LITTLE_ENDIAN, List.of(claimed)));
    String whole = assertThrows(ImageReadException.class, () -> ImageIo.read(file)).getMessage();
    assertTrue(whole.contains("declares a 60000x60000 page of 1 x 16-bit samples (3600000000 samples); unet4j reads"
        + " at most"), whole);
    try (ImageFile big = ImageFile.open(file)) {
      String band = assertThrows(ImageReadException.class, () -> big.page(0)).getMessage();
      assertTrue(band.contains("in strips of 60000 rows (7.20 GB each); one strip or tile holds at most"), band);
    }
    // Uncompressed, a band reads only its rows: the missing data is found, not allocated.
    Page plain = new Page(60_000, 60_000, 1, PixelType.UINT16, new float[0], UNCOMPRESSED, false, 60_000, 0);
    Files.write(file, assemble(ByteOrder.LITTLE_ENDIAN, List.of(plain)));
    try (ImageFile big = ImageFile.open(file)) {
      String missing = assertThrows(ImageReadException.class, () -> big.page(0).rows(100, 101)).getMessage();
      assertTrue(missing.contains("pixel data would lie at bytes"), missing);
    }
  }

  @Test
  void layoutsUnet4jDoesNotReadAreRefusedWithTheReason() throws IOException {
    Path file = dir.resolve("jpeg.tif");
    Page jpeg = new Page(4, 4, 1, PixelType.UINT8, new float[0], 7, false, 4, 0);
    Files.write(file, assemble(ByteOrder.LITTLE_ENDIAN, List.of(jpeg)));
    assertEquals(file + ": is compressed with TIFF compression 7; unet4j reads BigTIFF uncompressed, Deflate (8) or"
        + " LZW (5): save it so", assertThrows(ImageReadException.class, () -> ImageIo.read(file)).getMessage());
    byte[] bytes = assemble(ByteOrder.LITTLE_ENDIAN, List.of(Page.of(3, 2, 1, PixelType.UINT8, UNCOMPRESSED, false,
        2, 0)));
    // The first directory's offset pointing past the end of the file.
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(8, 1L << 40);
    Files.write(file, bytes);
    String damaged = assertThrows(ImageReadException.class, () -> ImageIo.read(file)).getMessage();
    assertTrue(damaged.contains("page 1's directory would lie at bytes 1099511627776.."), damaged);
  }

  // ------------------------------------------------------------------------ the assembler

  /** A BigTIFF of {@code pages}: each page's strips or tiles, then its directory. */
  private static byte[] assemble(ByteOrder order, List<Page> pages) {
    ByteBuffer out = ByteBuffer.allocate(1 << 20).order(order);
    out.put((byte) (order == ByteOrder.BIG_ENDIAN ? 'M' : 'I')).put((byte) (order == ByteOrder.BIG_ENDIAN ? 'M' : 'I'));
    out.putShort((short) 43).putShort((short) 8).putShort((short) 0);
    int linkField = out.position();
    out.putLong(0);
    for (Page page : pages) {
      List<byte[]> units = page.samples().length == 0 ? List.of(new byte[16]) : units(page, order);
      long[] offsets = new long[units.size()];
      long[] counts = new long[units.size()];
      for (int u = 0; u < units.size(); u++) {
        offsets[u] = out.position();
        counts[u] = units.get(u).length;
        out.put(units.get(u));
      }
      Map<Integer, long[]> tags = new TreeMap<>();
      tags.put(256, new long[] {page.width()});
      tags.put(257, new long[] {page.height()});
      long[] bits = new long[page.channels()];
      Arrays.fill(bits, page.type().bits());
      tags.put(258, bits);
      tags.put(259, new long[] {page.compression()});
      tags.put(262, new long[] {page.channels() == 3 ? 2 : 1});
      tags.put(277, new long[] {page.channels()});
      tags.put(284, new long[] {1});
      if (page.differencing()) {
        tags.put(317, new long[] {2});
      }
      long[] format = new long[page.channels()];
      Arrays.fill(format, page.type() == PixelType.FLOAT32 ? 3 : 1);
      tags.put(339, format);
      if (page.tile() > 0) {
        tags.put(322, new long[] {page.tile()});
        tags.put(323, new long[] {page.tile()});
        tags.put(324, offsets);
        tags.put(325, counts);
      } else {
        tags.put(273, offsets);
        tags.put(278, new long[] {page.rowsPerStrip()});
        tags.put(279, counts);
      }
      long directory = out.position();
      out.putLong(linkField, directory);
      out.putLong(tags.size());
      List<long[]> outOfLine = new ArrayList<>();
      Map<Integer, Integer> pointerFields = new HashMap<>();
      for (Map.Entry<Integer, long[]> tag : tags.entrySet()) {
        long[] v = tag.getValue();
        // Offsets and counts as LONG8 (16), the rest as SHORT (3), as tifffile writes them.
        boolean long8 = List.of(273, 279, 324, 325).contains(tag.getKey());
        out.putShort(tag.getKey().shortValue()).putShort((short) (long8 ? 16 : 3)).putLong(v.length);
        int field = out.position();
        if (v.length * (long8 ? 8 : 2) <= 8) {
          for (long x : v) {
            if (long8) {
              out.putLong(x);
            } else {
              out.putShort((short) x);
            }
          }
          out.position(field + 8);
        } else {
          pointerFields.put(outOfLine.size(), field);
          outOfLine.add(long8 ? v : Arrays.stream(v).map(x -> -1 - x).toArray());
          out.putLong(0);
        }
      }
      linkField = out.position();
      out.putLong(0);
      for (int i = 0; i < outOfLine.size(); i++) {
        out.putLong(pointerFields.get(i), out.position());
        for (long x : outOfLine.get(i)) {
          if (x < 0) {
            out.putShort((short) (-1 - x));
          } else {
            out.putLong(x);
          }
        }
      }
    }
    return Arrays.copyOf(out.array(), out.position());
  }

  /** The page's strips or tiles, coded. */
  private static List<byte[]> units(Page page, ByteOrder order) {
    int unitWidth = page.tile() > 0 ? page.tile() : page.width();
    int unitRows = page.tile() > 0 ? page.tile() : page.rowsPerStrip();
    int bytes = page.type().bits() / 8;
    List<byte[]> units = new ArrayList<>();
    for (int top = 0; top < page.height(); top += unitRows) {
      for (int left = 0; left < page.width(); left += unitWidth) {
        int rows = page.tile() > 0 ? unitRows : Math.min(unitRows, page.height() - top);
        ByteBuffer unit = ByteBuffer.allocate(rows * unitWidth * page.channels() * bytes).order(order);
        for (int y = top; y < top + rows; y++) {
          long[] previous = new long[page.channels()];
          for (int x = left; x < left + unitWidth; x++) {
            for (int c = 0; c < page.channels(); c++) {
              boolean inside = y < page.height() && x < page.width();
              float v = inside ? page.samples()[(y * page.width() + x) * page.channels() + c] : 0;
              long stored = (long) v;
              if (page.differencing()) {
                stored = (long) v - previous[c];
                previous[c] = (long) v;
              }
              switch (page.type()) {
                case UINT8 -> unit.put((byte) stored);
                case UINT16 -> unit.putShort((short) stored);
                case FLOAT32 -> unit.putFloat(v);
              }
            }
          }
        }
        byte[] raw = unit.array();
        units.add(switch (page.compression()) {
          case DEFLATE -> deflate(raw);
          case LZW -> lzw(raw);
          default -> raw;
        });
      }
    }
    return units;
  }

  private static byte[] deflate(byte[] raw) {
    Deflater deflater = new Deflater();
    deflater.setInput(raw);
    deflater.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] chunk = new byte[4096];
    while (!deflater.finished()) {
      out.write(chunk, 0, deflater.deflate(chunk));
    }
    deflater.end();
    return out.toByteArray();
  }

  /**
   * A textbook LZW encoder with TIFF's conventions (a clear code first, codes most significant bit
   * first, one code early to widen); the inputs here stay below 4094 table entries.
   */
  private static byte[] lzw(byte[] raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long[] bits = {0, 0};
    Map<Integer, Integer> table = new HashMap<>();
    int next = 258;
    int width = 9;
    write(out, bits, 256, width);
    int current = raw[0] & 0xFF;
    for (int i = 1; i < raw.length; i++) {
      int b = raw[i] & 0xFF;
      Integer known = table.get(current << 8 | b);
      if (known != null) {
        current = known;
        continue;
      }
      write(out, bits, current, width);
      table.put(current << 8 | b, next++);
      if (next > (1 << width) - 1) {
        width++;
      }
      current = b;
    }
    write(out, bits, current, width);
    next++;
    if (next > (1 << width) - 1) {
      width++;
    }
    write(out, bits, 257, width);
    if (bits[1] > 0) {
      out.write((int) (bits[0] << (8 - bits[1])));
    }
    assertTrue(next < 4094, "the test's encoder does not clear its table");
    return out.toByteArray();
  }

  /** Appends a code of {@code width} bits to {@code bits} = {pending bits, their count}. */
  private static void write(ByteArrayOutputStream out, long[] bits, int code, int width) {
    bits[0] = bits[0] << width | code;
    bits[1] += width;
    while (bits[1] >= 8) {
      out.write((int) (bits[0] >>> (bits[1] - 8)) & 0xFF);
      bits[1] -= 8;
    }
  }
}
