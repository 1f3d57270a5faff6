package org.unet4j.recipes.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ValidationScoresTest {
  /**
   * One 3x3 tile. Truth: objects A = column 0 (3 px) and B = column 2 (3 px). Prediction: columns
   * 0..1 of rows 0..1 (one object S of 4 px, 2 of A) and (2, 2) (one object of 1 px, in B).
   * SEG: A -> S covers 2 of 3 (more than half): J = 2 / (3 + 4 - 2) = 2/5; B -> the 1 px object
   * covers 1 of 3: none, 0. SEG = (2/5 + 0) / 2 = 0.2.
   * Rand over the 6 true pixels: truth pairs 9 + 9 = 18; predicted: S holds 2 true pixels (2² = 4),
   * the single one 1, and 3 true pixels are background (1 each): 8; agreeing 2² + 1² + 3 = 8.
   * P = 8/8 = 1, R = 8/18, F = 2 * 1 * 4/9 / (1 + 4/9) = 8/13: Rand error 5/13.
   */
  @Test
  void objectScoresOfAHandDrawnTile() {
    int[] labels = {
        1, 0, 1,
        1, 0, 1,
        1, 0, 1};
    float[] foreground = {
        0.9f, 0.9f, 0.1f,
        0.9f, 0.9f, 0.1f,
        0.1f, 0.1f, 0.9f};
    float[] weights = new float[9];
    java.util.Arrays.fill(weights, 1);
    ValidationScores.Accumulator accumulator = new ValidationScores.Accumulator();
    accumulator.add(0.5, 3, labels, weights, foreground);
    ValidationScores scores = accumulator.scores();
    assertEquals(0.2, scores.seg(), 1e-15);
    assertEquals(5.0 / 13, scores.randError(), 1e-15);
    assertEquals(0.2, scores.get(ValidationMetric.SEG), 1e-15);
    assertEquals(5.0 / 13, scores.get(ValidationMetric.RAND_ERROR), 1e-15);
  }

  /** A tile without true objects has no SEG (a mean over them), and a perfect Rand score. */
  @Test
  void aTileWithoutObjects() {
    ValidationScores.Accumulator accumulator = new ValidationScores.Accumulator();
    accumulator.add(0.1, 2, new int[4], new float[] {1, 1, 1, 1}, new float[4]);
    ValidationScores scores = accumulator.scores();
    assertTrue(Double.isNaN(scores.seg()));
    assertEquals(0, scores.randError());
  }
}
