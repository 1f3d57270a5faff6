package org.unet4j.recipes.eval;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The ten headline numbers of an evaluation, named as in its JSON: the ISBI metrics (each at its
 * own best threshold) and the object scores ({@code ap}, average precision, is the mean over IoU
 * 0.50..0.95, {@code seg} the Cell Tracking Challenge's measure). NaN where a metric is undefined.
 */
public record Scores(double pixelError, double randError, double warpingError, double vRand, double vInfo,
    double iou, double dice, double objectF1, double ap, double seg) {

  /** The mean of each number over {@code scores}, leaving out NaN (NaN when all are). */
  public static Scores mean(List<Scores> scores) {
    checkNotNull(scores, "scores");
    checkArgument(!scores.isEmpty(), "the mean of no scores");
    return new Scores(mean(scores, Scores::pixelError), mean(scores, Scores::randError),
        mean(scores, Scores::warpingError), mean(scores, Scores::vRand), mean(scores, Scores::vInfo),
        mean(scores, Scores::iou), mean(scores, Scores::dice), mean(scores, Scores::objectF1),
        mean(scores, Scores::ap), mean(scores, Scores::seg));
  }

  private static double mean(List<Scores> scores, ToDoubleFunction<Scores> metric) {
    return scores.stream().mapToDouble(metric).filter(v -> !Double.isNaN(v)).average().orElse(Double.NaN);
  }
}
