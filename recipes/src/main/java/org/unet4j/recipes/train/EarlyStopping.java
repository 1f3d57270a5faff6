package org.unet4j.recipes.train;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Locale;

/**
 * Ends a run when a validation score has not improved for {@code patience} validations in a row
 * (by more than {@code minDelta}). Needs validation data and {@code training.validateEvery > 0}; the
 * run's checkpoint of the stopping step is written as at the end of a run.
 */
public final class EarlyStopping implements TrainingListener {
  private final ValidationMetric metric;
  private final int patience;
  private final double minDelta;
  private double best = Double.NaN;
  private long bestStep = -1;
  private int without;

  private EarlyStopping(ValidationMetric metric, int patience, double minDelta) {
    checkArgument(patience >= 1, "early stopping: patience is a number of validations >= 1, got %s", patience);
    checkArgument(minDelta >= 0 && Double.isFinite(minDelta),
        "early stopping: minDelta is a finite change >= 0, got %s", minDelta);
    this.metric = metric;
    this.patience = patience;
    this.minDelta = minDelta;
  }

  /** Stops after {@code patience} validations without a better {@code metric}. */
  public static EarlyStopping on(ValidationMetric metric, int patience) {
    return new EarlyStopping(metric, patience, 0);
  }

  /** As {@link #on}, counting only improvements larger than {@code minDelta}. */
  public static EarlyStopping on(ValidationMetric metric, int patience, double minDelta) {
    return new EarlyStopping(metric, patience, minDelta);
  }

  @Override
  public void onValidation(ValidationEvent event) {
    double value = event.scores().get(metric);
    if (metric.improves(value, best, minDelta)) {
      best = value;
      bestStep = event.step();
      without = 0;
      return;
    }
    without++;
    if (without >= patience) {
      event.stop(String.format(Locale.ROOT, "early stopping: validation %s has not improved for %d validations"
          + " (best %.5f after step %d)", metric.name().toLowerCase(Locale.ROOT), without, best, bestStep + 1));
    }
  }

  /**
   * Continues from a best value kept earlier ({@code value} after step {@code step}, 0-based), as a
   * resumed run does; the validations without improvement count from the resumption.
   */
  void startFrom(double value, long step) {
    best = value;
    bestStep = step;
  }

  /** The best value seen so far (NaN before the first validation). */
  public double best() {
    return best;
  }

  /** The step (0-based) of the best value, or -1. */
  public long bestStep() {
    return bestStep;
  }
}
