package org.unet4j.recipes.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.unet4j.labels.BorderThinning;

/**
 * Dam placement of the border-thinning watershed, derived by hand from the queue order: boundary
 * pixels next to a basin queue column by column (x outer, y inner); a pixel taken from the queue
 * looks left, up, right, down, takes the first basin it sees and becomes a dam (0) at a second one.
 */
class BorderThinningTest {
  private static int[] thin(AsciiMask mask) {
    return BorderThinning.thin(mask.cells(), mask.width(), mask.height());
  }

  @Test
  void oddGapGetsItsDamInTheMiddle() {
    // A at x 0, B at x 4; x 1 joins A, x 3 joins B, x 2 meets both.
    assertArrayEquals(new int[] {1, 1, 0, 2, 2}, thin(AsciiMask.of("#...#")));
  }

  @Test
  void evenGapGetsItsDamNextToTheLaterBasin() {
    // x 1 -> A and x 4 -> B first; then x 2 (queued by x 1) takes A, and x 3 meets A on its left,
    // then B on its right: the dam is at x 3, not x 2.
    int[] labels = thin(AsciiMask.of("#....#", "#....#", "#....#"));
    assertArrayEquals(new int[] {
        1, 1, 1, 0, 2, 2,
        1, 1, 1, 0, 2, 2,
        1, 1, 1, 0, 2, 2}, labels);
  }

  @Test
  void verticalGapTheSame() {
    int[] labels = thin(AsciiMask.of("##", "..", "..", "..", "..", "##"));
    assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1, 0, 0, 2, 2, 2, 2}, labels);
  }

  @Test
  void diagonalDamBetweenCorners() {
    // A at (0, 0), B at (4, 2). Queue: (0,1) (1,0) (3,2) (4,1); then (1,1) (0,2) (2,0) go to A,
    // (2,2) (3,1) (4,0) to B (when (2,2) is taken, (1,2) is queued but not yet labelled), and
    // (2,1) (1,2) (3,0) meet both.
    int[] labels = thin(AsciiMask.of("#....", ".....", "....#"));
    assertArrayEquals(new int[] {
        1, 1, 1, 0, 2,
        1, 1, 0, 2, 2,
        1, 0, 2, 2, 2}, labels);
  }

  @Test
  void withoutCellsOneBasinCoversTheImage() {
    assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1}, thin(AsciiMask.of("...", "...")));
  }

  @Test
  void allCellsIsOneBasinWithoutDams() {
    assertArrayEquals(new int[] {1, 1, 1, 1}, thin(AsciiMask.of("##", "##")));
  }

  @Test
  void everyBoundaryPixelButTheDamsJoinsABasin() {
    // Three cells in a wide boundary: only dams stay 0, and the basins keep their cells.
    AsciiMask mask = AsciiMask.of(
        "#.......",
        "........",
        "...##...",
        "........",
        ".......#");
    int[] labels = thin(mask);
    int dams = 0;
    for (int p = 0; p < labels.length; p++) {
      if (labels[p] == 0) {
        dams++;
      }
      if (mask.cells()[p]) {
        assertTrue(labels[p] > 0, "a cell pixel keeps its basin");
      }
    }
    assertTrue(dams > 0 && dams < labels.length / 2, "dams: " + dams);
    assertEquals(3, Arrays.stream(labels).max().getAsInt());
  }
}
