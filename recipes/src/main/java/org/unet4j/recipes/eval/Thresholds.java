package org.unet4j.recipes.eval;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;

/**
 * The thresholds at which the challenge binarises a probability map (a pixel is cell iff
 * {@code prob > th}, strictly), produced exactly as the official evaluation produces them:
 * {@code for (double th = lo; th <= hi; th += 0.1)}. Repeated addition of 0.1 drifts in doubles,
 * so the values are 0.0, 0.1, 0.2, 0.30000000000000004, 0.4, 0.5, 0.6, 0.7, 0.7999999999999999,
 * 0.8999999999999999 and 0.9999999999999999. The drift is kept on purpose: at the last threshold a
 * probability of exactly 1 is still cell, which it would not be at 1.0.
 */
public final class Thresholds {
  /** The step between thresholds. */
  public static final double STEP = 0.1;

  private static final ImmutableList<Double> ISBI = sweep(0.0, 1.0);
  private static final ImmutableList<Double> WARPING = sweep(0.0, 0.9);

  private Thresholds() {}

  /** 0.0..1.0, 11 values: pixel error, Rand error, V_rand and V_info. */
  public static ImmutableList<Double> isbi() {
    return ISBI;
  }

  /** 0.0..0.9, 10 values: the warping error. */
  public static ImmutableList<Double> warping() {
    return WARPING;
  }

  /** {@code for (double th = lo; th <= hi; th += 0.1)}, in doubles. */
  public static ImmutableList<Double> sweep(double lo, double hi) {
    checkArgument(Double.isFinite(lo) && Double.isFinite(hi) && lo <= hi,
        "thresholds run from lo to hi with lo <= hi, both finite; got %s..%s", lo, hi);
    ImmutableList.Builder<Double> thresholds = ImmutableList.builder();
    for (double th = lo; th <= hi; th += STEP) {
      thresholds.add(th);
    }
    return thresholds.build();
  }

  static double[] toArray(ImmutableList<Double> thresholds) {
    return thresholds.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
