package org.unet4j.recipes.eval;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.util.List;
import org.unet4j.labels.ConnectedComponents;
import org.unet4j.labels.LabelOverlap;

/**
 * Object-level scores for instance segmentation ({@link ObjectScores}), as used for nuclei and
 * cells. The predicted objects are the 4-connected components of prob &gt; threshold
 * ({@link #compute}) or given instances ({@link #computeInstances}); the true ones are the ground
 * truth's instances. A pair matches when its IoU exceeds the IoU threshold; from 0.5 up a true
 * object can match at most one predicted object and the other way round (two disjoint objects
 * cannot each cover more than half of a third), so the matching is one to one without an
 * assignment step, and the greedy count of matches is the maximum one that object F1 and the
 * average precision need. A stack sums its counts over the slices. O(N + K log K) for K
 * overlapping pixels.
 *
 * <p>The same pairs give the Cell Tracking Challenge's SEG measure: a true object R and a predicted
 * object S match when |R ∩ S| &gt; |R| / 2 (a condition on R's area alone, so at most one S per R),
 * and SEG is the mean over the true objects of |R ∩ S| / |R ∪ S| for the match, 0 for none. A
 * stack pools its true objects over the slices, as the challenge pools a sequence's frames.
 */
public final class ObjectMetrics {
  /** The IoU thresholds of the F1 sweep: 0.50, 0.55, ..., 0.95. */
  public static final ImmutableList<Double> IOU_THRESHOLDS = iouThresholds();

  /** The default probability threshold. */
  public static final double DEFAULT_THRESHOLD = 0.5;

  private ObjectMetrics() {}

  /** Scores of one image or stack at probability {@code threshold}. */
  public static ObjectScores compute(List<GroundTruth> truth, List<CellProbabilities> pred, double threshold) {
    checkNotNull(truth, "truth");
    checkNotNull(pred, "pred");
    checkArgument(truth.size() == pred.size() && !truth.isEmpty(), "%s truth page(s) but %s predicted page(s)",
        truth.size(), pred.size());
    Counts sum = new Counts();
    for (int i = 0; i < truth.size(); i++) {
      GroundTruth t = truth.get(i);
      CellProbabilities p = pred.get(i);
      checkArgument(t.width() == p.width() && t.height() == p.height(), "page %s: truth %sx%s, prediction %sx%s",
          i + 1, t.width(), t.height(), p.width(), p.height());
      boolean[] predicted = p.cells(threshold);
      int[] objects = new int[predicted.length];
      int objectCount = ConnectedComponents.label(predicted, t.width(), t.height(), objects);
      sum.add(t.instanceArray(), t.instanceCount(), objects, objectCount);
    }
    return scores(threshold, sum);
  }

  /**
   * Scores of predicted instances, such as the {@code NAME_labels.tif} that {@code unet4j predict}
   * writes after its post-processing (threshold, hole filling, minimum object size, separation):
   * each page's instances are the predicted objects as they are, and the foreground is every
   * labelled pixel. The scores' {@code threshold} is NaN, since no threshold is applied here.
   */
  public static ObjectScores computeInstances(List<GroundTruth> truth, List<GroundTruth> predicted) {
    checkNotNull(truth, "truth");
    checkNotNull(predicted, "predicted");
    checkArgument(truth.size() == predicted.size() && !truth.isEmpty(), "%s truth page(s) but %s predicted page(s)",
        truth.size(), predicted.size());
    Counts sum = new Counts();
    for (int i = 0; i < truth.size(); i++) {
      GroundTruth t = truth.get(i);
      GroundTruth p = predicted.get(i);
      checkArgument(t.width() == p.width() && t.height() == p.height(), "page %s: truth %sx%s, prediction %sx%s",
          i + 1, t.width(), t.height(), p.width(), p.height());
      sum.add(t.instanceArray(), t.instanceCount(), p.instanceArray(), p.instanceCount());
    }
    return scores(Double.NaN, sum);
  }

