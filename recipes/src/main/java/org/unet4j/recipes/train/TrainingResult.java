package org.unet4j.recipes.train;

import org.jspecify.annotations.Nullable;
import org.unet4j.recipes.model.Checkpoint;

/**
 * How a run ended: its last checkpoint, the steps done in total and in this process, the last loss,
 * the seconds of this process, and why it stopped before {@code training.steps} (null when it did
 * not: a listener such as {@link EarlyStopping} ended it).
 */
public record TrainingResult(Checkpoint checkpoint, long steps, long stepsThisRun, double lastLoss, double seconds,
    @Nullable String stoppedEarly) {

  /** A run that went to its last step. */
  public TrainingResult(Checkpoint checkpoint, long steps, long stepsThisRun, double lastLoss, double seconds) {
    this(checkpoint, steps, stepsThisRun, lastLoss, seconds, null);
  }
}
