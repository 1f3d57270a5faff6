package org.unet4j.recipes.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ThresholdsTest {
  @Test
  void isbiThresholdsAreTheDriftingDoublesOfTheChallengeLoop() {
    assertEquals(List.of(0.0, 0.1, 0.2, 0.30000000000000004, 0.4, 0.5, 0.6, 0.7, 0.7999999999999999,
        0.8999999999999999, 0.9999999999999999), Thresholds.isbi());
  }

  @Test
  void warpingStopsAtPointNine() {
    assertEquals(List.of(0.0, 0.1, 0.2, 0.30000000000000004, 0.4, 0.5, 0.6, 0.7, 0.7999999999999999,
        0.8999999999999999), Thresholds.warping());
  }

  @Test
  void cellIsStrictlyAboveTheThreshold() {
    CellProbabilities p = new CellProbabilities(4, 1, new float[] {0.5f, 0.50000006f, 1f, 0.3f});
    boolean[] atHalf = p.cells(0.5);
    assertFalse(atHalf[0], "0.5 is not > 0.5");
    assertTrue(atHalf[1], "the next float above 0.5 is");
    // The drifted last threshold keeps a probability of exactly 1 a cell; 1.0 would not.
    assertTrue(p.cells(Thresholds.isbi().get(10))[2]);
    assertFalse(p.cells(1.0)[2]);
    // 0.3f is 0.30000001192092896 in double: above both 0.3 and 0.30000000000000004.
    assertTrue(p.cells(Thresholds.isbi().get(3))[3]);
  }

  @Test
  void sweepRefusesAnEmptyRange() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Thresholds.sweep(0.5, 0.2));
    assertEquals("thresholds run from lo to hi with lo <= hi, both finite; got 0.5..0.2", e.getMessage());
  }
}
