package org.unet4j.dsl.recipe;

/**
 * Which checkpoint of a run a model is read from: the newest, or the best by a score of the
 * validation tiles (which needs {@code data.validationFraction} above 0 and
 * {@code training.validateEvery} above 0). The best is kept beside the newest ones, in
 * {@code checkpoints/best}.
 */
public enum CheckpointSelection {
  /** The newest checkpoint, as before a run could keep its best one. */
  NEWEST,
  /** The lowest validation loss. */
  LOSS,
  /** The highest foreground IoU at probability 0.5. */
  IOU,
  /** The highest foreground Dice at probability 0.5. */
  DICE,
  /** The lowest fraction of wrongly classified pixels. */
  PIXEL_ERROR,
  /** The lowest foreground-restricted Rand error (the ISBI 2012 challenge's) at probability 0.5. */
  RAND_ERROR,
  /** The highest SEG (the Cell Tracking Challenge's) at probability 0.5. */
  SEG
}
