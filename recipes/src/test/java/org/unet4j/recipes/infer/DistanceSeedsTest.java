package org.unet4j.recipes.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.unet4j.labels.ConnectedComponents;

class DistanceSeedsTest {
  /**
   * Object 1: two discs of radius {@code r} centred at (cx1, cy) and (cx1 + gap, cy) in a
   * {@code width x height} crop (pixel centres within the radius).
   */
  static int[] discs(int width, int height, double cx1, double cy, double gap, double r) {
    int[] object = new int[width * height];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        boolean in = Math.hypot(x - cx1, y - cy) <= r || Math.hypot(x - cx1 - gap, y - cy) <= r;
        object[y * width + x] = in ? 1 : 0;
      }
    }
    return object;
  }

  private static int cores(boolean[] core, int width, int height) {
    return ConnectedComponents.label(core, width, height, new int[core.length]);
  }

  /**
   * Discs of radius 10 whose centres are 18 apart touch along a neck 9 from each centre, between
   * y = +-4 (sqrt(10^2 - 9^2) = 4.4): the neck's centre is 5 from the outside, the discs' centres
   * about 10.5, so each disc's maximum rises about 5.5 above the saddle: a depth up to 4 gives two
   * seeds, one in each disc; 7 and more gives one.
   */
  @ParameterizedTest(name = "depth {0}: {1} seed(s)")
  @CsvSource({"1, 2", "2, 2", "4, 2", "7, 1", "20, 1"})
  void touchingDiscsGetASeedEachWhenTheNeckIsDeepEnough(double depth, int seeds) {
    int width = 45;
    int height = 25;
    int[] object = discs(width, height, 12, 12, 18, 10);
    float[] distance = new float[width * height];
    boolean[] core = DistanceSeeds.find(object, width, height, 1, depth, distance);
    assertEquals(seeds, cores(core, width, height));
    int[] label = new int[core.length];
    ConnectedComponents.label(core, width, height, label);
    assertTrue(core[12 * width + 12] && core[12 * width + 30], "both centres are in a seed");
    assertEquals(seeds == 2, label[12 * width + 12] != label[12 * width + 30]);
    // Two seeds lie above peak - depth, which the neck is not; one spreads over the neck.
    assertEquals(seeds == 1, core[12 * width + 21], "the neck is in the seed");
    assertEquals(5, distance[12 * width + 21], 1e-6);
    // The distance at a disc's centre is the radius, give or take a pixel of sampling.
    assertEquals(10.5, distance[12 * width + 12], 0.6);
    assertEquals(0, distance[0]);
  }

  @Test
  void aDiscOrARectangleFillingItsCropHasOneSeed() {
    int[] disc = discs(21, 21, 10, 10, 0, 9.5);
    assertEquals(1, cores(DistanceSeeds.find(disc, 21, 21, 1, 0.5, new float[21 * 21]), 21, 21));
    // No outside pixel in the crop: the frame around it is the outside.
    int[] full = new int[7 * 4];
    java.util.Arrays.fill(full, 3);
    float[] distance = new float[full.length];
    boolean[] core = DistanceSeeds.find(full, 7, 4, 3, 1, distance);
    assertEquals(1, cores(core, 7, 4));
    // Rows 1 and 2 are 2 pixels from the frame, the others 1; the seed is the ridge above 2 - 1.
    assertEquals(2, distance[1 * 7 + 3]);
    assertEquals(1, distance[0]);
    assertTrue(core[1 * 7 + 3] && core[2 * 7 + 5] && !core[3]);
    boolean[] pixel = DistanceSeeds.find(new int[] {1}, 1, 1, 1, 2, new float[1]);
    assertTrue(pixel[0]);
  }

  /** Only pixels of the object's own id are the object; another id beside it is outside. */
  @Test
  void otherObjectsInTheCropAreOutside() {
    int[] object = discs(45, 25, 12, 12, 18, 10);
    // The right disc becomes another object: object 1 is a disc, one seed whatever the depth.
    for (int p = 0; p < object.length; p++) {
      if (object[p] == 1 && p % 45 > 21) {
        object[p] = 2;
      }
    }
    boolean[] core = DistanceSeeds.find(object, 45, 25, 1, 1, new float[object.length]);
    assertEquals(1, cores(core, 45, 25));
    for (int p = 0; p < object.length; p++) {
      assertFalse(core[p] && object[p] != 1);
    }
  }

  /** Flooded on the distance, the two discs part at the neck (x = 21 in the crop). */
  @Test
  void floodingFromTheSeedsCutsAtTheNeck() {
    int width = 45;
    int[] object = discs(width, 25, 12, 12, 18, 10);
    float[] distance = new float[object.length];
    boolean[] core = DistanceSeeds.find(object, width, 25, 1, 2, distance);
    int[] regions = new int[object.length];
    assertEquals(2, Watershed.flood(core, true, distance, object, width, 25, 1, regions));
    int left = regions[12 * width + 12];
    int right = regions[12 * width + 30];
    assertNotEquals(left, right);
    for (int y = 0; y < 25; y++) {
      for (int x = 0; x < width; x++) {
        int p = y * width + x;
        if (object[p] == 1 && x != 21) {
          assertEquals(x < 21 ? left : right, regions[p], "pixel " + x + "," + y);
        }
      }
    }
  }

  @Test
  void depthMustBePositive() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DistanceSeeds.find(new int[] {1}, 1, 1, 1, 0, new float[1]));
    assertTrue(e.getMessage().contains("depth must be above 0, got 0.0"), e.getMessage());
  }
}
