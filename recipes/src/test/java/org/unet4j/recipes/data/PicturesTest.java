package org.unet4j.recipes.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PicturesTest {
  /** matplotlib's viridis table, entries 0, 64, 128, 191 and 255 (t = 0, 1/4, 1/2, 3/4, 1). */
  @ParameterizedTest(name = "t = {0}")
  @CsvSource({
    "0.0,  0.267004, 0.004874, 0.329415",
    "0.25, 0.229739, 0.322361, 0.545706",
    "0.5,  0.127568, 0.566949, 0.550556",
    "0.75, 0.369214, 0.788888, 0.382914",
    "1.0,  0.993248, 0.906157, 0.143936"})
  void viridisFollowsMatplotlibsTable(double t, double r, double g, double b) {
    int rgb = Pictures.viridis(t);
    assertEquals(r, (rgb >> 16 & 0xFF) / 255.0, 0.02, "red");
    assertEquals(g, (rgb >> 8 & 0xFF) / 255.0, 0.02, "green");
    assertEquals(b, (rgb & 0xFF) / 255.0, 0.02, "blue");
  }

  @Test
  void viridisGetsLighterAlongTheScale() {
    double previous = -1;
    for (int i = 0; i <= 100; i++) {
      int rgb = Pictures.viridis(i / 100.0);
      // Rec. 709 luma: a perceptual map rises monotonically.
      double luma = 0.2126 * (rgb >> 16 & 0xFF) + 0.7152 * (rgb >> 8 & 0xFF) + 0.0722 * (rgb & 0xFF);
      assertTrue(luma >= previous - 0.5, "luma falls at t = " + i / 100.0);
      previous = luma;
    }
    assertEquals(Pictures.viridis(0), Pictures.viridis(-3), "clamped below");
    assertEquals(Pictures.viridis(1), Pictures.viridis(7), "clamped above");
  }

  @Test
  void falseColourMapsTheRangeAndPaintMarksPixels() {
    BufferedImage picture = Pictures.falseColour(new float[] {0, 5, 10, 20}, 2, 2, 0, 10);
    assertEquals(Pictures.viridis(0), picture.getRGB(0, 0) & 0xFFFFFF);
    assertEquals(Pictures.viridis(0.5), picture.getRGB(1, 0) & 0xFFFFFF);
    assertEquals(Pictures.viridis(1), picture.getRGB(0, 1) & 0xFFFFFF);
    assertEquals(Pictures.viridis(1), picture.getRGB(1, 1) & 0xFFFFFF);
    Pictures.paint(picture, new boolean[] {false, true, false, false}, 0xFF0000);
    assertEquals(0xFF0000, picture.getRGB(1, 0) & 0xFFFFFF);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Pictures.falseColour(new float[3], 2, 2, 0, 1));
    assertTrue(e.getMessage().contains("a 2x2 map has 4 values, got 3"), e.getMessage());
  }
}
