package org.unet4j.recipes.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObjectMetricsTest {
  /**
   * Truth: T1 = x 0..3, y 0..1 and T2 = x 6..9, y 0..1 (8 px each). Prediction: P1 = 7 px of T1
   * (IoU 7/8), P2 = x 6..7 (4 px of T2, IoU exactly 0.5: no match, the rule is IoU &gt; 0.5) and a
   * false positive pixel P3 at (5, 3). TP 1, FP 2, FN 1: F1 = 2 / (2 + 2 + 1) = 0.4. Foreground:
   * 16 truth px, 12 predicted, 11 shared: IoU 11/17, Dice 22/28.
   */
  @Test
  void objectsMatchWhenTheirIouExceedsOneHalf() {
    AsciiMask truth = AsciiMask.of(
        "####..####",
        "####..####",
        "..........",
        "..........");
    AsciiMask predicted = AsciiMask.of(
        "####..##..",
        "###...##..",
        "..........",
        ".....#....");
    ObjectScores scores = ObjectMetrics.compute(List.of(truth.truth()), List.of(predicted.probabilities()), 0.5);
    assertEquals(2, scores.truthObjects());
    assertEquals(3, scores.predictedObjects());
    assertEquals(1, scores.matched());
    assertEquals(0.4, scores.objectF1(), 1e-15);
    assertEquals(11.0 / 17, scores.iou(), 1e-15);
    assertEquals(22.0 / 28, scores.dice(), 1e-15);
    // IoU 0.875 clears 0.50 .. 0.85 but not 0.90 and 0.95.
    List<Double> expected = new ArrayList<>(Collections.nCopies(8, 0.4));
    expected.addAll(List.of(0.0, 0.0));
    assertEquals(expected, scores.objectF1Sweep());
    assertEquals(0.32, scores.meanObjectF1(), 1e-15);
  }

  @Test
  void sweepThresholdsAreExactHundredths() {
    assertEquals(List.of(0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95), ObjectMetrics.IOU_THRESHOLDS);
  }

  @Test
  void nothingToFindAndNothingFoundIsPerfect() {
    AsciiMask empty = AsciiMask.of("...", "...");
    ObjectScores scores = ObjectMetrics.compute(List.of(empty.truth()), List.of(empty.probabilities()), 0.5);
    assertEquals(1, scores.iou());
    assertEquals(1, scores.dice());
    assertEquals(1, scores.objectF1());
  }

  @Test
  void stacksSumTheirCounts() {
    AsciiMask two = AsciiMask.of("#.#");
    AsciiMask none = AsciiMask.of("...");
    // Page 1 finds both objects; page 2 has none and predicts one: TP 2, FP 1, FN 0 -> F1 = 4/5.
    ObjectScores scores = ObjectMetrics.compute(List.of(two.truth(), none.truth()),
        List.of(two.probabilities(), AsciiMask.of("#..").probabilities()), 0.5);
    assertEquals(0.8, scores.objectF1(), 1e-15);
    assertEquals(2.0 / 3, scores.iou(), 1e-15);
  }
}
