package org.unet4j.recipes.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pixel error on a 4x4 image, counted by hand. Truth (# cell):
 *
 * <pre>
 * ##..     .875 .75  .25  .625
 * ##..     .625 .375 .125 .125
 * ..##     .375 0    .875 .875
 * ..##     0    0    .5   .25
 * </pre>
 *
 * <p>Cell probabilities .875 .875 .875 .75 .625 .5 .375 .25; membrane .625 .375 .25 .125 .125 0 0 0
 * (dyadic, so every comparison with a threshold is exact). Per threshold (tp, fp, fn) and F:
 * 0.0 and 0.1: (8, 5, 0), 16/21; 0.2: (8, 3, 0), 16/19; 0.3: (7, 2, 1), 14/17; 0.4: (6, 1, 2), 4/5;
 * 0.5 and 0.6: (5, 1, 3), 5/7 (0.5 is not &gt; 0.5); 0.7: (4, 0, 4), 2/3; 0.8: (3, 0, 5), 6/11;
 * 0.9 and 1.0: (0, 0, 8), precision 1 by the fp = 0 rule, recall 0, F 0. Best: 16/19 at 0.2.
 */
class PixelErrorTest {
  static final AsciiMask TRUTH = AsciiMask.of("##..", "##..", "..##", "..##");
  static final float[] PROB = {
      .875f, .75f, .25f, .625f,
      .625f, .375f, .125f, .125f,
      .375f, 0f, .875f, .875f,
      0f, 0f, .5f, .25f};

  @Test
  void countsAtHalfAreCountedByHand() {
    PixelCounts counts = PixelCounts.of(TRUTH.cells(), new CellProbabilities(4, 4, PROB).cells(0.5));
    assertEquals(new PixelCounts(5, 1, 3), counts);
    assertEquals(5.0 / 6, counts.precision(), 1e-15);
    assertEquals(5.0 / 8, counts.recall(), 1e-15);
    assertEquals(5.0 / 7, counts.fScore(), 1e-15);
  }

  @Test
  void pixelErrorIsOneMinusTheBestFScoreNotTheBestAccuracy() {
    IsbiScores scores = IsbiMetrics.compute(List.of(TRUTH.truth()), List.of(new CellProbabilities(4, 4, PROB)));
    assertEquals(3.0 / 19, scores.pixelError().value(), 1e-15);
    assertEquals(0.2, scores.pixelError().threshold());
    // Accuracy peaks elsewhere: 13 of 16 pixels right at 0.2, 0.3 and 0.4 alike; the F-score decides.
  }

  @Test
  void precisionAndRecallAreOneWithoutFalsePositivesOrNegatives() {
    assertEquals(1, new PixelCounts(0, 0, 4).precision());
    assertEquals(0, new PixelCounts(0, 0, 4).fScore());
    assertEquals(1, new PixelCounts(0, 3, 0).recall());
    assertEquals(1, new PixelCounts(0, 0, 0).fScore());
    assertEquals(0, new PixelCounts(0, 3, 4).fScore(), "P + R = 0");
  }
}
