package org.unet4j.recipes.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.plugins.tiff.BaselineTIFFTagSet;
import javax.imageio.plugins.tiff.TIFFDirectory;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StripTiffWriterTest {
  @TempDir Path dir;

  private static Image random(PixelType type, int width, int height, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] pixels = new float[width * height];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = type == PixelType.FLOAT32 ? (float) random.nextGaussian() : random.nextInt((int) type.max() + 1);
    }
    return Image.gray(width, height, type, pixels);
  }

  /** Writes each page in bands of {@code band} rows. */
  private static void write(Path file, List<Image> pages, int band) {
    try (StripTiffWriter writer = StripTiffWriter.create(file)) {
      for (Image page : pages) {
        writer.beginPage(page.width(), page.height(), page.type());
        for (int y = 0; y < page.height(); y += band) {
          int rows = Math.min(band, page.height() - y);
          writer.writeRows(page.pixels(), y * page.width(), rows);
        }
        writer.endPage();
      }
      assertFalse(Files.exists(file), "nothing at the target before the commit");
      writer.commit();
    }
  }

  /**
   * Pages of every type, one strip or many (a 40000-pixel float row is 160 KB, over the 64 KB a
   * strip aims at, so one row a strip), read back exactly by the JDK's reader.
   */
  @Test
  void pagesReadBackExactly() throws IOException {
    List<Image> pages = List.of(random(PixelType.FLOAT32, 37, 29, 1), random(PixelType.UINT16, 37, 29, 2),
        random(PixelType.UINT8, 1, 1, 3), random(PixelType.FLOAT32, 40_000, 3, 4),
        random(PixelType.UINT16, 300, 250, 5));
    Path file = dir.resolve("out.tif");
    write(file, pages, 7);
    assertEquals(pages, ImageIo.readPages(file));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList(), "no temporary file left");
    }
    byte[] head = Files.readAllBytes(file);
    assertEquals('I', head[0]);
    assertEquals('I', head[1]);
    assertEquals(42, head[2]);
  }

  /** The baseline tags a reader such as ImageJ looks for, with the values they must have. */
  @Test
  void directoriesHoldTheBaselineTags() throws IOException {
    Path file = dir.resolve("tags.tif");
    write(file, List.of(random(PixelType.FLOAT32, 300, 250, 1), random(PixelType.UINT16, 5, 3, 2)), 100);
    ImageReader reader = ImageIO.getImageReadersByFormatName("tiff").next();
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      reader.setInput(in);
      TIFFDirectory floats = TIFFDirectory.createFromMetadata(reader.getImageMetadata(0));
      assertEquals(32, floats.getTIFFField(BaselineTIFFTagSet.TAG_BITS_PER_SAMPLE).getAsInt(0));
      assertEquals(3, floats.getTIFFField(BaselineTIFFTagSet.TAG_SAMPLE_FORMAT).getAsInt(0));
      assertEquals(1, floats.getTIFFField(BaselineTIFFTagSet.TAG_COMPRESSION).getAsInt(0));
      assertEquals(1, floats.getTIFFField(BaselineTIFFTagSet.TAG_PHOTOMETRIC_INTERPRETATION).getAsInt(0));
      // 65536 / 1200 bytes a row = 54 rows a strip; 250 rows = 4 x 54 + 34: 5 strips.
      assertEquals(54, floats.getTIFFField(BaselineTIFFTagSet.TAG_ROWS_PER_STRIP).getAsInt(0));
      assertEquals(5, floats.getTIFFField(BaselineTIFFTagSet.TAG_STRIP_OFFSETS).getCount());
      assertEquals(54 * 1200, floats.getTIFFField(BaselineTIFFTagSet.TAG_STRIP_BYTE_COUNTS).getAsInt(0));
      assertEquals(34 * 1200, floats.getTIFFField(BaselineTIFFTagSet.TAG_STRIP_BYTE_COUNTS).getAsInt(4));
      assertTrue(floats.getTIFFField(BaselineTIFFTagSet.TAG_X_RESOLUTION) != null);
      TIFFDirectory shorts = TIFFDirectory.createFromMetadata(reader.getImageMetadata(1));
      assertEquals(16, shorts.getTIFFField(BaselineTIFFTagSet.TAG_BITS_PER_SAMPLE).getAsInt(0));
      assertEquals(1, shorts.getTIFFField(BaselineTIFFTagSet.TAG_SAMPLE_FORMAT).getAsInt(0));
      assertEquals(1, shorts.getTIFFField(BaselineTIFFTagSet.TAG_STRIP_OFFSETS).getCount());
    } finally {
      reader.dispose();
    }
  }

  @Test
  void mistakesAreRefusedAndAnUncommittedFileLeavesNothing() throws IOException {
    Path file = dir.resolve("bad.tif");
    try (StripTiffWriter writer = StripTiffWriter.create(file)) {
      writer.beginPage(4, 2, PixelType.UINT16);
      IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
          () -> writer.writeRows(new float[] {1, 2, 3, 4, 5, 6, 70000, 8}, 0, 2));
      assertEquals("sample 70000.0 at (x=2, y=1) is not a UINT16 value; UINT16 holds whole numbers 0..65535",
          range.getMessage());
      writer.writeRows(new float[4], 0, 1);
      assertEquals("the page has 2 rows but 1 were written",
          assertThrows(IllegalStateException.class, writer::endPage).getMessage());
      assertEquals("3 more rows would make 4, but the page has 2",
          assertThrows(IllegalArgumentException.class, () -> writer.writeRows(new float[12], 0, 3)).getMessage());
    }
    try (StripTiffWriter writer = StripTiffWriter.create(file)) {
      IllegalArgumentException huge = assertThrows(IllegalArgumentException.class,
          () -> writer.beginPage(40_000, 30_000, PixelType.FLOAT32));
      assertEquals("bad.tif: page 1 (40000x30000 FLOAT32) would make the file larger than the 4 GB that classic"
          + " TIFF addresses; write it as BigTIFF, or predict fewer pages per file or smaller images", huge.getMessage());
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(), files.toList());
    }
  }

  /**
   * A calibrated stack as ImageJ writes one, read with the JDK's TIFF metadata (not through the
   * writer): pixels per micron as the resolution, ResolutionUnit none, ImageJ's header in the
   * first directory only.
   */
  @Test
  void calibrationAndImageJHeaderAreWrittenAsImageJWritesThem() throws IOException {
    Path file = dir.resolve("stack.tif");
    List<Image> pages = List.of(random(PixelType.UINT16, 5, 4, 1), random(PixelType.UINT16, 5, 4, 2),
        random(PixelType.UINT16, 5, 4, 3));
    try (StripTiffWriter writer = StripTiffWriter.create(file, new Calibration(0.5, 0.25, 2, "um"),
        TiffVariant.CLASSIC)) {
      for (Image page : pages) {
        writer.beginPage(5, 4, PixelType.UINT16);
        writer.writeRows(page.pixels(), 0, 4);
        writer.endPage();
      }
      writer.commit();
    }
    assertEquals(pages, ImageIo.readPages(file));
    ImageReader reader = ImageIO.getImageReadersByFormatName("tiff").next();
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      reader.setInput(in);
      TIFFDirectory first = TIFFDirectory.createFromMetadata(reader.getImageMetadata(0));
      assertEquals("ImageJ=1.54f\nimages=3\nslices=3\nunit=micron\nspacing=2.0\nloop=false\n",
          first.getTIFFField(BaselineTIFFTagSet.TAG_IMAGE_DESCRIPTION).getAsString(0));
      // 0.5 micron pixels: 2 pixels per micron; 0.25: 4.
      assertEquals(2.0, first.getTIFFField(BaselineTIFFTagSet.TAG_X_RESOLUTION).getAsDouble(0), 1e-9);
      assertEquals(4.0, first.getTIFFField(BaselineTIFFTagSet.TAG_Y_RESOLUTION).getAsDouble(0), 1e-9);
      assertEquals(1, first.getTIFFField(BaselineTIFFTagSet.TAG_RESOLUTION_UNIT).getAsInt(0));
      TIFFDirectory second = TIFFDirectory.createFromMetadata(reader.getImageMetadata(1));
      assertEquals(null, second.getTIFFField(BaselineTIFFTagSet.TAG_IMAGE_DESCRIPTION));
      assertEquals(2.0, second.getTIFFField(BaselineTIFFTagSet.TAG_X_RESOLUTION).getAsDouble(0), 1e-9);
    } finally {
      reader.dispose();
    }
    assertEquals(new Calibration(0.5, 0.25, 2, "micron"), Calibration.read(file));
  }

  /**
   * Pages of different sizes get no {@code images=}: ImageJ would read that many pages of the
   * first page's size from contiguous data. The pixel data of all pages comes before the
   * directories, so equal pages are contiguous.
   */
  @Test
  void onlyEqualPagesAreDeclaredAsAnImageJStack() throws IOException {
    Path mixed = dir.resolve("mixed.tif");
    try (StripTiffWriter writer = StripTiffWriter.create(mixed, Calibration.square(2, "nm"), TiffVariant.CLASSIC)) {
      for (int width : new int[] {3, 4}) {
        writer.beginPage(width, 2, PixelType.UINT8);
        writer.writeRows(new float[width * 2], 0, 2);
        writer.endPage();
      }
      writer.commit();
    }
    ImageReader reader = ImageIO.getImageReadersByFormatName("tiff").next();
    try (ImageInputStream in = ImageIO.createImageInputStream(mixed.toFile())) {
      reader.setInput(in);
      TIFFDirectory first = TIFFDirectory.createFromMetadata(reader.getImageMetadata(0));
      assertEquals("ImageJ=1.54f\nunit=nm\nspacing=1.0\n",
          first.getTIFFField(BaselineTIFFTagSet.TAG_IMAGE_DESCRIPTION).getAsString(0));
      // Page 1's 6 bytes start at 8, page 2's 8 bytes right after them.
      assertEquals(8, first.getTIFFField(BaselineTIFFTagSet.TAG_STRIP_OFFSETS).getAsLong(0));
      TIFFDirectory second = TIFFDirectory.createFromMetadata(reader.getImageMetadata(1));
      assertEquals(14, second.getTIFFField(BaselineTIFFTagSet.TAG_STRIP_OFFSETS).getAsLong(0));
    } finally {
      reader.dispose();
    }
  }

  @Test
  void variantSwitchesToBigTiffOnlyAbove4Gb() {
    assertEquals(TiffVariant.CLASSIC, TiffVariant.forPixelBytes(3L << 30));
    assertEquals(TiffVariant.CLASSIC, TiffVariant.forPixelBytes(TiffVariant.CLASSIC_PIXEL_BYTES));
    assertEquals(TiffVariant.BIG, TiffVariant.forPixelBytes(TiffVariant.CLASSIC_PIXEL_BYTES + 1));
    assertEquals(TiffVariant.BIG, TiffVariant.forPixelBytes(5L << 30));
  }

  /**
   * The BigTIFF path at a tiny size, read back by a reader written here from the BigTIFF
   * description (magic 43, 8-byte offsets, 20-byte entries), and by {@link ImageIo}: float, 16-
   * and 8-bit pages of different sizes, the float page in several strips.
   */
  @Test
  void bigTiffReadsBackWithAnIndependentReaderAndImageIo() throws IOException {
    Path file = dir.resolve("big.tif");
    List<Image> pages = List.of(random(PixelType.FLOAT32, 300, 250, 7), random(PixelType.UINT16, 3, 2, 8),
        random(PixelType.UINT8, 1, 1, 9));
    try (StripTiffWriter writer = StripTiffWriter.create(file, Calibration.square(0.2, "micron"),
        TiffVariant.BIG)) {
      for (Image page : pages) {
        writer.beginPage(page.width(), page.height(), page.type());
        for (int y = 0; y < page.height(); y += 60) {
          writer.writeRows(page.pixels(), y * page.width(), Math.min(60, page.height() - y));
        }
        writer.endPage();
      }
      writer.commit();
    }
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(Files.readAllBytes(file)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    assertEquals('I', b.get(0));
    assertEquals(43, b.getShort(2));
    assertEquals(8, b.getShort(4));
    long ifd = b.getLong(8);
    for (Image expected : pages) {
      long entries = b.getLong((int) ifd);
      java.util.Map<Integer, long[]> tags = new java.util.HashMap<>();
      String description = null;
      for (int e = 0; e < entries; e++) {
        int at = (int) (ifd + 8 + 20L * e);
        int tag = b.getShort(at) & 0xFFFF;
        int type = b.getShort(at + 2);
        int count = (int) b.getLong(at + 4);
        int size = switch (type) { case 2, 1 -> 1; case 3 -> 2; case 4 -> 4; default -> 8; };
        int values = count * size <= 8 ? at + 12 : (int) b.getLong(at + 12);
        long[] v = new long[count];
        for (int i = 0; i < count; i++) {
          v[i] = switch (type) {
            case 2 -> b.get(values + i);
            case 3 -> b.getShort(values + 2 * i) & 0xFFFF;
            case 4 -> b.getInt(values + 4 * i) & 0xFFFFFFFFL;
            case 5 -> b.getLong(values + 8 * i);
            default -> b.getLong(values + 8 * i);
          };
        }
        if (type == 2) {
          byte[] chars = new byte[count - 1];
          b.get(values, chars);
          description = new String(chars, java.nio.charset.StandardCharsets.US_ASCII);
        }
        tags.put(tag, v);
      }
      assertEquals(expected.width(), tags.get(256)[0]);
      assertEquals(expected.height(), tags.get(257)[0]);
      assertEquals(expected.type().bits(), tags.get(258)[0]);
      if (expected == pages.get(0)) {
        // Pages of different sizes: no images= (see onlyEqualPagesAreDeclaredAsAnImageJStack).
        assertEquals("ImageJ=1.54f\nunit=micron\nspacing=1.0\n", description);
      }
      long[] offsets = tags.get(273);
      long[] counts = tags.get(279);
      java.nio.ByteBuffer pixels = java.nio.ByteBuffer.allocate(expected.pixels().length * expected.type().bits() / 8)
          .order(java.nio.ByteOrder.LITTLE_ENDIAN);
      for (int s = 0; s < offsets.length; s++) {
        pixels.put(b.array(), (int) offsets[s], (int) counts[s]);
      }
      pixels.flip();
      float[] read = new float[expected.pixels().length];
      for (int i = 0; i < read.length; i++) {
        read[i] = switch (expected.type()) {
          case FLOAT32 -> pixels.getFloat();
          case UINT16 -> pixels.getShort() & 0xFFFF;
          case UINT8 -> pixels.get() & 0xFF;
        };
      }
      assertArrayEquals(expected.pixels(), read);
      ifd = b.getLong((int) (ifd + 8 + 20 * entries));
    }
    assertEquals(0, ifd, "the last directory links to none");
    assertEquals(new Calibration(0.2, 0.2, 1, "micron"), Calibration.read(file));
    // unet4j's own BigTIFF reader gives the same pages, whole and by bands.
    List<Image> read = ImageIo.readPages(file);
    assertEquals(pages.size(), read.size());
    for (int p = 0; p < pages.size(); p++) {
      assertEquals(pages.get(p).type(), read.get(p).type());
      assertArrayEquals(pages.get(p).pixels(), read.get(p).pixels());
    }
    try (ImageFile big = ImageFile.open(file)) {
      Image band = big.page(0).rows(59, 131);
      assertArrayEquals(java.util.Arrays.copyOfRange(pages.get(0).pixels(), 59 * 300, 131 * 300), band.pixels());
    }
  }
}
