package org.unet4j.labels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.unet4j.dsl.recipe.ClassBalance;
import org.unet4j.dsl.recipe.WeightedCrossEntropyLoss;

class ClassFrequenciesTest {
  /** Image A, 4x1: a cell of 2 px and 2 px of background. */
  private static final InstanceLabels A = InstanceLabels.of(new int[] {1, 1, 0, 0}, 4, 1);
  /** Image B, 4x2: one cell of 1 px and 7 px of background. */
  private static final InstanceLabels B = InstanceLabels.of(new int[] {0, 0, 0, 0, 0, 3, 0, 0}, 4, 2);

  /**
   * Over A and B: 9 background and 3 cell pixels, N = 12, K = 2: w_background = 12 / (2 * 9) = 2/3,
   * w_cell = 12 / (2 * 3) = 2. Per image A would get 1 and 1, B 8/14 and 8/2.
   */
  @Test
  void theTrainingSetsCountsGiveOneWeightPerClassForEveryImage() {
    ClassFrequencies over = ClassFrequencies.over(List.of(A, B));
    assertEquals(new ClassFrequencies(9, 3), over);
    assertArrayEquals(new double[] {2.0 / 3, 2.0}, over.inverseWeights(), 1e-15);

    WeightedCrossEntropyLoss loss = new WeightedCrossEntropyLoss(10, 5, ClassBalance.DATASET_FREQUENCY, List.of());
    WeightedCrossEntropyLoss resolved = over.resolve(loss);
    assertEquals(new WeightedCrossEntropyLoss(10, 5, ClassBalance.GIVEN, List.of(2.0 / 3, 2.0)), resolved);
    // One cell per image: no border term, w = w_c.
    assertArrayEquals(new float[] {2, 2, 2f / 3, 2f / 3}, WeightMap.compute(A, resolved).weights());
    float[] b = WeightMap.compute(B, resolved).weights();
    assertEquals(2f, b[5]);
    assertEquals(2f / 3, b[0]);
    // Per image, inverse-frequency weighs B's cell pixel 4 instead.
    assertEquals(4f, WeightMap.compute(B, WeightedCrossEntropyLoss.paper()).weights()[5]);
  }

  @Test
  void otherBalancesAreLeftAsTheyAre() {
    WeightedCrossEntropyLoss paper = WeightedCrossEntropyLoss.paper();
    assertSame(paper, new ClassFrequencies(1, 1).resolve(paper));
  }

  @Test
  void anUnresolvedDatasetBalanceIsAnInternalMistake() {
    WeightedCrossEntropyLoss loss = new WeightedCrossEntropyLoss(10, 5, ClassBalance.DATASET_FREQUENCY, List.of());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WeightMap.compute(A, loss));
    assertEquals("a dataset-frequency class balance needs the training set's counts; resolve the loss with"
        + " ClassFrequencies.resolve before computing weight maps", e.getMessage());
  }

  /**
   * 3 classes on 7 x 5 pixels, -1 ignored, counted in 2x2 blocks (the seventh column and the fifth
   * row lie outside every block): block by block, row 0 gives 1 (three 1s), 2 (two 2s, two ignored),
   * 0 (a tie of 0 and 2 goes to 0); row 1 gives 0, ignored (not counted) and 2 (2, 2, 1, 0).
   */
  @Test
  void blocksCountTheirMajorityClassesIgnoredPixelsLeftOut() {
    int[] classes = {
        1, 1, 2, -1, 0, 2, 1,
        1, 0, 2, -1, 0, 2, 1,
        0, 0, -1, -1, 2, 2, 1,
        0, 0, -1, -1, 1, 0, 1,
        1, 1, 1, 1, 1, 1, 1};
    ClassLabels labels = ClassLabels.of(3, classes, InstanceLabels.of(new int[35], 7, 5));
    assertEquals(ClassFrequencies.of(new long[] {2, 1, 2}), ClassFrequencies.ofBlocks(labels, 2));
    assertEquals(ClassFrequencies.of(new long[] {8, 15, 6}), ClassFrequencies.ofBlocks(labels, 1), "the pixels");
    assertEquals(ClassFrequencies.of(new long[] {0, 0, 0}), ClassFrequencies.ofBlocks(labels, 6),
        "no whole block of 6 x 6");
  }

  /** Counts other than an image's pixels (its blocks) stand in for the per-image inverse frequency only. */
  @Test
  void perImageCountsResolveTheInverseFrequencyOnly() {
    ClassFrequencies blocks = ClassFrequencies.of(new long[] {3, 1});
    assertEquals(new WeightedCrossEntropyLoss(10, 5, ClassBalance.GIVEN, List.of(2.0 / 3, 2.0)),
        blocks.resolvePerImage(WeightedCrossEntropyLoss.paper()));
    WeightedCrossEntropyLoss dataset = new WeightedCrossEntropyLoss(10, 5, ClassBalance.DATASET_FREQUENCY, List.of());
    assertSame(dataset, blocks.resolvePerImage(dataset));
  }
}
