package org.unet4j.recipes.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFileTest {
  @TempDir Path dir;

  private static Image random(PixelType type, int width, int height, int channels, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] pixels = new float[width * height * channels];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = type == PixelType.FLOAT32 ? (float) random.nextGaussian() : random.nextInt((int) type.max() + 1);
    }
    return new Image(width, height, channels, type, pixels);
  }

  private static float[] rows(Image image, int from, int to) {
    int row = image.width() * image.channels();
    return Arrays.copyOfRange(image.pixels(), from * row, to * row);
  }

  /** Every band of every page of a TIFF (strips of 8 rows) is the same rows of the whole read. */
  @Test
  void tiffBandsAreTheRowsOfTheWholePage() {
    Path file = dir.resolve("stack.tif");
    List<Image> pages = List.of(random(PixelType.UINT16, 31, 45, 1, 1), random(PixelType.FLOAT32, 31, 45, 1, 2),
        random(PixelType.UINT8, 9, 20, 3, 3));
    ImageIo.writeTiffPages(file, pages);
    try (ImageFile in = ImageFile.open(file)) {
      assertEquals(3, in.pageCount());
      for (int p = 0; p < pages.size(); p++) {
        Image whole = pages.get(p);
        PageSource page = in.page(p);
        assertEquals(whole.width(), page.width());
        assertEquals(whole.height(), page.height());
        assertEquals(whole.channels(), page.channels());
        assertEquals(whole.type(), page.type());
        for (int[] band : new int[][] {{0, 1}, {0, 8}, {7, 9}, {13, 20}, {19, 20}, {0, 20}}) {
          Image read = page.rows(band[0], band[1]);
          assertEquals(band[1] - band[0], read.height());
          assertArrayEquals(rows(whole, band[0], band[1]), read.pixels(), "page " + p + " rows " + band[0]);
        }
        assertEquals(whole, in.readPage(p));
      }
    }
  }

  @Test
  void pngBandsAreTheRowsOfTheWholeImage() {
    Path file = dir.resolve("gray.png");
    Image image = random(PixelType.UINT16, 17, 12, 2, 4);
    ImageIo.writePng(file, image);
    try (ImageFile in = ImageFile.open(file)) {
      assertEquals(1, in.pageCount());
      assertArrayEquals(rows(image, 5, 11), in.page(0).rows(5, 11).pixels());
    }
  }

  @Test
  void badRowsAndFilesAreRefused() {
    Path file = dir.resolve("a.tif");
    ImageIo.writeTiff(file, random(PixelType.UINT8, 4, 6, 1, 5));
    try (ImageFile in = ImageFile.open(file)) {
      assertEquals("rows 3..7: expected 0 <= from < to <= 6 (the page's height)",
          assertThrows(IllegalArgumentException.class, () -> in.page(0).rows(3, 7)).getMessage());
      assertEquals("rows 3..3: expected 0 <= from < to <= 6 (the page's height)",
          assertThrows(IllegalArgumentException.class, () -> in.page(0).rows(3, 3)).getMessage());
    }
    Path missing = dir.resolve("missing.tif");
    assertEquals(missing + ": no such file",
        assertThrows(ImageReadException.class, () -> ImageFile.open(missing)).getMessage());
  }
}
