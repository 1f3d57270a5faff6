package org.unet4j.recipes.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.unet4j.recipes.data.Image;
import org.unet4j.recipes.data.PixelType;

class IsbiMetricsTest {
  /** Two 2x2 cells in a 4x4 image: 8 truth-cell pixels in 2 segments of 4. */
  private static final AsciiMask TWO_SQUARES = AsciiMask.of("##..", "##..", "..##", "..##");

  private static CellProbabilities exactly(AsciiMask mask) {
    float[] prob = new float[mask.cells().length];
    for (int i = 0; i < prob.length; i++) {
      prob[i] = mask.cells()[i] ? 1f : 0f;
    }
    return new CellProbabilities(mask.width(), mask.height(), prob);
  }

  @ParameterizedTest
  @CsvSource({"4, 4", "1, 1", "7, 3", "30, 2"})
  void perfectPredictionScoresPerfectly(int width, int height) {
    // Cells on every other column: several cells (V_info needs two to have entropy) where possible.
    String[] lines = new String[height];
    for (int y = 0; y < height; y++) {
      StringBuilder row = new StringBuilder();
      for (int x = 0; x < width; x++) {
        row.append(x % 2 == 0 ? '#' : '.');
      }
      lines[y] = row.toString();
    }
    AsciiMask mask = AsciiMask.of(lines);
    IsbiScores scores = IsbiMetrics.compute(List.of(mask.truth()), List.of(exactly(mask)));
    assertEquals(new BestScore(0, 0.0), scores.pixelError());
    assertEquals(new BestScore(0, 0.0), scores.randError());
    assertEquals(new BestScore(0, 0.0), scores.warpingError());
    assertEquals(new BestScore(1, 0.0), scores.vRand());
    assertEquals(width >= 3 ? 1 : 0, scores.vInfo().value(), 1e-12, "one cell has no entropy: V_info 0");
  }

  @Test
  void softMapsBestThresholdNeedNotBeOneHalf() {
    IsbiScores scores = IsbiMetrics.compute(List.of(PixelErrorTest.TRUTH.truth()),
        List.of(new CellProbabilities(4, 4, PixelErrorTest.PROB)));
    assertEquals(0.2, scores.pixelError().threshold());
    assertEquals(3.0 / 19, scores.pixelError().value(), 1e-15);
  }

  /**
   * A stack of a perfect page and a page predicted all membrane, at every threshold. Pixel F from
   * summed counts: (8, 0, 0) + (0, 0, 8): P = 1, R = 1/2, F = 2/3. Rand F from summed pair counts:
   * page 1 (32, 32, 32), page 2 (no proposal cells, so the 8 truth pixels are singletons)
   * (8, 8, 32): P = 40/40, R = 40/64, F = 10/13. V_rand is the mean of the pages' scores: 1 and,
   * after thinning (one basin covers page 2), P = 32/64, R = 1, F = 2/3; mean 5/6 (summed counts
   * would give 0.8). V_info: 1 and 0 (one basin, no entropy): mean 1/2.
   */
  @Test
  void stacksSumPixelAndRandCountsButAverageVRandAndVInfo() {
    CellProbabilities empty = new CellProbabilities(4, 4, new float[16]);
    IsbiScores scores = IsbiMetrics.compute(List.of(TWO_SQUARES.truth(), TWO_SQUARES.truth()),
        List.of(exactly(TWO_SQUARES), empty));
    assertEquals(1.0 / 3, scores.pixelError().value(), 1e-15);
    assertEquals(0.0, scores.pixelError().threshold());
    assertEquals(3.0 / 13, scores.randError().value(), 1e-15);
    assertEquals(5.0 / 6, scores.vRand().value(), 1e-15);
    assertEquals(0.5, scores.vInfo().value(), 1e-15);
    // Page 2's cells shrink to a pixel each and stay as object deletions, which are not errors.
    assertEquals(0, scores.warpingError().value());
  }

