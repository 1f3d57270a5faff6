package org.unet4j.recipes.eval;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;

/**
 * Scores for instance segmentation at one probability threshold: foreground {@code iou} and
 * {@code dice} of the cell masks, and {@code objectF1} = 2TP / (2TP + FP + FN) where predicted
 * objects (4-connected components of prob &gt; threshold) match true instances one to one when
 * their IoU exceeds 0.5. {@code objectF1Sweep} holds F1 at IoU thresholds 0.50, 0.55, ..., 0.95
 * ({@link ObjectMetrics#IOU_THRESHOLDS}); {@code matched} counts the matches at 0.5. When the
 * predicted objects are given as instances ({@link ObjectMetrics#computeInstances}) the threshold
 * is NaN. IoU, Dice and F1 are 1 when there is nothing to find and nothing was found.
 *
 * <p>{@code apSweep} holds TP / (TP + FP + FN) at the same IoU thresholds (the 2018
 * Data Science Bowl's and StarDist's definition; 0 with no objects on either side, as StarDist
 * returns), {@link #ap} their mean. {@code seg} is the Cell Tracking Challenge's SEG
 * (see {@link ObjectMetrics}); NaN when there is no true object, since it is a mean over them.
 */
public record ObjectScores(double threshold, double iou, double dice, double objectF1,
    ImmutableList<Double> objectF1Sweep, ImmutableList<Double> apSweep, double seg, int truthObjects,
    int predictedObjects, int matched) {

  public ObjectScores {
    checkNotNull(objectF1Sweep, "objectF1Sweep");
    checkNotNull(apSweep, "apSweep");
    checkArgument(objectF1Sweep.size() == ObjectMetrics.IOU_THRESHOLDS.size(),
        "objectF1Sweep holds F1 at the %s IoU thresholds, got %s values", ObjectMetrics.IOU_THRESHOLDS.size(),
        objectF1Sweep.size());
    checkArgument(apSweep.size() == ObjectMetrics.IOU_THRESHOLDS.size(),
        "apSweep holds AP at the %s IoU thresholds, got %s values",
        ObjectMetrics.IOU_THRESHOLDS.size(), apSweep.size());
    checkArgument(Double.isNaN(seg) ? truthObjects == 0 : seg >= 0 && seg <= 1,
        "seg must be in [0, 1], NaN only without true objects; got %s with %s true objects", (Double) seg,
        truthObjects);
    checkArgument(matched >= 0 && matched <= truthObjects && matched <= predictedObjects,
        "matched objects (%s) cannot exceed the true (%s) or predicted (%s) ones", matched, truthObjects,
        predictedObjects);
  }

  /** The mean of the F1 sweep over IoU 0.50..0.95. */
  public double meanObjectF1() {
    return objectF1Sweep.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }

  /**
   * The mean of the AP sweep over IoU 0.50..0.95: the score of the 2018 Data Science Bowl, which
   * StarDist and other nuclei tools report.
   */
  public double ap() {
    return apSweep.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }
}