  /**
   * Scores of one labelling against another as a whole (a volume's objects, 6-connected), at the
   * probability {@code threshold} that made the prediction (NaN for given instances).
   */
  static ObjectScores compare(int[] truth, int truthObjects, int[] predicted, int predictedObjects,
      double threshold) {
    Counts counts = new Counts();
    counts.add(truth, truthObjects, predicted, predictedObjects);
    return scores(threshold, counts);
  }

  private static ObjectScores scores(double threshold, Counts sum) {
    ImmutableList.Builder<Double> sweep = ImmutableList.builder();
    for (int k = 0; k < IOU_THRESHOLDS.size(); k++) {
      sweep.add(f1(sum.matched[k], sum.truthObjects, sum.predictedObjects));
    }
    long union = sum.truthPixels + sum.predictedPixels - sum.intersection;
    double iou = union == 0 ? 1 : (double) sum.intersection / union;
    long both = sum.truthPixels + sum.predictedPixels;
    double dice = both == 0 ? 1 : 2.0 * sum.intersection / both;
    ImmutableList.Builder<Double> precision = ImmutableList.builder();
    for (int k = 0; k < IOU_THRESHOLDS.size(); k++) {
      precision.add(averagePrecision(sum.matched[k], sum.truthObjects, sum.predictedObjects));
    }
    double seg = sum.truthObjects == 0 ? Double.NaN : sum.segJaccard / sum.truthObjects;
    return new ObjectScores(threshold, iou, dice, f1(sum.matched[0], sum.truthObjects, sum.predictedObjects),
        sweep.build(), precision.build(), seg, sum.truthObjects, sum.predictedObjects, sum.matched[0]);
  }

  /**
   * TP / (TP + FP + FN), the "average precision" of the 2018 Data Science Bowl and StarDist's
   * {@code accuracy}; 0 when there are no objects on either side, as StarDist's safe division
   * returns, so an empty image neither helps nor is left out of a mean.
   */
  static double averagePrecision(int matched, int truthObjects, int predictedObjects) {
    int denominator = truthObjects + predictedObjects - matched;
    return denominator == 0 ? 0 : (double) matched / denominator;
  }

  /** 2TP / (2TP + FP + FN); 1 when there are no objects on either side. */
  static double f1(int matched, int truthObjects, int predictedObjects) {
    int denominator = truthObjects + predictedObjects;
    return denominator == 0 ? 1 : 2.0 * matched / denominator;
  }

  private static ImmutableList<Double> iouThresholds() {
    ImmutableList.Builder<Double> thresholds = ImmutableList.builder();
    for (int percent = 50; percent <= 95; percent += 5) {
      thresholds.add(percent / 100.0);
    }
    return thresholds.build();
  }

  /** Summed counts of the pages. */
  private static final class Counts {
    long truthPixels;
    long predictedPixels;
    long intersection;
    int truthObjects;
    int predictedObjects;
    /** The sum over true objects of the Jaccard index with their SEG match (0 without one). */
    double segJaccard;
    final int[] matched = new int[IOU_THRESHOLDS.size()];

    /**
     * Adds one page: {@code truth} and {@code objects} hold the true and predicted object of every
     * pixel, 0 or 1..truthCount and 1..objectCount.
     */
    void add(int[] truth, int truthCount, int[] objects, int objectCount) {
      LabelOverlap overlap = LabelOverlap.of(truth, truthCount, objects, objectCount);
      truthPixels += overlap.truthForeground();
      predictedPixels += overlap.predictedForeground();
      intersection += overlap.sharedForeground();
      truthObjects += overlap.truthObjects();
      predictedObjects += overlap.predictedObjects();
      segJaccard += overlap.segSum();
      for (int pair = 0; pair < overlap.pairs(); pair++) {
        double iou = overlap.pairIou(pair);
        for (int k = 0; k < matched.length; k++) {
          if (iou > IOU_THRESHOLDS.get(k)) {
            matched[k]++;
          }
        }
      }
    }
  }
}
