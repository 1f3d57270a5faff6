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
          + " TIFF addresses; predict fewer pages per file or smaller images", huge.getMessage());
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(), files.toList());
    }
  }
}
