package org.unet4j.recipes.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.unet4j.labels.InstanceLabels;

class InstanceSegmentationTest {
  /** A probability map from a picture: '#' is 0.9, '+' exactly 0.5, '.' 0.1. */
  private static float[] map(String... rows) {
    int w = rows[0].length();
    float[] p = new float[w * rows.length];
    for (int y = 0; y < rows.length; y++) {
      for (int x = 0; x < w; x++) {
        char c = rows[y].charAt(x);
        p[y * w + x] = c == '#' ? 0.9f : c == '+' ? 0.5f : 0.1f;
      }
    }
    return p;
  }

  private static int[] labels(String... rows) {
    int w = rows[0].length();
    int[] l = new int[w * rows.length];
    for (int y = 0; y < rows.length; y++) {
      for (int x = 0; x < w; x++) {
        char c = rows[y].charAt(x);
        l[y * w + x] = c == '.' ? 0 : c - '0';
      }
    }
    return l;
  }

  @Test
  void fourConnectedComponentsNumberedInRasterOrder() {
    String[] picture = {
        "##..#",
        "##..#",
        "..#..",
        "...##"};
    InstanceLabels l = InstanceSegmentation.labels(map(picture), 5, 4, 0.5, false, 0);
    // The diagonal neighbour at (2,2) is a separate object under 4-connectivity.
    assertArrayEquals(labels(
        "11..2",
        "11..2",
        "..3..",
        "...44"), l.toArray());
    assertEquals(4, l.cellCount());
  }

  @Test
  void thresholdIsStrict() {
    InstanceLabels l = InstanceSegmentation.labels(map("#+#"), 3, 1, 0.5, false, 0);
    assertArrayEquals(new int[] {1, 0, 2}, l.toArray());
    assertArrayEquals(new int[] {1, 1, 1}, InstanceSegmentation.labels(map("#+#"), 3, 1, 0.4, false, 0).toArray());
  }

  @Test
  void smallObjectsAreDroppedAndTheRestRenumbered() {
    String[] picture = {
        "#..##",
        "...##",
        "##...",
        "#...."};
    // Sizes in raster order: 1, 4, 3; with a minimum of 3 the first goes.
    assertArrayEquals(labels(
        "...11",
        "...11",
        "22...",
        "2...."), InstanceSegmentation.labels(map(picture), 5, 4, 0.5, false, 3).toArray());
  }

  @Test
  void holesAreFilledButBackgroundOpenToTheBorderIsNot() {
    String[] picture = {
        "#####....",
        "#...#.###",
        "#...#.#..",
        "#####.###",
        "........."};
    // The left ring encloses 6 pixels; the right shape's inside reaches the border.
    assertArrayEquals(labels(
        "11111....",
        "11111.222",
        "11111.2..",
        "11111.222",
        "........."), InstanceSegmentation.labels(map(picture), 9, 5, 0.5, true, 0).toArray());
    assertEquals(0, InstanceSegmentation.labels(map(picture), 9, 5, 0.5, false, 0).label(2, 2));
  }

  @Test
  void aDiagonalGapLetsTheBackgroundOut() {
    // The ring is closed for 4-connected background but open through the diagonal gap at the
    // top-right for 8-connected background, which is the objects' dual: no hole to fill.
    String[] picture = {
        "###..",
        "#..#.",
        "#..#.",
        "####."};
    int[] filled = InstanceSegmentation.labels(map(picture), 5, 4, 0.5, true, 0).toArray();
    assertEquals(0, filled[1 * 5 + 1]);
  }

  @Test
  void emptyAndFullMaps() {
    assertEquals(0, InstanceSegmentation.labels(map("...", "..."), 3, 2, 0.5, true, 0).cellCount());
    InstanceLabels full = InstanceSegmentation.labels(map("###", "###"), 3, 2, 0.5, true, 7);
    assertEquals(0, full.cellCount(), "6 pixels are fewer than 7");
  }
}
