package org.unet4j.recipes.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.unet4j.dsl.recipe.InferenceSpec;
import org.unet4j.dsl.recipe.InstanceMethod;
import org.unet4j.dsl.recipe.TestTimeAugmentation;

/** Labels computed band by band equal the whole-page labels, numbers included. */
class BandLabellingTest {
  @TempDir Path dir;

  /**
   * A smooth random field: bumps of random size and height, some of them rings (which leave holes,
   * some with an island inside), on a little noise.
   */
  static float[] field(int width, int height, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] p = new float[width * height];
    int bumps = 3 + width * height / 150;
    double[][] b = new double[bumps][];
    for (int i = 0; i < bumps; i++) {
      b[i] = new double[] {random.nextDouble() * width, random.nextDouble() * height, 1.5 + random.nextDouble() * 5,
          0.4 + random.nextDouble() * 0.6, random.nextInt(3) == 0 ? 2 + random.nextDouble() * 5 : 0};
    }
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        double v = 0.1 * random.nextDouble();
        for (double[] c : b) {
          double d = Math.hypot(x - c[0], y - c[1]) - c[4];
          v = Math.max(v, c[3] * Math.exp(-d * d / (2 * c[2] * c[2])));
        }
        p[y * width + x] = (float) v;
      }
    }
    return p;
  }

  private static InferenceSpec spec(boolean fillHoles, int minSize, InstanceMethod method) {
    return new InferenceSpec(60, 1, TestTimeAugmentation.NONE, 0.45, minSize, fillHoles, method, 0.8);
  }

  /** Labels of the page fed in bands of {@code band} rows. */
  private int[] banded(float[] p, int width, int height, InferenceSpec spec, int band) {
    try (BandLabelling labelling = new BandLabelling(width, height, spec, dir, "t")) {
      for (int y = 0; y < height; y += band) {
        int rows = Math.min(band, height - y);
        float[] values = new float[rows * width];
        System.arraycopy(p, y * width, values, 0, values.length);
        labelling.addRows(values, rows);
      }
      int count = labelling.finish();
      int[] out = new int[width * height];
      int[] row = new int[width];
      for (int pass = 0; pass < 2; pass++) {
        try (BandLabelling.LabelRows rows = labelling.rows()) {
          for (int y = 0; y < height; y++) {
            rows.next(row);
            System.arraycopy(row, 0, out, y * width, width);
          }
        }
      }
      int max = 0;
      for (int v : out) {
        max = Math.max(max, v);
      }
      assertEquals(max, count, "label count");
      return out;
    }
  }

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    int[][] sizes = {{61, 47}, {1, 1}, {1, 30}, {30, 1}, {23, 90}};
    for (int[] size : sizes) {
      for (boolean fill : new boolean[] {false, true}) {
        for (InstanceMethod method : InstanceMethod.values()) {
          for (int minSize : new int[] {0, 6}) {
            cases.add(Arguments.of(size[0], size[1], fill, minSize, method));
          }
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}x{1}, fillHoles {2}, minSize {3}, {4}")
  @MethodSource("cases")
  void bandsGiveTheWholePageLabels(int width, int height, boolean fillHoles, int minSize, InstanceMethod method)
      throws IOException {
    for (long seed = 1; seed <= 3; seed++) {
      float[] p = field(width, height, seed * 7 + width);
      InferenceSpec spec = spec(fillHoles, minSize, method);
      int[] expected = InstanceSegmentation.labels(p, width, height, spec).toArray();
      for (int band : new int[] {1, 3, 8, height}) {
        assertArrayEquals(expected, banded(p, width, height, spec, band), "seed " + seed + ", bands of " + band);
      }
    }
    try (Stream<Path> left = Files.list(dir)) {
      assertEquals(List.of(), left.toList(), "scratch files are deleted");
    }
  }

  /** The random fields do have holes, objects crossing bands and objects both watersheds split. */
  @Test
  void theFieldsExerciseHolesAndSplits() {
    float[] p = field(61, 47, 8);
    int components = InstanceSegmentation.labels(p, 61, 47, spec(false, 0, InstanceMethod.COMPONENTS)).cellCount();
    int filled = 0;
    int[] plain = InstanceSegmentation.labels(p, 61, 47, spec(false, 0, InstanceMethod.COMPONENTS)).toArray();
    int[] holes = InstanceSegmentation.labels(p, 61, 47, spec(true, 0, InstanceMethod.COMPONENTS)).toArray();
    for (int i = 0; i < plain.length; i++) {
      filled += plain[i] == 0 && holes[i] != 0 ? 1 : 0;
    }
    int split = InstanceSegmentation.labels(p, 61, 47, spec(false, 0, InstanceMethod.WATERSHED)).cellCount();
    assertTrue(filled > 0, "no hole filled");
    assertTrue(split > components, "watershed " + split + " vs components " + components);
    int shapes = InstanceSegmentation.labels(p, 61, 47, spec(false, 0, InstanceMethod.DISTANCE_WATERSHED)).cellCount();
    assertTrue(shapes > components, "distance watershed " + shapes + " vs components " + components);
  }

  /**
   * A ring whose hole holds an island, cut by band borders: with hole filling ring, hole and
   * island are one object; without, ring and island are two, numbered by first pixel (the ring's
   * top comes first). Then a cup open at the bottom border is not a hole.
   */
  @Test
  void ringWithAnIslandAcrossBands() {
    String[] picture = {
        ".........",
        ".#######.",
        ".#.....#.",
        ".#.###.#.",
        ".#.###.#.",
        ".#.....#.",
        ".#######.",
        ".........",
        ".##...##.",
        ".##...##.",
        ".#######.",
        ".#.....#.",
        ".#.....#."};
    int width = picture[0].length();
    int height = picture.length;
    float[] p = new float[width * height];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        p[y * width + x] = picture[y].charAt(x) == '#' ? 1f : 0f;
      }
    }
    int[] filled = banded(p, width, height, spec(true, 0, InstanceMethod.COMPONENTS), 2);
    int[] open = banded(p, width, height, spec(false, 0, InstanceMethod.COMPONENTS), 2);
    // Filled: the ring with its hole and island is 1 (rows 1-6, columns 1-7); the cup is 2 and
    // keeps its open inside (row 11, column 3).
    assertEquals(1, filled[3 * width + 4]);
    assertEquals(1, filled[2 * width + 2]);
    assertEquals(2, filled[8 * width + 1]);
    assertEquals(0, filled[11 * width + 3]);
    // Not filled: ring 1, island 2, cup 3.
    assertEquals(1, open[1 * width + 1]);
    assertEquals(2, open[3 * width + 3]);
    assertEquals(0, open[2 * width + 2]);
    assertEquals(3, open[8 * width + 6]);
  }

  /**
   * One row, threshold 0.5, seeds above 0.9 at both ends: the regions flood from 0.95 down; region 2
   * reaches the valley pixel 0.55 first (through 0.7), so it takes it. Derived by hand.
   */
  @Test
  void watershedSplitsAtTheValley() {
    float[] p = {0.95f, 0.95f, 0.8f, 0.6f, 0.55f, 0.7f, 0.8f, 0.95f, 0.95f};
    InferenceSpec spec = new InferenceSpec(60, 1, TestTimeAugmentation.NONE, 0.5, 0, false, InstanceMethod.WATERSHED,
        0.9);
    assertArrayEquals(new int[] {1, 1, 1, 1, 2, 2, 2, 2, 2}, InstanceSegmentation.labels(p, 9, 1, spec).toArray());
    assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1, 1, 1, 1},
        InstanceSegmentation.labels(p, 9, 1, spec(false, 0, InstanceMethod.COMPONENTS)).toArray());
    // Without a core above the seed threshold the object stays whole.
    InferenceSpec high = new InferenceSpec(60, 1, TestTimeAugmentation.NONE, 0.5, 0, false, InstanceMethod.WATERSHED,
        0.97);
    assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1, 1, 1, 1}, InstanceSegmentation.labels(p, 9, 1, high).toArray());
  }
}
