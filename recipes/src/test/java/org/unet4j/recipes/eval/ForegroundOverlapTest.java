package org.unet4j.recipes.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.unet4j.labels.ConnectedComponents;

/** The foreground-restricted Rand F-score and V_info on hand-made segmentations. */
class ForegroundOverlapTest {
  /** One row: truth cells A1 = x 0..3, membrane at x 4, A2 = x 5..6. */
  private static final AsciiMask SEVEN = AsciiMask.of("####.##");

  private static ForegroundOverlap overlap(AsciiMask truth, int... proposal) {
    int labels = 0;
    for (int b : proposal) {
      labels = Math.max(labels, b);
    }
    return ForegroundOverlap.of(TruthSegments.of(truth.cells(), truth.width(), truth.height()), proposal, labels,
        true);
  }

  @Test
  void threeSegmentsOverSplittingOneCell() {
    // B: A1 split into B1 (x 0, 1) and B2 (x 2, 3); A2 is B3. c = 2, 2, 2: sum c^2 = 12, s = 0;
    // sum b^2 = 12; sum a^2 = 16 + 4 = 20. P = 12/12 = 1, R = 12/20, F = 2 * 0.6 / 1.6 = 0.75.
    RandCounts rand = overlap(SEVEN, 1, 1, 2, 2, 0, 3, 3).rand();
    assertEquals(new RandCounts(12, 12, 20), rand);
    assertEquals(1, rand.precision());
    assertEquals(0.6, rand.recall(), 1e-15);
    assertEquals(0.75, rand.fScore(), 1e-15);
  }

  @Test
  void boundaryPixelsInsideCellsAreSingletons() {
    // As above but x 3 is proposal boundary: c = 2, 1, 2 (sum 9), s = 1: agreeing 10; sum b^2 = 9, + s = 10;
    // truth pairs 20. P = 1, R = 1/2, F = 2/3.
    RandCounts rand = overlap(SEVEN, 1, 1, 2, 0, 0, 3, 3).rand();
    assertEquals(new RandCounts(10, 10, 20), rand);
    assertEquals(2.0 / 3, rand.fScore(), 1e-15);
  }

  @Test
  void proposalLabelsOnTruthMembraneDoNotCount() {
    // One segment over everything merges A1 and A2: sum c^2 = 16 + 4 = 20, sum b^2 = 6^2 = 36 (x 4 not counted).
    RandCounts rand = overlap(SEVEN, 1, 1, 1, 1, 1, 1, 1).rand();
    assertEquals(new RandCounts(20, 36, 20), rand);
    assertEquals(5.0 / 9, rand.precision(), 1e-15);
    assertEquals(5.0 / 7, rand.fScore(), 1e-15);
  }

  @Test
  void informationScoreByHandWithNaturalLogs() {
    // Truth A1 = x 0..2 (3 px), A2 = x 4 (1 px), n = 4. Proposal: B1 = x 0, 1; B2 = x 2 and x 4.
    // H(A) = -(3/4 ln 3/4 + 1/4 ln 1/4); H(B) = -(2 * 1/2 ln 1/2) = ln 2;
    // H(A,B) from c = 2, 1, 1: -(1/2 ln 1/2 + 2 * 1/4 ln 1/4) = 1.5 ln 2; I = H(A) + H(B) - H(A,B).
    AsciiMask truth = AsciiMask.of("###.#");
    double hA = -(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25));
    double hB = Math.log(2);
    double hAB = 1.5 * Math.log(2);
    double expected = 2 * (hA + hB - hAB) / (hA + hB);
    assertEquals(0.3437110184854507, expected, 1e-15);
    assertEquals(expected, overlap(truth, 1, 1, 2, 0, 2).information(), 1e-12);
  }

  @Test
  void informationCountsBoundaryPixelsAsSingletons() {
    // A1 = x 0, 1; A2 = x 3, 4 (n = 4). B1 = x 0, 1; x 3 is B2, x 4 boundary (s = 1).
    // H(A) = ln 2; H(B) = -(1/2 ln 1/2 + 1/4 ln 1/4) + 1/4 ln 4 = 1.5 ln 2; H(A,B) = the same sums = 1.5 ln 2;
    // I = ln 2, score = 2 ln 2 / 2.5 ln 2 = 0.8.
    assertEquals(0.8, overlap(AsciiMask.of("##.##"), 1, 1, 0, 2, 0).information(), 1e-12);
  }

  @Test
  void informationIsZeroWhenEitherSideHasNoEntropy() {
    // One proposal segment: H(B) = 0. One truth cell: H(A) = 0.
    assertEquals(0, overlap(AsciiMask.of("##.##"), 1, 1, 1, 1, 1).information());
    assertEquals(0, overlap(AsciiMask.of("####."), 1, 1, 2, 2, 0).information());
    // A perfect proposal of two cells scores 1.
    assertEquals(1, overlap(AsciiMask.of("##.##"), 1, 1, 0, 2, 2).information(), 1e-15);
  }

  /** Ordered pairs of truth-cell pixels counted one by one, on random small images. */
  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
  void contingencyTableAgreesWithCountingEveryPair(int seed) {
    Random random = new Random(seed);
    int width = 1 + random.nextInt(9);
    int height = 1 + random.nextInt(8);
    int n = width * height;
    boolean[] truth = new boolean[n];
    int[] proposal = new int[n];
    int labels = 1 + random.nextInt(5);
    for (int p = 0; p < n; p++) {
      truth[p] = random.nextInt(3) > 0;
      proposal[p] = random.nextInt(labels + 1);  // 0 = boundary
    }
    TruthSegments segments = TruthSegments.of(truth, width, height);
    int[] a = new int[n];
    ConnectedComponents.label(truth, width, height, a);
    long agreeing = 0;
    long proposalPairs = 0;
    long truthPairs = 0;
    for (int p = 0; p < n; p++) {
      for (int q = 0; q < n; q++) {
        if (!truth[p] || !truth[q]) {
          continue;
        }
        boolean sameTruth = a[p] == a[q];
        boolean sameProposal = p == q || (proposal[p] != 0 && proposal[p] == proposal[q]);
        truthPairs += sameTruth ? 1 : 0;
        proposalPairs += sameProposal ? 1 : 0;
        agreeing += sameTruth && sameProposal ? 1 : 0;
      }
    }
    assertEquals(new RandCounts(agreeing, proposalPairs, truthPairs),
        ForegroundOverlap.of(segments, proposal, labels, false).rand());
  }
}
