package org.unet4j.recipes.train;

import java.util.function.Consumer;

/**
 * The scores of the validation tiles after step {@link #step} (0-based). {@link #stop} ends the run
 * after this step, with a checkpoint of it.
 */
public final class ValidationEvent {
  private final long step;
  private final ValidationScores scores;
  private final Consumer<String> stopper;

  ValidationEvent(long step, ValidationScores scores, Consumer<String> stopper) {
    this.step = step;
    this.scores = scores;
    this.stopper = stopper;
  }

  public long step() {
    return step;
  }

  public ValidationScores scores() {
    return scores;
  }

  /** Ends the run after this step; {@code reason} is logged and returned in the result. */
  public void stop(String reason) {
    stopper.accept(reason);
  }

  @Override
  public String toString() {
    return "ValidationEvent[step " + step + ", " + scores + "]";
  }
}
