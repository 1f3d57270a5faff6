package org.unet4j.recipes.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WarpingErrorTest {
  private static WarpingCounts warp(AsciiMask truth, AsciiMask proposal) {
    return WarpingError.compute(truth.cells(), proposal.confident(), truth.width(), truth.height(), 0.5);
  }

  /** One cell of 13x7 inside a membrane frame. */
  private static final String[] ONE_CELL = {
      "...............",
      ".#############.",
      ".#############.",
      ".#############.",
      ".#############.",
      ".#############.",
      ".#############.",
      ".#############.",
      "..............."};

  /** The rows with columns from..to set to {@code c} inside the frame (rows 1..h-2). */
  private static String[] withColumns(String[] rows, int from, int to, char c) {
    String[] changed = rows.clone();
    for (int y = 1; y < rows.length - 1; y++) {
      char[] row = changed[y].toCharArray();
      Arrays.fill(row, from, to + 1, c);
      changed[y] = new String(row);
    }
    return changed;
  }

  @Test
  void identicalImagesHaveNoError() {
    AsciiMask truth = AsciiMask.of(ONE_CELL);
    WarpingCounts counts = warp(truth, truth);
    assertEquals(0, counts.mismatches());
    assertEquals(0, counts.error());
    assertEquals(135, counts.pixels());
  }

  /**
   * A wall-to-wall membrane band of width w across the cell splits it. The band's pixels peel away
   * (each is simple while the cell stays connected around it) until w pixels in a row remain as
   * the last bridge; removing any of them disconnects the halves, so all w are splits.
   */
  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3})
  void wallToWallLineOfWidthWIsWSplitPixels(int w) {
    AsciiMask truth = AsciiMask.of(ONE_CELL);
    WarpingCounts counts = warp(truth, AsciiMask.of(withColumns(ONE_CELL, 6, 5 + w, '.')));
    assertEquals(w, counts.splits());
    assertEquals(0, counts.merges());
    assertEquals(w, counts.mismatches(), "the rest of the band warped away");
    assertEquals((double) w / (15 * 9), counts.error(), 1e-15);
  }

  /** Two cells separated by a one-pixel membrane column at x 7. */
  private static final String[] TWO_CELLS = {
      "...............",
      ".######.######.",
      ".######.######.",
      ".######.######.",
      ".######.######.",
      ".######.######.",
      ".######.######.",
      ".######.######.",
      "..............."};

  /**
   * A gap of L pixels in the separating membrane merges the cells: no gap pixel can become cell
   * without joining them (it would touch both), so all L remain, each with both cells and the
   * membrane around it: merges.
   */
  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 5})
  void gapOfLPixelsInAMembraneIsLMergePixels(int gap) {
    String[] proposal = TWO_CELLS.clone();
    for (int y = 2; y < 2 + gap; y++) {
      proposal[y] = proposal[y].substring(0, 7) + "#" + proposal[y].substring(8);
    }
    WarpingCounts counts = warp(AsciiMask.of(TWO_CELLS), AsciiMask.of(proposal));
    assertEquals(gap, counts.merges());
    assertEquals(0, counts.splits());
    assertEquals(gap, counts.mismatches());
  }

  @Test
  void shiftingAMembraneIsFreeBecauseSimpleFlipsAchieveIt() {
    // The separating column moves from x 7 to x 8: x 8 (cell -> membrane) flips first, then x 7
    // (membrane -> cell) can join the left cell without merging.
    AsciiMask shifted = AsciiMask.of(withColumns(withColumns(TWO_CELLS, 7, 7, '#'), 8, 8, '.'));
    WarpingCounts counts = warp(AsciiMask.of(TWO_CELLS), shifted);
    assertEquals(0, counts.mismatches());
  }

  /** Four 5x5 cells, membranes 3 wide, a frame 2 wide. */
  private static final String[] FOUR_CELLS = {
      "..............",
      "..............",
      "..#####...####",
      "..#####...####",
      "..#####...####",
      "..#####...####",
      "..#####...####",
      "..............",
      "..............",
      "..............",
      "..#####...####",
      "..#####...####"};

  @Test
  void dilatingOrErodingMembranesByOnePixelCostsNoWarpingButPixels() {
    AsciiMask truth = AsciiMask.of(FOUR_CELLS);
    AsciiMask dilated = AsciiMask.of(
        "..............",
        "..............",
        "..............",
        "...###.....##.",
        "...###.....##.",
        "...###.....##.",
        "..............",
        "..............",
        "..............",
        "..............",
        "..............",
        "...###.....##.");
    AsciiMask eroded = AsciiMask.of(
        "..............",
        ".######.######",
        ".######.######",
        ".######.######",
        ".######.######",
        ".######.######",
        ".######.######",
        ".######.######",
        "..............",
        ".######.######",
        ".######.######",
        ".######.######");
    for (AsciiMask proposal : List.of(dilated, eroded)) {
      assertTrue(warp(truth, proposal).mismatches() == 0);
      IsbiScores scores = IsbiMetrics.compute(List.of(truth.truth()), List.of(proposal.probabilities()));
      assertEquals(0, scores.warpingError().value());
      // At 0.0 and 0.1 the membrane's 0.125 is cell too: everything merges.
      assertEquals(0.2, scores.warpingError().threshold());
      assertTrue(scores.pixelError().value() > 0.05, "pixel error " + scores.pixelError());
    }
  }

  @Test
  void remainingMismatchesOfOtherKindsAreNotErrors() {
    // A one-pixel hole in the cell cannot be warped away (all its neighbours are cell) and stays as
    // a hole addition, which is not a merge or split.
    String[] proposal = ONE_CELL.clone();
    proposal[4] = ".######.######.";
    WarpingCounts counts = warp(AsciiMask.of(ONE_CELL), AsciiMask.of(proposal));
    assertEquals(new WarpingCounts(0, 0, 1, 0, 0, 0, 135), counts);
    assertEquals(0, counts.error());
    // A truth cell the proposal misses shrinks to one pixel, which stays: an object deletion.
    WarpingCounts missed = warp(AsciiMask.of(ONE_CELL), AsciiMask.of(withColumns(ONE_CELL, 1, 13, '.')));
    assertEquals(new WarpingCounts(0, 0, 0, 0, 0, 1, 135), missed);
  }

  /**
   * The optimised warping (dirty pixels only, one sort when ties are transitive) against the
   * literal definition (rescan, sort and test everything every pass) on random images: 8-bit maps,
   * float maps with chains of near-ties that are not transitive, smooth float maps and uniform
   * noise; images up to 72 pixels wide so that the 41x41 classification window is a real window.
   */
  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
  void agreesWithTheLiteralDefinition(int seed) {
    Random random = new Random(seed);
    int width = seed <= 12 ? 6 + random.nextInt(30) : 48 + random.nextInt(25);
    int height = seed <= 12 ? 6 + random.nextInt(30) : 44 + random.nextInt(25);
    SyntheticEm em = SyntheticEm.of(width, height, 2 + width * height / 300, 1 + random.nextInt(3), seed);
    float[] prob = em.prob.clone();
    switch (seed % 4) {
      case 0 -> {
        for (int i = 0; i < prob.length; i++) {
          prob[i] = Math.round(prob[i] * 255) / 255f;  // 8-bit
        }
      }
      case 1 -> {
        for (int i = 0; i < prob.length; i++) {
          prob[i] = Math.round(prob[i] * 40) / 40f + (random.nextFloat() - 0.5f) * 3e-4f;  // chains of near-ties
        }
      }
      case 2 -> {
        for (int i = 0; i < prob.length; i++) {
          prob[i] = random.nextFloat();  // noise: many passes, many splits and merges
        }
      }
      default -> { }
    }
    boolean sawIntransitive = false;
    for (double th : Thresholds.warping()) {
      assertEquals(WarpingReference.compute(em.truth, prob, width, height, th),
          WarpingError.compute(em.truth, prob, width, height, th), width + "x" + height + " at " + th);
      WarpingError.Mismatch[] keys = new WarpingError.Mismatch[prob.length];
      for (int i = 0; i < prob.length; i++) {
        keys[i] = new WarpingError.Mismatch(i, (float) Math.abs(prob[i] - th));
      }
      sawIntransitive |= !WarpingError.tiesAreTransitive(keys);
    }
    if (seed % 4 == 0) {
      assertFalse(sawIntransitive, "8-bit distances come in separated groups");
    } else if (seed % 4 == 1) {
      assertTrue(sawIntransitive, "the clustered map should exercise the re-sorting path");
    }
  }

  @Test
  void tieRuleIsDetectedAsIntransitive() {
    // 0.00000, 0.00006, 0.00012: neighbours tie (< 1e-4 apart) but the ends do not.
    WarpingError.Mismatch[] chain = {
        new WarpingError.Mismatch(0, 0f), new WarpingError.Mismatch(1, 0.00006f),
        new WarpingError.Mismatch(2, 0.00012f)};
    assertFalse(WarpingError.tiesAreTransitive(chain));
    WarpingError.Mismatch[] groups = {
        new WarpingError.Mismatch(0, 0f), new WarpingError.Mismatch(1, 0.00006f),
        new WarpingError.Mismatch(2, 0.5f), new WarpingError.Mismatch(3, 0.50005f)};
    assertTrue(WarpingError.tiesAreTransitive(groups));
    // Stable within a group, descending between groups.
    WarpingError.Mismatch[] order = WarpingError.passOrder(groups);
    assertEquals(List.of(2, 3, 0, 1), Arrays.stream(order).map(WarpingError.Mismatch::pixel).toList());
  }
}
