package org.unet4j.recipes.train;

/** Called after every training step; for monitoring, or to stop a run from outside. */
@FunctionalInterface
public interface StepListener {
  /** Step {@code step} (0-based) finished with {@code loss}. */
  void afterStep(long step, double loss);
}
