package org.unet4j.recipes.eval;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The metrics where an image or a prediction has no cell, or only cells, or one pixel. Each
 * expected value is worked out by hand from the definitions in {@code docs/guide/metrics.md}, in
 * the comment above it. Every prediction is flat, so every threshold gives the same mask and the
 * best threshold is the first one, 0.0.
 */
class DegenerateCasesTest {
  private static final String[] ALL_CELL = {"####", "####", "####"};
  private static final String[] NO_CELL = {"....", "....", "...."};

  private static ImageEvaluation evaluate(String[] truthRows, float probability) {
    AsciiMask truth = AsciiMask.of(truthRows);
    float[] prob = new float[truth.cells().length];
    Arrays.fill(prob, probability);
    return Evaluator.evaluate("case", List.of(truth.truth()),
        List.of(new CellProbabilities(truth.width(), truth.height(), prob)), 0.5);
  }

  private static void assertScores(ImageEvaluation e, double pixelError, double randError, double warpingError,
      double vRand, double vInfo, double iou, double dice, double objectF1, double ap, double seg) {
    assertAll(
        () -> assertEquals(pixelError, e.isbi().pixelError().value(), 1e-15, "pixelError"),
        () -> assertEquals(randError, e.isbi().randError().value(), 1e-15, "randError"),
        () -> assertEquals(warpingError, e.isbi().warpingError().value(), 1e-15, "warpingError"),
        () -> assertEquals(vRand, e.isbi().vRand().value(), 1e-15, "vRand"),
        () -> assertEquals(vInfo, e.isbi().vInfo().value(), 1e-15, "vInfo"),
        () -> assertEquals(iou, e.objects().iou(), 1e-15, "iou"),
        () -> assertEquals(dice, e.objects().dice(), 1e-15, "dice"),
        () -> assertEquals(objectF1, e.objects().objectF1(), 1e-15, "objectF1"),
        () -> assertEquals(ap, e.objects().ap(), 1e-15, "ap"),
        () -> assertEquals(seg, e.objects().seg(), 1e-15, "seg (NaN: undefined)"),
        () -> assertEquals(0.0, e.isbi().pixelError().threshold(), "a flat map is best at the first threshold"),
        () -> assertEquals(0.0, e.isbi().warpingError().threshold()));
  }

  @Test
  void emptyPredictionOfAnAllCellTruth() {
    // n = N = 12 truth pixels, one truth segment (a = 12); no predicted cell at any threshold.
    // Pixel: tp 0, fp 0, fn 12: P = 1, R = 0, F = 0, error 1.
    // Rand: every truth pixel is a boundary singleton, s = 12: P = 12/12, R = 12/144 = 1/12,
    //   F = 2 (1/12) / (13/12) = 2/13, error 11/13.
    // V_rand: with no cell pixel one basin covers the image, so the thinned proposal is one
    //   segment equal to the truth: F = 1. V_info: H(A) = 0 (one truth cell), so 0.
    // Warping: peeling the 4x3 cell to one pixel is simple; that last pixel cannot go (it would
    //   delete an object) and is an object deletion, which is not counted: 0.
    // Objects: intersection 0: IoU 0, Dice 0; 1 true object, 0 predicted: F1 0, AP 0 / (0 + 0 + 1)
    // = 0; the true object has no match: SEG 0.
    assertScores(evaluate(ALL_CELL, 0f), 1, 11.0 / 13, 0, 1, 0, 0, 0, 0, 0, 0);
  }

  @Test
  void fullPredictionOfAnAllCellTruth() {
    // Everything agrees; V_info is 0 because a single truth cell has no entropy. AP 1/1, SEG 1.
    assertScores(evaluate(ALL_CELL, 1f), 0, 0, 0, 1, 0, 1, 1, 1, 1, 1);
  }

