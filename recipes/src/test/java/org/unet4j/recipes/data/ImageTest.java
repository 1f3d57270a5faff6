package org.unet4j.recipes.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ImageTest {
  /** 3x2 RGB: sample (x, y, c) = 100 * c + 10 * y + x. */
  private static Image rgb() {
    float[] pixels = new float[3 * 2 * 3];
    for (int y = 0; y < 2; y++) {
      for (int x = 0; x < 3; x++) {
        for (int c = 0; c < 3; c++) {
          pixels[(y * 3 + x) * 3 + c] = 100 * c + 10 * y + x;
        }
      }
    }
    return new Image(3, 2, 3, PixelType.UINT16, pixels);
  }

  @Test
  void samplesAreRowMajorChannelsLast() {
    Image image = rgb();
    assertEquals(0, image.get(0, 0, 0));
    assertEquals(212, image.get(2, 1, 2));
    assertEquals(101, image.get(1, 0, 1));
    assertArrayEquals(new float[] {100, 101, 102, 110, 111, 112}, image.channel(1));
    assertArrayEquals(new int[] {200, 201, 202, 210, 211, 212}, image.channelAsInts(2));
    assertThrows(IndexOutOfBoundsException.class, () -> image.get(3, 0, 0));
    assertThrows(IndexOutOfBoundsException.class, () -> image.channel(3));
  }

  @Test
  void channelAsIntsRefusesFractionsAndNamesThePixel() {
    Image probabilities = Image.gray(2, 2, PixelType.FLOAT32, new float[] {0, 1, 0.5f, 1});
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> probabilities.channelAsInts(0));
    assertTrue(e.getMessage().contains("0.5 at (x=0, y=1)"), e.getMessage());
    assertTrue(e.getMessage().contains("not a whole number"), e.getMessage());
    // Whole floats are fine, negative ones included (the decoder decides what labels may be).
    assertArrayEquals(new int[] {-3, 70000},
        Image.gray(2, 1, PixelType.FLOAT32, new float[] {-3, 70000}).channelAsInts(0));
  }

  @Test
  void constructorChecksSizeAndValueRange() {
    IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
        () -> new Image(7, 5, 3, PixelType.UINT8, new float[7 * 5]));
    assertTrue(size.getMessage().contains("7x5 image with 3 channel(s) has 105 samples but the array holds 35"),
        size.getMessage());
    IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
        () -> new Image(0, 5, 1, PixelType.UINT8, new float[0]));
    assertTrue(empty.getMessage().contains("at least 1x1, got 0x5"), empty.getMessage());
    IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
        () -> new Image(2, 1, 2, PixelType.UINT8, new float[] {0, 255, 256, 1}));
    assertTrue(range.getMessage().contains("sample 256.0 at (x=1, y=0, channel 0) is not a UINT8 value"),
        range.getMessage());
    assertTrue(range.getMessage().contains("0..255"), range.getMessage());
    IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
        () -> Image.gray(1, 1, PixelType.UINT16, new float[] {-1}));
    assertTrue(negative.getMessage().contains("0..65535"), negative.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Image.gray(1, 1, PixelType.UINT16, new float[] {1.5f}));
    assertThrows(IllegalArgumentException.class, () -> Image.gray(1, 1, PixelType.UINT8, new float[] {Float.NaN}));
  }

  @Test
  void equalityComparesPixels() {
    assertEquals(rgb(), rgb());
    assertEquals(rgb().hashCode(), rgb().hashCode());
    Image other = rgb();
    other.pixels()[4] = 7;
    assertNotEquals(rgb(), other);
    assertNotEquals(rgb(), new Image(3, 2, 3, PixelType.FLOAT32, rgb().pixels()));
    assertEquals("Image[3x2, 3 channels, UINT16]", rgb().toString());
  }
}
