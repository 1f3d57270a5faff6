package org.unet4j.labels;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Arrays;

/**
 * How two labellings of the same pixels overlap: a true labelling (0 background, 1..t objects)
 * and a predicted one (0 background, 1..p objects). Holds each object's area and the overlap of
 * every pair of objects that share a pixel, so scores that compare objects (IoU matching, the Cell
 * Tracking Challenge's SEG, the foreground-restricted Rand index) read it without another pass over
 * the pixels. O(N + K log K) for K pixels in both foregrounds. Immutable.
 */
public final class LabelOverlap {
  private final int truthObjects;
  private final int predictedObjects;
  private final long[] truthArea;
  private final long[] predictedArea;
  /** Pairs (truth, predicted), both above 0, in ascending order of truth, then predicted. */
  private final int[] pairTruth;
  private final int[] pairPredicted;
  private final long[] pairOverlap;
  /** Per true object, its pixels that are predicted background. */
  private final long[] missed;

  private LabelOverlap(int truthObjects, int predictedObjects, long[] truthArea, long[] predictedArea,
      int[] pairTruth, int[] pairPredicted, long[] pairOverlap, long[] missed) {
    this.truthObjects = truthObjects;
    this.predictedObjects = predictedObjects;
    this.truthArea = truthArea;
    this.predictedArea = predictedArea;
    this.pairTruth = pairTruth;
    this.pairPredicted = pairPredicted;
    this.pairOverlap = pairOverlap;
    this.missed = missed;
  }

  /**
   * The overlap of {@code truth} (values 0..truthObjects) and {@code predicted} (values
   * 0..predictedObjects), two row-major labellings of the same pixels.
   */
  public static LabelOverlap of(int[] truth, int truthObjects, int[] predicted, int predictedObjects) {
    checkNotNull(truth, "truth");
    checkNotNull(predicted, "predicted");
    checkArgument(truth.length == predicted.length, "the truth has %s pixels but the prediction %s", truth.length,
        predicted.length);
    long[] truthArea = new long[truthObjects + 1];
    long[] predictedArea = new long[predictedObjects + 1];
    long[] missed = new long[truthObjects + 1];
    long[] pairs = new long[truth.length];
    int pairCount = 0;
    for (int p = 0; p < truth.length; p++) {
      int t = truth[p];
      int o = predicted[p];
      checkArgument(t >= 0 && t <= truthObjects && o >= 0 && o <= predictedObjects,
          "pixel %s: labels %s and %s, expected 0..%s and 0..%s", p, t, o, truthObjects, predictedObjects);
      truthArea[t]++;
      predictedArea[o]++;
      if (t != 0 && o != 0) {
        pairs[pairCount++] = (long) t << 32 | o;
      } else if (t != 0) {
        missed[t]++;
      }
    }
    Arrays.sort(pairs, 0, pairCount);
    int distinct = 0;
    for (int i = 0; i < pairCount; i++) {
      if (i == 0 || pairs[i] != pairs[i - 1]) {
        distinct++;
      }
    }
    int[] pairTruth = new int[distinct];
    int[] pairPredicted = new int[distinct];
    long[] pairOverlap = new long[distinct];
    int k = -1;
    for (int i = 0; i < pairCount; i++) {
      if (i == 0 || pairs[i] != pairs[i - 1]) {
        k++;
        pairTruth[k] = (int) (pairs[i] >>> 32);
        pairPredicted[k] = (int) pairs[i];
      }
      pairOverlap[k]++;
    }
    return new LabelOverlap(truthObjects, predictedObjects, truthArea, predictedArea, pairTruth, pairPredicted,
        pairOverlap, missed);
  }

  public int truthObjects() {
    return truthObjects;
  }

  public int predictedObjects() {
    return predictedObjects;
  }

  /** Pixels of true objects (label above 0). */
  public long truthForeground() {
    return sumAboveZero(truthArea);
  }

  /** Pixels of predicted objects (label above 0). */
  public long predictedForeground() {
    return sumAboveZero(predictedArea);
  }

  /** Pixels in a true and a predicted object both. */
  public long sharedForeground() {
    return Arrays.stream(pairOverlap).sum();
  }

  /** How many pairs of a true and a predicted object share at least one pixel. */
  public int pairs() {
    return pairOverlap.length;
  }

  /** The true object of pair {@code k} (1..truthObjects). */
  public int pairTruth(int k) {
    return pairTruth[k];
  }

  /** The predicted object of pair {@code k} (1..predictedObjects). */
  public int pairPredicted(int k) {
    return pairPredicted[k];
  }

  /** The pixels that pair {@code k}'s objects share. */
  public long pairOverlap(int k) {
    return pairOverlap[k];
  }

  /** |T ∩ P| / |T ∪ P| of pair {@code k}. */
  public double pairIou(int k) {
    long overlap = pairOverlap[k];
    return (double) overlap / (truthArea[pairTruth[k]] + predictedArea[pairPredicted[k]] - overlap);
  }

  /**
   * The sum, over true objects R, of the Jaccard index |R ∩ S| / |R ∪ S| of the predicted object S
   * covering more than half of R (0 where none does), the Cell Tracking Challenge's SEG before its
   * mean over true objects. The condition is on R's area alone, so at most one S qualifies.
   */
  public double segSum() {
    double sum = 0;
    for (int k = 0; k < pairOverlap.length; k++) {
      if (2 * pairOverlap[k] > truthArea[pairTruth[k]]) {
        sum += pairIou(k);
      }
    }
    return sum;
  }

  /**
   * The pairs of true-object pixels that the truth puts together, ordered pairs with each pixel
   * paired with itself: the sum of the squared true-object areas.
   */
  public long randTruthPairs() {
    long sum = 0;
    for (int t = 1; t <= truthObjects; t++) {
      sum += truthArea[t] * truthArea[t];
    }
    return sum;
  }

  /**
   * The pairs of true-object pixels that the prediction puts together (the foreground-restricted
   * Rand index of the ISBI 2012 challenge): the squared areas of the predicted objects within the
   * true objects, plus one for each true-object pixel predicted as background, which is a segment
   * of its own.
   */
  public long randPredictedPairs() {
    long[] within = new long[predictedObjects + 1];
    for (int k = 0; k < pairOverlap.length; k++) {
      within[pairPredicted[k]] += pairOverlap[k];
    }
    long sum = 0;
    for (int o = 1; o <= predictedObjects; o++) {
      sum += within[o] * within[o];
    }
    return sum + sumAboveZero(missed);
  }

  /** The pairs of true-object pixels that both put together. */
  public long randAgreeingPairs() {
    long sum = 0;
    for (long overlap : pairOverlap) {
      sum += overlap * overlap;
    }
    return sum + sumAboveZero(missed);
  }

  private static long sumAboveZero(long[] counts) {
    long sum = 0;
    for (int i = 1; i < counts.length; i++) {
      sum += counts[i];
    }
    return sum;
  }
}
