package org.unet4j.recipes.eval;

/** Where the object scores (IoU, Dice, object F1) take the predicted objects from. */
public enum ObjectSource {
  /** The {@code NAME_labels} instances beside a prediction where present, else the threshold. */
  AUTO,
  /** The {@code NAME_labels} instances beside each prediction ({@code unet4j predict}'s post-processed objects). */
  LABELS,
  /** The 4-connected components of the probability above the threshold. */
  THRESHOLD
}
