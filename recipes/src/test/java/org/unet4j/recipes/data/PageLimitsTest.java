package org.unet4j.recipes.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Hostile and degenerate files: a header declaring far more than the file holds is refused before
 * anything is allocated, an empty page names its file, and NaN or infinite samples of an image to
 * train on or predict are refused with the file and pixel.
 */
class PageLimitsTest {
  private static final int DEFLATE = 8;
  private static final int LZW = 5;
  private static final int UNSIGNED = 1;
  private static final int FLOAT = 3;

  @TempDir Path dir;

  /**
   * A classic little-endian TIFF of one page whose header declares {@code width x height} samples
   * of {@code bits} bits in one strip of {@code rowsPerStrip} rows, followed by 4 bytes of
   * "compressed" data: 138 bytes however large the declared page.
   */
  static byte[] hostileTiff(int width, int height, int bits, int compression, int sampleFormat, int rowsPerStrip) {
    int[][] entries = {
        {256, 4, width}, {257, 4, height}, {258, 3, bits}, {259, 3, compression}, {262, 3, 1}, {273, 4, 134},
        {277, 3, 1}, {278, 4, rowsPerStrip}, {279, 4, 4}, {339, 3, sampleFormat}};
    ByteBuffer b = ByteBuffer.allocate(8 + 2 + 12 * entries.length + 4 + 4).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
    b.putShort((short) entries.length);
    for (int[] e : entries) {
      b.putShort((short) e[0]).putShort((short) e[1]).putInt(1);
      if (e[1] == 3) {
        b.putShort((short) e[2]).putShort((short) 0);
      } else {
        b.putInt(e[2]);
      }
    }
    b.putInt(0);
    b.put(new byte[] {1, 2, 3, 4});
    return b.array();
  }

  private Path write(String name, byte[] bytes) throws IOException {
    Path file = dir.resolve(name);
    Files.write(file, bytes);
    return file;
  }

  /**
   * 40000x40000 16-bit Deflate or LZW, or 32-bit float: 3.2 or 6.4 GB declared in 138 bytes.
   * Read whole, it is refused by its declared size (by the heap, or by its strip's size where the
   * heap could hold it); opened to be read by bands, by its single strip's size.
   */
  @ParameterizedTest
  @CsvSource({"16, 8, 1, 3.20 GB", "16, 5, 1, 3.20 GB", "32, 8, 3, 6.40 GB"})
  void aHugeDeclaredPageIsRefusedBeforeAllocation(int bits, int compression, int sampleFormat, String strip)
      throws IOException {
    byte[] bytes = hostileTiff(40000, 40000, bits, compression, sampleFormat, 40000);
    assertEquals(138, bytes.length);
    Path file = write("hostile.tif", bytes);
    ImageReadException whole = assertThrows(ImageReadException.class, () -> ImageIo.read(file));
    assertTrue(whole.getMessage().startsWith(file + ": declares a 40000x40000 page of 1 x " + bits + "-bit samples"),
        whole.getMessage());
    try (ImageFile opened = ImageFile.open(file)) {
      ImageReadException band = assertThrows(ImageReadException.class, () -> opened.page(0));
      assertEquals(file + ": declares a 40000x40000 page of 1 x " + bits + "-bit samples in strips of 40000 rows ("
          + strip + " each); one strip or tile holds at most 2.15 GB (a damaged header?)", band.getMessage());
    }
  }

  /** More samples than one Java array holds is refused whatever the heap: 50000 x 50000 = 2.5e9. */
  @Test
  void morePixelsThanAnArrayHoldsIsRefused() throws IOException {
    Path file = write("wide.tif", hostileTiff(50000, 50000, 8, LZW, UNSIGNED, 1));
    ImageReadException e = assertThrows(ImageReadException.class, () -> ImageIo.read(file));
    assertEquals(file + ": declares a 50000x50000 page of 1 x 8-bit samples (2500000000 samples); unet4j reads at"
        + " most 2147483639 samples per page (a damaged header, or a page to split into smaller images)",
        e.getMessage());
  }

  /** A large page in strips of one row is fine to open by bands: only a strip is decoded at once. */
  @Test
  void aLargePageInSmallStripsOpensForBands() throws IOException {
    Path file = write("bands.tif", hostileTiff(40000, 40000, 16, DEFLATE, UNSIGNED, 1));
    try (ImageFile opened = ImageFile.open(file)) {
      PageSource page = opened.page(0);
      assertEquals(40000, page.width());
      assertEquals(40000, page.height());
    }
  }

  /** A 0x0 or 0x5 page names the file, whether read whole or by bands. */
  @ParameterizedTest
  @CsvSource({"0, 0", "0, 5", "7, 0"})
  void anEmptyPageNamesTheFile(int width, int height) throws IOException {
    Path file = write("empty-page.tif", hostileTiff(width, height, 8, DEFLATE, UNSIGNED, 1));
    String expected = file + ": declares a " + width + "x" + height + " page; an image has at least 1x1 pixels"
        + " (damaged or empty file?)";
    assertEquals(expected, assertThrows(ImageReadException.class, () -> ImageIo.read(file)).getMessage());
    try (ImageFile opened = ImageFile.open(file)) {
      assertEquals(expected, assertThrows(ImageReadException.class, () -> opened.page(0)).getMessage());
    }
  }

  /**
   * A float image with an infinity at (4, 2) of a 5x3 page: reading it by bands (as prediction
   * does) names the file and the pixel in page coordinates, also in a band that starts at row 1.
   * A plain read keeps the value: a probability map may hold one.
   */
  @Test
  void nonFiniteSamplesAreRefusedWhereTheyWouldBeUsed() throws IOException {
    float[] pixels = new float[15];
    Arrays.fill(pixels, 0.5f);
    pixels[2 * 5 + 4] = Float.POSITIVE_INFINITY;
    Path file = dir.resolve("inf.tif");
    ImageIo.writeTiff(file, Image.gray(5, 3, PixelType.FLOAT32, pixels));
    assertEquals(Float.POSITIVE_INFINITY, ImageIo.read(file).pixels()[14]);
    String expected = file + ": pixel (4, 2) is Infinity; unet4j reads finite float samples only: replace NaN and"
        + " infinite values (by 0, say) before use";
    try (ImageFile opened = ImageFile.open(file)) {
      PageSource page = opened.page(0);
      assertEquals(expected, assertThrows(ImageReadException.class, page::all).getMessage());
      assertEquals(expected, assertThrows(ImageReadException.class, () -> page.rows(1, 3)).getMessage());
      assertEquals(5, page.rows(0, 2).width(), "rows without the infinity read");
    }
  }
}
