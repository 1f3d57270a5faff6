package org.unet4j.labels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LabelOverlapTest {
  /**
   * Truth  1 1 1 2 2 0, prediction 1 1 0 2 2 2 (one row). Pairs: (1, 1) 2 px, (2, 2) 2 px; one
   * pixel of object 1 is predicted background. Areas: truth 3 and 2, predicted 2 and 3.
   * IoU (1, 1) = 2 / (3 + 2 - 2) = 2/3, (2, 2) = 2 / (2 + 3 - 2) = 2/3; both cover more than half of
   * their true object: SEG sum 4/3. Rand over the 5 true-object pixels: truth pairs 3² + 2² = 13;
   * predicted within them 2² + 2² + 1 (the missed pixel alone) = 9; agreeing 2² + 2² + 1 = 9.
   */
  @Test
  void handCountedRow() {
    LabelOverlap overlap = LabelOverlap.of(new int[] {1, 1, 1, 2, 2, 0}, 2, new int[] {1, 1, 0, 2, 2, 2}, 2);
    assertEquals(2, overlap.pairs());
    assertEquals(5, overlap.truthForeground());
    assertEquals(5, overlap.predictedForeground());
    assertEquals(4, overlap.sharedForeground());
    assertEquals(2.0 / 3, overlap.pairIou(0), 1e-15);
    assertEquals(4.0 / 3, overlap.segSum(), 1e-15);
    assertEquals(13, overlap.randTruthPairs());
    assertEquals(9, overlap.randPredictedPairs());
    assertEquals(9, overlap.randAgreeingPairs());
  }

  /** A merge: one predicted object over two true ones joins pairs the truth keeps apart. */
  @Test
  void aMergeJoinsPairsTheTruthSplits() {
    LabelOverlap overlap = LabelOverlap.of(new int[] {1, 1, 2, 2}, 2, new int[] {1, 1, 1, 1}, 1);
    assertEquals(8, overlap.randTruthPairs());
    assertEquals(16, overlap.randPredictedPairs());
    assertEquals(8, overlap.randAgreeingPairs());
    // Each true object lies wholly inside the merged one: Jaccard 2/4 each.
    assertEquals(1.0, overlap.segSum(), 1e-15);
  }

  @Test
  void labelsOutOfRangeAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LabelOverlap.of(new int[] {0, 3}, 2, new int[] {0, 0}, 0));
    assertEquals("pixel 1: labels 3 and 0, expected 0..2 and 0..0", e.getMessage());
    IllegalArgumentException sizes = assertThrows(IllegalArgumentException.class,
        () -> LabelOverlap.of(new int[] {0}, 0, new int[] {0, 0}, 0));
    assertEquals("the truth has 1 pixels but the prediction 2", sizes.getMessage());
  }
}
