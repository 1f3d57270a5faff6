package org.unet4j.recipes.train;

/** A score of the validation tiles that a run can watch (early stopping), and which way is better. */
public enum ValidationMetric {
  LOSS(false),
  IOU(true),
  DICE(true),
  PIXEL_ERROR(false);

  private final boolean higherIsBetter;

  ValidationMetric(boolean higherIsBetter) {
    this.higherIsBetter = higherIsBetter;
  }

  public boolean higherIsBetter() {
    return higherIsBetter;
  }

  /** Whether {@code candidate} is better than {@code best} by more than {@code minDelta}. */
  public boolean improves(double candidate, double best, double minDelta) {
    if (Double.isNaN(best)) {
      return !Double.isNaN(candidate);
    }
    return higherIsBetter ? candidate > best + minDelta : candidate < best - minDelta;
  }
}