  @Test
  void stackPixelErrorIsNotTheMeanOfThePages() {
    // Pages: perfect, and the hand-counted soft page (best 16/19 at 0.2 alone). Summed counts at 0.2:
    // (16, 3, 0): P = 16/19, R = 1, F = 32/35; at 0.3: (15, 2, 1): F = 10/11 < 32/35; at 0.4: 28/31.
    IsbiScores scores = IsbiMetrics.compute(List.of(PixelErrorTest.TRUTH.truth(), PixelErrorTest.TRUTH.truth()),
        List.of(exactly(PixelErrorTest.TRUTH), new CellProbabilities(4, 4, PixelErrorTest.PROB)));
    assertEquals(3.0 / 35, scores.pixelError().value(), 1e-15);
    assertEquals(0.2, scores.pixelError().threshold());
  }

  @Test
  void eightBitPredictionsAreReadAsVOver255() {
    // 128/255 = 0.50196 is cell at 0.5; 127/255 = 0.49804 is not.
    Image image = Image.gray(2, 1, PixelType.UINT8, new float[] {128, 127});
    boolean[] cells = CellProbabilities.of(image, 0).cells(0.5);
    assertTrue(cells[0] && !cells[1]);
  }

  @Test
  void syntheticEmImageScoresSensibly() {
    SyntheticEm em = SyntheticEm.of(96, 96, 12, 4, 7);
    IsbiScores scores = IsbiMetrics.compute(List.of(GroundTruthFixtures.fromCells(em.truth, 96, 96)),
        List.of(new CellProbabilities(96, 96, em.prob)));
    assertTrue(scores.pixelError().value() > 0 && scores.pixelError().value() < 0.2, scores.toString());
    assertTrue(scores.vRand().value() > 0.5 && scores.vRand().value() <= 1, scores.toString());
    assertTrue(scores.vInfo().value() > 0.5 && scores.vInfo().value() <= 1, scores.toString());
    assertTrue(scores.warpingError().value() < 0.05, scores.toString());
  }

  @Test
  void pageSizesMustAgree() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Evaluator.evaluate("x",
        List.of(TWO_SQUARES.truth()), List.of(new CellProbabilities(3, 4, new float[12])), 0.5));
    assertEquals("the truth is 4x4 but the prediction 3x4", e.getMessage());
    IllegalArgumentException pages = assertThrows(IllegalArgumentException.class, () -> Evaluator.evaluate("x",
        List.of(TWO_SQUARES.truth(), TWO_SQUARES.truth()), List.of(exactly(TWO_SQUARES)), 0.5));
    assertEquals("the truth has 2 page(s) but the prediction 1", pages.getMessage());
  }

  @Test
  void evaluationCarriesAllTenScores() {
    ImageEvaluation evaluation = Evaluator.evaluate("squares", List.of(TWO_SQUARES.truth()),
        List.of(exactly(TWO_SQUARES)), 0.5);
    assertEquals(new Scores(0, 0, 0, 1, 1, 1, 1, 1, 1, 1), evaluation.scores());
    EvaluationSummary summary = EvaluationSummary.of(List.of(evaluation, evaluation));
    assertEquals(evaluation.scores(), summary.mean());
  }

  @Test
  void meanLeavesOutUndefinedScores() {
    Scores a = new Scores(0.1, 0.2, 0.3, 0.4, Double.NaN, 0.6, 0.7, 0.8, 0.9, Double.NaN);
    Scores b = new Scores(0.3, 0.4, 0.5, 0.6, 0.5, 0.8, 0.9, 1.0, 0.7, 0.5);
    Scores mean = Scores.mean(List.of(a, b));
    assertEquals(0.2, mean.pixelError(), 1e-15);
    assertEquals(0.5, mean.vInfo(), 1e-15);
    assertEquals(0.8, mean.ap(), 1e-15);
    assertEquals(0.5, mean.seg(), 1e-15);
  }
}
