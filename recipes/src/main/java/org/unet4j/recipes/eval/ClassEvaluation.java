package org.unet4j.recipes.eval;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.util.List;

/**
 * The per-class scores of one image or stack scored against index labels ({@link ClassMetrics}):
 * one {@link ClassScores} for every class 0..K-1 and their means over the foreground classes
 * 1..K-1 (NaN skipped; NaN when all are).
 *
 * @param ignoreLabel the truth value whose pixels every score leaves out, or negative for none
 * @param ignoredPixels how many pixels carried it
 * @param classes the scores of classes 0..K-1, in order
 */
public record ClassEvaluation(int ignoreLabel, long ignoredPixels, ImmutableList<ClassScores> classes) {

  public ClassEvaluation {
    checkNotNull(classes, "classes");
    checkArgument(ignoredPixels >= 0 && (ignoreLabel >= 0 || ignoredPixels == 0),
        "%s ignored pixels with ignore label %s", ignoredPixels, ignoreLabel);
    for (int k = 0; k < classes.size(); k++) {
      checkArgument(classes.get(k).label() == k, "class %s at position %s", classes.get(k).label(), k);
    }
  }

  /** The mean IoU of the foreground classes 1..K-1. */
  public double meanIou() {
    return ClassScores.mean(foreground(), ClassScores::iou);
  }

  /** The mean Dice of the foreground classes 1..K-1. */
  public double meanDice() {
    return ClassScores.mean(foreground(), ClassScores::dice);
  }

  /** The mean object F1 of the foreground classes 1..K-1. */
  public double meanObjectF1() {
    return ClassScores.mean(foreground(), ClassScores::objectF1);
  }

  private List<ClassScores> foreground() {
    return classes.subList(Math.min(1, classes.size()), classes.size());
  }
}
