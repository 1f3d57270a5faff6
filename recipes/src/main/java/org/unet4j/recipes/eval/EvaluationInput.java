package org.unet4j.recipes.eval;

/** Which input of a file evaluation a problem concerns, so that a caller can name its own option. */
public enum EvaluationInput {
  /** The ground truth file or folder. */
  TRUTH,
  /** The predictions file or folder. */
  PREDICTION,
  /** Where the object scores take the predicted objects from. */
  OBJECTS
}
