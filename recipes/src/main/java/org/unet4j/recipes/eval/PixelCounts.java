package org.unet4j.recipes.eval;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * Pixel counts of the cell class at one threshold: {@code tp} truth cell and predicted cell,
 * {@code fp} truth membrane and predicted cell, {@code fn} truth cell and predicted membrane.
 * The challenge's pixel error is 1 minus the best F-score of these over the thresholds, not the
 * fraction of disagreeing pixels. Counts of a stack are the sums over its slices.
 */
public record PixelCounts(long tp, long fp, long fn) {
  public static final PixelCounts ZERO = new PixelCounts(0, 0, 0);

  public PixelCounts {
    checkArgument(tp >= 0 && fp >= 0 && fn >= 0, "pixel counts are >= 0, got tp %s, fp %s, fn %s", tp, fp, fn);
  }

  /** Counts a cell mask against the truth's. */
  static PixelCounts of(boolean[] truth, boolean[] predicted) {
    long tp = 0;
    long fp = 0;
    long fn = 0;
    for (int i = 0; i < truth.length; i++) {
      if (predicted[i]) {
        if (truth[i]) {
          tp++;
        } else {
          fp++;
        }
      } else if (truth[i]) {
        fn++;
      }
    }
    return new PixelCounts(tp, fp, fn);
  }

  /** tp / (tp + fp); 1 when fp = 0. */
  public double precision() {
    return fp == 0 ? 1 : (double) tp / (tp + fp);
  }

  /** tp / (tp + fn); 1 when fn = 0. */
  public double recall() {
    return fn == 0 ? 1 : (double) tp / (tp + fn);
  }

  /** 2PR / (P + R); 0 when P + R = 0. */
  public double fScore() {
    return FScore.of(precision(), recall());
  }

  public PixelCounts plus(PixelCounts other) {
    return new PixelCounts(tp + other.tp, fp + other.fp, fn + other.fn);
  }
}
