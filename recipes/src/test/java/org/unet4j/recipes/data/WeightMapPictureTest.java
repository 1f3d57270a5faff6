package org.unet4j.recipes.data;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.dsl.recipe.Recipes;

class WeightMapPictureTest {
  private static final int W = 21;
  private static final int H = 9;

  /**
   * Two 3x3 squares touching along x = 4|5 (values 1 and 2, colour-coded cells) on a 21x9 mask:
   * the separation border takes column 4 from the first and column 5 from the second, 6 pixels.
   */
  private static Image touchingSquares() {
    float[] labels = new float[W * H];
    for (int y = 3; y <= 5; y++) {
      for (int x = 2; x <= 4; x++) {
        labels[y * W + x] = 1;
      }
      for (int x = 5; x <= 7; x++) {
        labels[y * W + x] = 2;
      }
    }
    return Image.gray(W, H, PixelType.UINT8, labels);
  }

  private static Recipe recipe(String... overrides) {
    return Recipes.withOverrides(Recipes.load("nuclei-demo"), List.of(overrides));
  }

  @Test
  void weightsBordersAndStatisticsFollowEquationTwo() {
    Recipe r = recipe("loss={\"type\":\"weighted-cross-entropy\",\"w0\":20,\"sigma\":3,\"classBalance\":\"none\"}");
    WeightMapPicture map = WeightMapPicture.of(touchingSquares(), "squares", r);
    Image w = map.weights();
    // Eq. 2 without class balance: 1 + w0 exp(-(d1 + d2)^2 / (2 sigma^2)) on background, 1 in cells.
    double onBorder = 1 + 20 * Math.exp(-(1.0 + 2.0) * (1.0 + 2.0) / 18);
    assertAll(
        () -> assertEquals(2, map.cells()),
        () -> assertEquals(6, map.borderPixels()),
        () -> assertEquals(W, map.width()),
        () -> assertEquals(H, map.height()),
        () -> assertEquals(PixelType.FLOAT32, w.type()),
        () -> assertEquals(onBorder, w.get(4, 4, 0), 1e-5, "border pixel of cell 1: d1 = 1 (cell 2), d2 = 2"),
        () -> assertEquals(1, w.get(3, 4, 0), 1e-6, "inside cell 1"),
        () -> assertTrue(map.borders()[4 * W + 4] && map.borders()[4 * W + 5] && !map.borders()[4 * W + 3]),
        () -> assertEquals(1, map.min(), 1e-6, "cells and far background weigh 1"),
        () -> assertEquals(max(w), map.max(), 1e-6),
        () -> assertEquals(sum(w) / (W * H), map.mean(), 1e-9));
    BufferedImage picture = map.picture();
    assertEquals(WeightMapPicture.BORDER_RGB, picture.getRGB(4, 4) & 0xFFFFFF);
    assertEquals(Pictures.viridis(1 / map.max()), picture.getRGB(3, 4) & 0xFFFFFF);
  }

  @Test
  void aLossWithoutWeightMapIsRefusedNamingTheRecipe() {
    DataException e = assertThrows(DataException.class,
        () -> WeightMapPicture.of(touchingSquares(), "squares", recipe("loss={\"type\":\"dice\"}")));
    assertEquals("recipe nuclei-demo trains with the dice loss, which has no weight map; the weight map belongs to"
        + " the weighted-cross-entropy loss (alone or in a combined loss)", e.getMessage());
  }

  @Test
  void labelsThatDoNotDecodeNameTheSourceAndTheFormat() {
    DataException e = assertThrows(DataException.class,
        () -> WeightMapPicture.of(touchingSquares(), "squares.png", recipe("data.labelFormat=binary")));
    assertTrue(e.getMessage().startsWith("squares.png: BINARY labels hold 0"), e.getMessage());
    assertTrue(e.getMessage().endsWith("(data.labelFormat is binary in recipe nuclei-demo)"), e.getMessage());
    assertFalse(e.getMessage().contains("--"), "no command-line flag: " + e.getMessage());
  }

  private static double max(Image image) {
    double m = Double.NEGATIVE_INFINITY;
    for (float v : image.pixels()) {
      m = Math.max(m, v);
    }
    return m;
  }

  private static double sum(Image image) {
    double s = 0;
    for (float v : image.pixels()) {
      s += v;
    }
    return s;
  }

  /**
   * The touching squares read as three classes, with an unannotated column x = 10 marked 255: no
   * separation borders (the boundary class separates), the column ignored, weight 0 and drawn grey.
   */
  @Test
  void threeClassLabelsWithAnIgnoredColumn() {
    Image squares = touchingSquares();
    float[] labels = squares.pixels().clone();
    for (int y = 0; y < H; y++) {
      labels[y * W + 10] = 255;
    }
    Recipe r = recipe("model.classes=3", "data.labelFormat=\"three-class\"", "data.ignoreLabel=255");
    WeightMapPicture map = WeightMapPicture.of(Image.gray(W, H, PixelType.UINT8, labels), "squares", r);
    assertEquals(2, map.cells());
    assertEquals(0, map.borderPixels());
    assertTrue(map.ignored()[4 * W + 10] && !map.ignored()[4 * W + 9]);
    assertEquals(0, map.weights().get(10, 4, 0));
    assertEquals(WeightMapPicture.IGNORED_RGB, map.picture().getRGB(10, 4) & 0xFFFFFF);
  }
}
