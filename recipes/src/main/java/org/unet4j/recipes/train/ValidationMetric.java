package org.unet4j.recipes.train;

import java.util.Optional;
import org.unet4j.dsl.recipe.CheckpointSelection;

/** A score of the validation tiles that a run can watch (early stopping), and which way is better. */
public enum ValidationMetric {
  LOSS(false),
  IOU(true),
  DICE(true),
  PIXEL_ERROR(false),
  RAND_ERROR(false),
  SEG(true);

  private final boolean higherIsBetter;

  ValidationMetric(boolean higherIsBetter) {
    this.higherIsBetter = higherIsBetter;
  }

  public boolean higherIsBetter() {
    return higherIsBetter;
  }

  /** The metric a recipe's {@code training.selectBy} names; empty for the newest checkpoint. */
  public static Optional<ValidationMetric> of(CheckpointSelection selection) {
    return switch (selection) {
      case NEWEST -> Optional.empty();
      case LOSS -> Optional.of(LOSS);
      case IOU -> Optional.of(IOU);
      case DICE -> Optional.of(DICE);
      case PIXEL_ERROR -> Optional.of(PIXEL_ERROR);
      case RAND_ERROR -> Optional.of(RAND_ERROR);
      case SEG -> Optional.of(SEG);
    };
  }

  /** Whether {@code candidate} is better than {@code best} by more than {@code minDelta}. */
  public boolean improves(double candidate, double best, double minDelta) {
    if (Double.isNaN(best)) {
      return !Double.isNaN(candidate);
    }
    return higherIsBetter ? candidate > best + minDelta : candidate < best - minDelta;
  }
}
