package org.unet4j.recipes.eval;

/**
 * A metric at its best threshold: the lowest error or highest score over the thresholds, the
 * first threshold reaching it when several do. NaN (with a NaN threshold) when no threshold gave
 * a number.
 */
public record BestScore(double value, double threshold) {

  /** The lowest of {@code values} (NaN skipped), first one on ties. */
  static BestScore min(double[] values, double[] thresholds) {
    return best(values, thresholds, true);
  }

  /** The highest of {@code values} (NaN skipped), first one on ties. */
  static BestScore max(double[] values, double[] thresholds) {
    return best(values, thresholds, false);
  }

  private static BestScore best(double[] values, double[] thresholds, boolean lowest) {
    int best = -1;
    for (int i = 0; i < values.length; i++) {
      if (Double.isNaN(values[i])) {
        continue;
      }
      if (best < 0 || (lowest ? values[i] < values[best] : values[i] > values[best])) {
        best = i;
      }
    }
    return best < 0 ? new BestScore(Double.NaN, Double.NaN) : new BestScore(values[best], thresholds[best]);
  }

  /** The error 1 - value at the same threshold. */
  BestScore complement() {
    return new BestScore(1 - value, threshold);
  }
}
