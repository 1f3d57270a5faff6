package org.unet4j.recipes.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.unet4j.labels.InstanceLabels;

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

  /**
   * Instances keep touching objects apart where a threshold cannot: truth T1 = x 0..2, T2 = x 3..5
   * (one row, touching, 3 px each). Predicted instances: A = x 0..2 and B = x 3..4 (IoU 1 and
   * 2/3): TP 2, F1 1. The same pixels as probabilities form one component of 5 px, IoU 5/6 with
   * T1 ∪ T2 but at most 3/5 with either: F1 at IoU 0.5 = 2*1 / (2 + 1) = 2/3 (one match: T1, whose
   * IoU with the merged object is 3/5 > 0.5, and T2's 2/6 is none). Foreground: 6 truth px, 5
   * predicted, 5 shared: IoU 5/6 both ways.
   */
  @Test
  void instancesAreScoredAsGivenWithoutAThreshold() {
    GroundTruth truth = GroundTruth.of(InstanceLabels.of(
        new int[] {1, 1, 1, 2, 2, 2}, 6, 1));
    GroundTruth predicted = GroundTruth.of(InstanceLabels.of(
        new int[] {1, 1, 1, 2, 2, 0}, 6, 1));
    ObjectScores instances = ObjectMetrics.computeInstances(List.of(truth), List.of(predicted));
    assertEquals(2, instances.predictedObjects());
    assertEquals(2, instances.matched());
    assertEquals(1.0, instances.objectF1(), 1e-15);
    assertEquals(5.0 / 6, instances.iou(), 1e-15);
    assertEquals(10.0 / 11, instances.dice(), 1e-15);
    assertEquals(Double.NaN, instances.threshold());
    // IoU 2/3 of B fails from 0.70 up: F1 = 2*1 / (2 + 2) = 0.5 there.
    assertEquals(List.of(1.0, 1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5), instances.objectF1Sweep());

    CellProbabilities merged = new CellProbabilities(6, 1, new float[] {1, 1, 1, 1, 1, 0});
    ObjectScores thresholded = ObjectMetrics.compute(List.of(truth), List.of(merged), 0.5);
    assertEquals(1, thresholded.predictedObjects());
    assertEquals(1, thresholded.matched());
    assertEquals(2.0 / 3, thresholded.objectF1(), 1e-15);
    assertEquals(5.0 / 6, thresholded.iou(), 1e-15);
  }

  @Test
  void instancesOfAnotherSizeAreRefused() {
    GroundTruth truth = GroundTruth.of(InstanceLabels.of(new int[] {1, 0}, 2, 1));
    GroundTruth wide = GroundTruth.of(InstanceLabels.of(new int[] {1, 0, 0}, 3, 1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ObjectMetrics.computeInstances(List.of(truth), List.of(wide)));
    assertEquals("page 1: truth 2x1, prediction 3x1", e.getMessage());
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
