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
}
