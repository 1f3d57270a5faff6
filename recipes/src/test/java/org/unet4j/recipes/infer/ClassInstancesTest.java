package org.unet4j.recipes.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;
import org.unet4j.labels.InstanceLabels;
import org.unet4j.recipes.data.Image;
import org.unet4j.recipes.data.PixelType;

/** Objects grown from an interior class, the class map, and the overlay's class tint, worked out by hand. */
class ClassInstancesTest {
  /** A 3-class map whose most probable class at each pixel is {@code classes[i]} (0.8 against 0.1 each). */
  private static ProbabilityMap map(int[] classes, int width, int height) {
    float[] values = new float[classes.length * 3];
    for (int i = 0; i < classes.length; i++) {
      for (int k = 0; k < 3; k++) {
        values[i * 3 + k] = k == classes[i] ? 0.8f : 0.1f;
      }
    }
    return new ProbabilityMap(width, height, 3, values);
  }

  @Test
  void interiorSeedsGrowIntoTheBoundaryNearestSeedFirstTiesToTheLowerLabel() {
    // Interiors at x=0 and x=4; x=2 is two steps from both and joins object 1; x=6..7 (boundary
    // without interior) has no seed and is dropped.
    ProbabilityMap map = map(new int[] {1, 2, 2, 2, 1, 0, 2, 2}, 8, 1);
    InstanceLabels labels = InstanceSegmentation.grown(map, 1, 0.5, false, 0);
    assertArrayEquals(new int[] {1, 1, 1, 2, 2, 0, 0, 0}, labels.toArray());
    InstanceLabels large = InstanceSegmentation.grown(map, 1, 0.5, false, 3);
    assertArrayEquals(new int[] {1, 1, 1, 0, 0, 0, 0, 0}, large.toArray(), "object 2 has 2 pixels");
  }

  @Test
  void growthFollowsTheForegroundOnAnOddGrid() {
    // 5 x 3: one interior pixel at the centre, a ring of boundary around it except the corners,
    // which are background; the boundary pixel at (0, 1) is 2 steps away through (1, 1).
    ProbabilityMap map = map(new int[] {
        0, 2, 2, 2, 0,
        2, 2, 1, 2, 2,
        0, 2, 2, 2, 0}, 5, 3);
    InstanceLabels labels = InstanceSegmentation.grown(map, 1, 0.5, false, 0);
    assertArrayEquals(new int[] {
        0, 1, 1, 1, 0,
        1, 1, 1, 1, 1,
        0, 1, 1, 1, 0}, labels.toArray());
    assertArrayEquals(new int[] {
        0, 2, 2, 2, 0,
        2, 2, 1, 2, 2,
        0, 2, 2, 2, 0}, map.classMap());
  }

  @Test
  void theSeedClassMustBeAForegroundClassOfTheMap() {
    ProbabilityMap map = map(new int[] {1, 2}, 2, 1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> InstanceSegmentation.grown(map, 3, 0.5, false, 0));
    assertTrue(e.getMessage().contains("1..2, got 3"), e.getMessage());
  }

  @Test
  void equallyProbableClassesGoToTheLowest() {
    ProbabilityMap map = new ProbabilityMap(2, 1, 3, new float[] {0.4f, 0.4f, 0.2f, 0.2f, 0.4f, 0.4f});
    assertArrayEquals(new int[] {0, 1}, map.classMap());
    Image classes = map.classImage();
    assertEquals(PixelType.UINT8, classes.type());
    assertEquals(1f, classes.pixels()[1]);
  }

  @Test
  void theOverlayTintsEachClassHalfWithItsPaletteColour() {
    // Half the pixels 0, half 1: the percentile stretch maps them to black and white.
    int width = 20;
    float[] pixels = new float[width * 2];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = i % 2;
    }
    Image image = Image.gray(width, 2, PixelType.FLOAT32, pixels);
    int[] classes = new int[pixels.length];
    classes[0] = 1;   // black, class 1: red E6194B
    classes[1] = 2;   // white, class 2: green 3CB44B
    classes[3] = 9;   // white, class 9: the palette repeats after 8, red again
    BufferedImage overlay = Overlay.of(image, InstanceLabels.of(new int[pixels.length], width, 2), classes);
    assertEquals(((0xE6 + 1) / 2) << 16 | ((0x19 + 1) / 2) << 8 | (0x4B + 1) / 2, overlay.getRGB(0, 0) & 0xFFFFFF);
    assertEquals(((255 + 0x3C + 1) / 2) << 16 | ((255 + 0xB4 + 1) / 2) << 8 | (255 + 0x4B + 1) / 2,
        overlay.getRGB(1, 0) & 0xFFFFFF);
    assertEquals(((255 + 0xE6 + 1) / 2) << 16 | ((255 + 0x19 + 1) / 2) << 8 | (255 + 0x4B + 1) / 2,
        overlay.getRGB(3, 0) & 0xFFFFFF);
    assertEquals(0xFFFFFF, overlay.getRGB(5, 0) & 0xFFFFFF, "class 0 is not tinted");
    assertEquals(0, overlay.getRGB(2, 0) & 0xFFFFFF);
  }
}
