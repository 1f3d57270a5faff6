package org.unet4j.recipes.train;

import org.unet4j.dsl.recipe.ConstantSchedule;
import org.unet4j.dsl.recipe.CosineSchedule;
import org.unet4j.dsl.recipe.StepSchedule;
import org.unet4j.dsl.recipe.TrainingSpec;

/** The learning rate of a step: linear warm-up, then the recipe's schedule. */
public final class LearningRate {
  private LearningRate() {}

  /** The rate used by step {@code step} (0-based) of {@code training}. */
  public static double at(TrainingSpec training, long step) {
    double base = training.learningRate();
    int warmup = training.warmupSteps();
    if (step < warmup) {
      return base * (step + 1) / warmup;
    }
    long since = step - warmup;
    if (training.schedule() instanceof StepSchedule s) {
      return base * Math.pow(s.factor(), Math.floorDiv(since, s.every()));
    }
    if (training.schedule() instanceof CosineSchedule c) {
      // From the base rate right after warm-up to minFactor x base at the last step.
      long span = Math.max(1, training.steps() - warmup - 1);
      double progress = Math.min(1.0, (double) since / span);
      return base * (c.minFactor() + (1 - c.minFactor()) * 0.5 * (1 + Math.cos(Math.PI * progress)));
    }
    if (training.schedule() instanceof ConstantSchedule) {
      return base;
    }
    throw new IllegalStateException("unknown schedule " + training.schedule());
  }
}
