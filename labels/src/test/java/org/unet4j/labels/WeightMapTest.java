package org.unet4j.labels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.unet4j.labels.LabelDecoderTest.image;

import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.unet4j.dsl.recipe.ClassBalance;
import org.unet4j.dsl.recipe.WeightedCrossEntropyLoss;

class WeightMapTest {
  private static final WeightedCrossEntropyLoss PAPER = WeightedCrossEntropyLoss.paper();
  private static final WeightedCrossEntropyLoss UNBALANCED =
      new WeightedCrossEntropyLoss(10, 5, ClassBalance.NONE, List.of());

  static Stream<Arguments> smallImages() {
    Stream.Builder<Arguments> out = Stream.builder();
    int[][] shapes = {{17, 23}, {31, 9}, {1, 25}, {40, 40}, {23, 1}, {12, 12}};
    double[] sigmas = {5, 1.5, 3};
    for (int[] shape : shapes) {
      for (double sigma : sigmas) {
        out.add(Arguments.of(shape[0], shape[1], sigma));
      }
    }
    return out.build();
  }

  @ParameterizedTest(name = "{0}x{1} sigma {2}")
  @MethodSource("smallImages")
  void matchesBruteForceOverAllCells(int width, int height, double sigma) {
    Random random = new Random(1000L * width + 10L * height + (long) sigma);
    double cutoff = sigma * Math.sqrt(2 * Math.log(1e6));
    for (int trial = 0; trial < 3; trial++) {
      InstanceLabels cells = InstanceLabels.of(
          BruteForce.randomCells(random, width, height, 3 + random.nextInt(4)), width, height);
      WeightedCrossEntropyLoss loss = new WeightedCrossEntropyLoss(10, sigma, ClassBalance.NONE, List.of());
      float[] actual = WeightMap.weights(cells, loss);
      int[] labels = cells.toArray();
      double[][] distances = BruteForce.sortedCellDistances(labels, width, cells.cellCount());
      double[] expected = BruteForce.weights(labels, distances, 10, sigma, 1, 1);
      for (int p = 0; p < labels.length; p++) {
        boolean withinCutoff = distances[p].length >= 2 && distances[p][1] <= cutoff;
        if (labels[p] != 0 || withinCutoff) {
          assertEquals(expected[p], actual[p], 1e-6 * expected[p], "pixel " + p + " of " + cells);
        } else {
          // Beyond the cut-off the term is dropped; it is below 1e-6 * w0 there.
          assertEquals(expected[p], actual[p], 1e-6 * 10 + 1e-6, "pixel " + p + " of " + cells);
        }
      }
    }
  }

  @Test
  void matchesOneFullDistanceTransformPerCellOnAManyCellImage() {
    int width = 151;
    int height = 97;
    Random random = new Random(11);
    InstanceLabels cells = InstanceLabels.of(BruteForce.randomCells(random, width, height, 40), width, height);
    float[] actual = WeightMap.weights(cells, UNBALANCED);
    int[] labels = cells.toArray();
    double[] d1 = new double[labels.length];
    double[] d2 = new double[labels.length];
    java.util.Arrays.fill(d1, Double.POSITIVE_INFINITY);
    java.util.Arrays.fill(d2, Double.POSITIVE_INFINITY);
    for (int k = 1; k <= cells.cellCount(); k++) {
      boolean[] cell = new boolean[labels.length];
      for (int p = 0; p < labels.length; p++) {
        cell[p] = labels[p] == k;
      }
      double[] d = DistanceTransform.distances(cell, width, height);
      for (int p = 0; p < labels.length; p++) {
        if (d[p] < d1[p]) {
          d2[p] = d1[p];
          d1[p] = d[p];
        } else if (d[p] < d2[p]) {
          d2[p] = d[p];
        }
      }
    }
    int checked = 0;
    for (int p = 0; p < labels.length; p++) {
      double expected = labels[p] != 0
          ? 1 : 1 + 10 * Math.exp(-(d1[p] + d2[p]) * (d1[p] + d2[p]) / 50);
      assertEquals(expected, actual[p], 1e-6 * expected + 1e-5, "pixel " + p);
      checked += labels[p] == 0 && expected > 1.01 ? 1 : 0;
    }
    assertTrue(checked > 1000, "the image should have many pixels with a visible border term: " + checked);
  }

  @Test
  void oneGapPixelBetweenTwoCellsIsAtDistanceOneFromBoth() {
    // d1 = d2 = 1 on the gap column: w = 1 + 10 exp(-(1 + 1)^2 / (2 * 25)).
    InstanceLabels cells = InstanceLabels.of(image(
        "1 1 1 0 2 2 2",
        "1 1 1 0 2 2 2",
        "1 1 1 0 2 2 2"), 7, 3);
    float[] w = WeightMap.weights(cells, UNBALANCED);
    double gap = 1 + 10 * Math.exp(-4.0 / 50);
    assertEquals(10.231163463866358, gap, 1e-12);
    for (int y = 0; y < 3; y++) {
      assertEquals(gap, w[y * 7 + 3], 1e-6);
      assertEquals(1, w[y * 7], 0);
      assertEquals(1, w[y * 7 + 6], 0);
    }
  }

