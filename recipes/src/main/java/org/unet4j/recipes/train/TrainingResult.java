package org.unet4j.recipes.train;

import org.jspecify.annotations.Nullable;
import org.unet4j.recipes.model.BestCheckpoint;
import org.unet4j.recipes.model.Checkpoint;

/**
 * How a run ended: its last checkpoint, the steps done in total and in this process, the last loss,
 * the seconds of this process, and why it stopped before {@code training.steps} (null when it did
 * not: a listener such as {@link EarlyStopping} ended it), and the best checkpoint by
 * {@code training.selectBy} (null when the recipe selects the newest, or no validation has scored).
 */
public record TrainingResult(Checkpoint checkpoint, long steps, long stepsThisRun, double lastLoss, double seconds,
    @Nullable String stoppedEarly, @Nullable BestCheckpoint best) {}
