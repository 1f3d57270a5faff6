package org.unet4j.recipes.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.unet4j.labels.InstanceLabels;

/** The Cell Tracking Challenge's SEG and the Data Science Bowl's average precision. */
class SegAndAveragePrecisionTest {

  private static GroundTruth instances(int width, int... labels) {
    return GroundTruth.of(InstanceLabels.of(labels, width, labels.length / width));
  }

  /**
   * One row of 12 pixels. Truth: R1 = x 0..3 (4 px), R2 = x 4..7 (4 px), R3 = x 8..11 (4 px).
   * Prediction: S1 = x 0..2 (3 of R1, IoU 3/4), S2 = x 4..5 (2 of R2: exactly half, not more),
   * S3 = x 6..11 (R2's other half and all of R3: IoU with R3 4/6), and no S4.
   * SEG: R1 -> S1 (3 > 2) J 3/4; R2 -> none (S2 and S3 each cover 2 = half) 0; R3 -> S3 (4 > 2)
   * J 4/6. SEG = (3/4 + 0 + 2/3) / 3 = 17/36.
   * AP: IoUs above 0.5 are S1-R1 0.75 and S3-R3 0.667. At t = 0.50..0.65 TP 2, FP 1, FN 1: 2/4;
   * at 0.70 (0.667 fails) TP 1: 1/(1 + 2 + 2) = 1/5, the same up to 0.70; 0.75 fails too (IoU 0.75
   * is not above 0.75): 0 from 0.75 up. Mean: (4 * 0.5 + 0.2 + 5 * 0) / 10 = 0.22.
   */
  @Test
  void handComputedRow() {
    GroundTruth truth = instances(12, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3);
    GroundTruth predicted = instances(12, 1, 1, 1, 0, 2, 2, 3, 3, 3, 3, 3, 3);
    ObjectScores scores = ObjectMetrics.computeInstances(List.of(truth), List.of(predicted));
    assertEquals(17.0 / 36, scores.seg(), 1e-15);
    assertEquals(List.of(0.5, 0.5, 0.5, 0.5, 0.2, 0.0, 0.0, 0.0, 0.0, 0.0), scores.apSweep());
    assertEquals(0.22, scores.ap(), 1e-15);
  }

  /**
   * A merge is credited by SEG but not by AP: truth two 2x2 squares side by side with a gap, the
   * prediction one 2x5 bar covering both and the gap (10 px). Each square is all inside the bar:
   * SEG match with J = 4/10, SEG 0.4; its IoU 0.4 is no AP match: AP 0 / (0 + 1 + 2) = 0.
   */
  @Test
  void aMergeKeepsSomeSegButNoAveragePrecision() {
    GroundTruth truth = instances(5,
        1, 1, 0, 2, 2,
        1, 1, 0, 2, 2);
    GroundTruth merged = instances(5,
        1, 1, 1, 1, 1,
        1, 1, 1, 1, 1);
    ObjectScores scores = ObjectMetrics.computeInstances(List.of(truth), List.of(merged));
    assertEquals(0.4, scores.seg(), 1e-15);
    assertEquals(0, scores.ap());
  }

  /**
   * The empty cases: without true objects SEG (a mean over them) is undefined, NaN, and left out
   * of a mean of images; AP with no object on either side is 0, StarDist's value (its safe
   * division), and with predictions but no truth 0 / FP = 0.
   */
  @Test
  void emptyCases() {
    GroundTruth none = instances(3, 0, 0, 0);
    GroundTruth one = instances(3, 0, 1, 0);
    ObjectScores nothing = ObjectMetrics.computeInstances(List.of(none), List.of(none));
    assertTrue(Double.isNaN(nothing.seg()));
    assertEquals(0, nothing.ap());
    ObjectScores falseOnly = ObjectMetrics.computeInstances(List.of(none), List.of(one));
    assertTrue(Double.isNaN(falseOnly.seg()));
    assertEquals(0, falseOnly.ap());
    ObjectScores missed = ObjectMetrics.computeInstances(List.of(one), List.of(none));
    assertEquals(0, missed.seg());
    assertEquals(0, missed.ap());
    ObjectScores found = ObjectMetrics.computeInstances(List.of(one), List.of(one));
    assertEquals(1, found.seg());
    assertEquals(1, found.ap());
  }

