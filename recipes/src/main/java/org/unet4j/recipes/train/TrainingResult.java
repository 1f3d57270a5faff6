package org.unet4j.recipes.train;

/** How a run ended: its last checkpoint, the steps done in total and in this process, the last loss. */
public record TrainingResult(Checkpoint checkpoint, long steps, long stepsThisRun, double lastLoss, double seconds) {}
