package org.unet4j.dsl.recipe;

/**
 * Which class's probability a written probability map ({@code NAME_prob.tif}) holds. The net
 * predicts both; a challenge may score either: the ISBI 2012 EM challenge expects the membrane
 * (background) probability, 1 = membrane, where unet4j's labels call cells the foreground.
 */
public enum ProbabilityOf {
  /** The probability of foreground (cell): the overlays' and instance labels' class. */
  FOREGROUND,
  /** The probability of background (for ISBI 2012: membrane), one minus the foreground's. */
  BACKGROUND;

  /** This class's probabilities from the foreground's: the same array, or one minus each in a new one. */
  public float[] fromForeground(float[] foreground) {
    if (this == FOREGROUND) {
      return foreground;
    }
    float[] out = new float[foreground.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = 1 - foreground[i];
    }
    return out;
  }

  /** The foreground's probabilities from a map of this class's (one minus is its own inverse). */
  public float[] toForeground(float[] probabilities) {
    return fromForeground(probabilities);
  }
}