  /** A stack pools its true objects: page 1 one object found exactly, page 2 two missed: SEG 1/3. */
  @Test
  void stacksPoolTheirTrueObjects() {
    ObjectScores scores = ObjectMetrics.computeInstances(
        List.of(instances(3, 1, 0, 0), instances(3, 1, 0, 2)),
        List.of(instances(3, 1, 0, 0), instances(3, 0, 0, 0)));
    assertEquals(1.0 / 3, scores.seg(), 1e-15);
    // TP 1, FP 0, FN 2 at every threshold.
    assertEquals(1.0 / 3, scores.ap(), 1e-15);
  }

  /** Random instance images against a reference that tries every pair and every matching. */
  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
  void agreeWithABruteForceReference(int seed) {
    Random random = new Random(seed);
    int width = 5 + seed % 3;
    int height = 3 + seed % 2;
    GroundTruth truth = GroundTruth.of(InstanceLabels.of(blobs(random, width, height), width, height));
    GroundTruth predicted = GroundTruth.of(InstanceLabels.of(blobs(random, width, height), width, height));
    ObjectScores scores = ObjectMetrics.computeInstances(List.of(truth), List.of(predicted));
    double[][] overlap = overlaps(truth, predicted);
    int t = truth.instanceCount();
    int p = predicted.instanceCount();
    double[] truthArea = new double[t + 1];
    double[] predictedArea = new double[p + 1];
    for (int i = 0; i <= t; i++) {
      for (int j = 0; j <= p; j++) {
        truthArea[i] += overlap[i][j];
        predictedArea[j] += overlap[i][j];
      }
    }
    double[][] iou = new double[t + 1][p + 1];
    double segSum = 0;
    for (int i = 1; i <= t; i++) {
      double best = 0;
      for (int j = 1; j <= p; j++) {
        iou[i][j] = overlap[i][j] / (truthArea[i] + predictedArea[j] - overlap[i][j]);
        if (overlap[i][j] > truthArea[i] / 2) {
          best = iou[i][j];
        }
      }
      segSum += best;
    }
    assertEquals(t == 0 ? Double.NaN : segSum / t, scores.seg(), 1e-12, "SEG");
    for (int k = 0; k < ObjectMetrics.IOU_THRESHOLDS.size(); k++) {
      int tp = maximumMatching(iou, ObjectMetrics.IOU_THRESHOLDS.get(k), 1, new boolean[p + 1]);
      double expected = t + p == 0 ? 0 : (double) tp / (tp + (p - tp) + (t - tp));
      assertEquals(expected, scores.apSweep().get(k), 1e-12, "AP at " + ObjectMetrics.IOU_THRESHOLDS.get(k));
    }
  }

  /** Up to 4 instances painted as random rectangles, later ones over earlier ones. */
  private static int[] blobs(Random random, int width, int height) {
    int[] labels = new int[width * height];
    int count = random.nextInt(5);
    for (int n = 1; n <= count; n++) {
      int x0 = random.nextInt(width);
      int y0 = random.nextInt(height);
      int x1 = x0 + random.nextInt(width - x0);
      int y1 = y0 + random.nextInt(height - y0);
      for (int y = y0; y <= y1; y++) {
        for (int x = x0; x <= x1; x++) {
          labels[y * width + x] = n;
        }
      }
    }
    return labels;
  }

  private static double[][] overlaps(GroundTruth truth, GroundTruth predicted) {
    double[][] overlap = new double[truth.instanceCount() + 1][predicted.instanceCount() + 1];
    int[] a = truth.instanceArray();
    int[] b = predicted.instanceArray();
    for (int i = 0; i < a.length; i++) {
      overlap[a[i]][b[i]]++;
    }
    return overlap;
  }

  /** The largest one-to-one matching of true objects row.. to free predicted ones with IoU > t. */
  private static int maximumMatching(double[][] iou, double t, int row, boolean[] used) {
    if (row >= iou.length) {
      return 0;
    }
    int best = maximumMatching(iou, t, row + 1, used);
    for (int j = 1; j < used.length; j++) {
      if (!used[j] && iou[row][j] > t) {
        used[j] = true;
        best = Math.max(best, 1 + maximumMatching(iou, t, row + 1, used));
        used[j] = false;
      }
    }
    return best;
  }
}
