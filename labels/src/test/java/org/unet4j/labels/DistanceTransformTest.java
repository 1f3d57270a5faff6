package org.unet4j.labels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DistanceTransformTest {

  static Stream<Arguments> shapesAndDensities() {
    int[][] shapes = {{1, 1}, {1, 9}, {9, 1}, {2, 3}, {5, 5}, {13, 8}, {31, 17}, {64, 1}, {20, 33}};
    double[] densities = {0.0, 0.01, 0.1, 0.5, 1.0};
    Stream.Builder<Arguments> out = Stream.builder();
    for (int[] shape : shapes) {
      for (double density : densities) {
        out.add(Arguments.of(shape[0], shape[1], density));
      }
    }
    return out.build();
  }

  @ParameterizedTest(name = "{0}x{1} density {2}")
  @MethodSource("shapesAndDensities")
  void matchesBruteForce(int width, int height, double density) {
    Random random = new Random(31L * width + 17L * height + (long) (density * 1000));
    for (int trial = 0; trial < 3; trial++) {
      boolean[] features = new boolean[width * height];
      for (int i = 0; i < features.length; i++) {
        features[i] = random.nextDouble() < density;
      }
      assertArrayEquals(BruteForce.squaredDistances(features, width, height),
          DistanceTransform.squaredDistances(features, width, height));
    }
  }

  @Test
  void emptyImageIsInfiniteAndFullImageIsZero() {
    double[] empty = DistanceTransform.squaredDistances(new boolean[15], 5, 3);
    assertTrue(Arrays.stream(empty).allMatch(d -> d == Double.POSITIVE_INFINITY));
    boolean[] full = new boolean[15];
    Arrays.fill(full, true);
    assertTrue(Arrays.stream(DistanceTransform.distances(full, 3, 5)).allMatch(d -> d == 0));
  }

  @Test
  void singleFeatureGivesEuclideanDistances() {
    // One feature at (1, 2) of a 4x4 image: the distance to (3, 0) is sqrt(4 + 4).
    boolean[] features = new boolean[16];
    features[2 * 4 + 1] = true;
    double[] d = DistanceTransform.distances(features, 4, 4);
    assertEquals(Math.sqrt(8), d[3], 0);
    assertEquals(1, d[2 * 4 + 2], 0);
    assertEquals(Math.sqrt(1 + 4), d[0], 0);
    assertEquals(Math.sqrt(4 + 1), d[3 * 4 + 3], 0);
  }

  @Test
  void lowerEnvelopeOfArbitrarySamplesMatchesBruteForce() {
    Random random = new Random(7);
    for (int trial = 0; trial < 200; trial++) {
      int n = 1 + random.nextInt(40);
      double[] f = new double[n];
      for (int i = 0; i < n; i++) {
        f[i] = random.nextDouble() < 0.3 ? Double.POSITIVE_INFINITY : random.nextInt(200);
      }
      double[] d = new double[n];
      DistanceTransform.lowerEnvelope(f, n, d, new int[n], new double[n + 1]);
      for (int p = 0; p < n; p++) {
        double expected = Double.POSITIVE_INFINITY;
        for (int q = 0; q < n; q++) {
          expected = Math.min(expected, (double) (p - q) * (p - q) + f[q]);
        }
        assertEquals(expected, d[p], 0, "n=" + n + " p=" + p + " f=" + Arrays.toString(f));
      }
    }
  }

  @Test
  void refusesSizeThatDoesNotMatch() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DistanceTransform.squaredDistances(new boolean[10], 4, 3));
    assertEquals("a 4x3 image has 12 pixels but the array holds 10", e.getMessage());
  }
}