  @Test
  void emptyPredictionOfAnAllMembraneTruth() {
    // Pixel: tp = fp = fn = 0: P = 1, R = 1, F = 1, error 0. Rand: n = 0, every count 0, so no
    // pair is wrong: P = R = 1, error 0, V_rand 1. V_info: H(A) = 0, so 0. Warping: no mismatch.
    // Objects: nothing to find and nothing found: IoU, Dice and F1 are 1; AP 0 (StarDist's 0/0);
    // SEG, a mean over no true object, undefined.
    assertScores(evaluate(NO_CELL, 0f), 0, 0, 0, 1, 0, 1, 1, 1, 0, Double.NaN);
  }

  @Test
  void fullPredictionOfAnAllMembraneTruth() {
    // Pixel: fp 12, tp = fn = 0: P = 0, R = 1, F = 0, error 1. Rand, V_rand, V_info only see the
    // truth's cells (there are none): 0, 1, 0. Warping: turning the first membrane pixel into a
    // cell adds an object, never simple, so nothing flips; all 12 mismatches are object
    // additions, not counted: 0. Objects: IoU 0/12, Dice 0/12, F1 = 0 / (0 + 1) = 0, AP 0 / 1 = 0;
    // no true object: SEG undefined.
    assertScores(evaluate(NO_CELL, 1f), 1, 0, 0, 1, 0, 0, 0, 0, 0, Double.NaN);
  }

  @Test
  void emptyPredictionOfTwoCellsIsSeenByVRand() {
    // Truth "#.#": two cells of one pixel, n = 2. Rand: s = 2, P = 2/2, R = 2/(1 + 1) = 1: the
    // pixels are apart in the truth and (as singletons) in the proposal, error 0. V_rand: the one
    // basin holds both: c = (1, 1), sum c^2 = 2, sum b^2 = 4, sum a^2 = 2: P = 1/2, R = 1,
    // F = 2/3. V_info: H(B) = 0, so 0. Warping: two object deletions, 0. AP 0 / 2, SEG 0.
    assertScores(evaluate(new String[] {"#.#"}, 0f), 1, 0, 0, 2.0 / 3, 0, 0, 0, 0, 0, 0);
  }

  @Test
  void singlePixelImages() {
    // One truth cell: n = 1, every Rand count is 1 whatever the proposal (the pixel's pair with
    // itself), so Rand error 0 and V_rand 1; V_info 0 (one cell). A wrong lone pixel has only the
    // membrane outside the image around it: an object deletion or addition, warping error 0.
    // AP is 1 only for the found cell; SEG is 0 for the missed cell and undefined without one.
    assertAll(
        () -> assertScores(evaluate(new String[] {"#"}, 0f), 1, 0, 0, 1, 0, 0, 0, 0, 0, 0),
        () -> assertScores(evaluate(new String[] {"#"}, 1f), 0, 0, 0, 1, 0, 1, 1, 1, 1, 1),
        () -> assertScores(evaluate(new String[] {"."}, 0f), 0, 0, 0, 1, 0, 1, 1, 1, 0, Double.NaN),
        () -> assertScores(evaluate(new String[] {"."}, 1f), 1, 0, 0, 1, 0, 0, 0, 0, 0, Double.NaN));
  }

  @Test
  void aLonePixelMismatchIsAnObjectAdditionOrDeletion() {
    WarpingCounts deleted = WarpingError.compute(new boolean[] {true}, new float[] {0f}, 1, 1, 0.5);
    WarpingCounts added = WarpingError.compute(new boolean[] {false}, new float[] {1f}, 1, 1, 0.5);
    assertAll(
        () -> assertEquals(new WarpingCounts(0, 0, 0, 0, 0, 1, 1), deleted),
        () -> assertEquals(new WarpingCounts(0, 0, 0, 0, 1, 0, 1), added));
  }

  @Test
  void anAllNanPredictionIsRefusedAtItsFirstPixel() {
    float[] nan = new float[6];
    Arrays.fill(nan, Float.NaN);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new CellProbabilities(3, 2, nan));
    assertEquals("the probability at (x=0, y=0) is NaN; a prediction that holds NaN cannot be thresholded"
        + " (did the model diverge?)", e.getMessage());
  }
}
