package org.unet4j.dsl.recipe;

/** The class-frequency term w_c of the paper's weight map (eq. 2). */
public enum ClassBalance {
  /** Each class weighted by the inverse of its pixel frequency in the image. */
  INVERSE_FREQUENCY,
  /**
   * Each class weighted by the inverse of its pixel frequency over the whole training set, counted
   * once before training, as the paper describes.
   */
  DATASET_FREQUENCY,
  /** w_c = 1 for every class. */
  NONE,
  /** The weights listed in {@code classWeights}, one per class. */
  GIVEN
}