  @Test
  void twoGapPixelsAreAtDistancesOneAndTwo() {
    // Each gap pixel is 1 from the cell on its side and 2 from the other: exp(-9 / 50).
    InstanceLabels cells = InstanceLabels.of(image(
        "1 1 0 0 2 2",
        "1 1 0 0 2 2"), 6, 2);
    float[] w = WeightMap.weights(cells, UNBALANCED);
    double expected = 1 + 10 * Math.exp(-9.0 / 50);
    assertArrayEquals(new float[] {1, 1, (float) expected, (float) expected, 1, 1},
        java.util.Arrays.copyOf(w, 6), 1e-6f);
  }

  @Test
  void computeAddsSeparationBordersAndWeightsThem() {
    // Two touching 4x4 squares lose their contact columns 3 and 4: each border pixel is 1 from
    // what is left of its own cell and 2 from the other. 24 of 32 pixels stay cells, so
    // w_c = 32 / (2 * 8) = 2 for background and 32 / (2 * 24) = 2/3 for cells.
    InstanceLabels touching = InstanceLabels.of(image(
        "1 1 1 1 2 2 2 2",
        "1 1 1 1 2 2 2 2",
        "1 1 1 1 2 2 2 2",
        "1 1 1 1 2 2 2 2"), 8, 4);
    WeightedTarget target = WeightMap.compute(touching, PAPER);
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 8; x++) {
        boolean border = x == 3 || x == 4;
        assertEquals(border ? 0 : 1, target.classLabel(x, y));
        double expected = border ? 2 + 10 * Math.exp(-9.0 / 50) : 2.0 / 3;
        assertEquals(expected, target.weight(x, y), 1e-6, "(" + x + ", " + y + ")");
      }
    }
  }

  @Test
  void inverseFrequencyOnAHandExample() {
    // 3 cell pixels of 12: w_c = 12 / (2 * 9) = 2/3 for background, 12 / (2 * 3) = 2 for cells,
    // so w_c averages to 1. w0 = 0 leaves w_c alone.
    InstanceLabels cells = InstanceLabels.of(image(
        "0 0 0 0",
        "0 1 1 0",
        "0 0 1 0"), 4, 3);
    WeightedCrossEntropyLoss loss = new WeightedCrossEntropyLoss(0, 5, ClassBalance.INVERSE_FREQUENCY, List.of());
    float[] w = WeightMap.weights(cells, loss);
    float b = 2f / 3;
    assertArrayEquals(new float[] {b, b, b, b, b, 2, 2, b, b, b, 2, b}, w, 1e-6f);
  }

  @Test
  void inverseFrequencyOfAnEmptyImageIsOne() {
    float[] w = WeightMap.weights(InstanceLabels.of(new int[6], 3, 2), PAPER);
    assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1}, w);
  }

  @Test
  void givenClassWeightsAreUsedAsListed() {
    InstanceLabels cells = InstanceLabels.of(image("0 1", "0 0"), 2, 2);
    WeightedCrossEntropyLoss loss = new WeightedCrossEntropyLoss(10, 5, ClassBalance.GIVEN, List.of(0.5, 3.0));
    assertArrayEquals(new float[] {0.5f, 3f, 0.5f, 0.5f}, WeightMap.weights(cells, loss));
  }

  @Test
  void givenClassWeightsMustListTwo() {
    WeightedCrossEntropyLoss loss = new WeightedCrossEntropyLoss(10, 5, ClassBalance.GIVEN, List.of(1.0, 2.0, 3.0));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> WeightMap.weights(InstanceLabels.of(new int[4], 2, 2), loss));
    assertEquals("classWeights lists 3 weights [1.0, 2.0, 3.0] but the weight map has 2 classes"
        + " (0 background, 1 cell); list 2, e.g. [1.0, 3.0]", e.getMessage());
  }

  @Test
  void oneCellGetsNoBorderTerm() {
    InstanceLabels cells = InstanceLabels.of(image("0 0 0", "0 1 0", "0 0 0"), 3, 3);
    float[] w = WeightMap.weights(cells, UNBALANCED);
    for (float v : w) {
      assertEquals(1f, v);
    }
  }

  @Test
  void cutoffIsWhereTheTermFallsBelowNegligible() {
    double r = WeightMap.cutoffDistance(5);
    assertEquals(1e-6, Math.exp(-r * r / 50), 1e-15);
  }
}
