package org.unet4j.recipes.model;

import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Locale;

/**
 * The checkpoint of a run with the best validation score so far ({@code training.selectBy}), kept
 * in {@code checkpoints/best-NNNNNNNNN} beside the newest ones and never pruned by them.
 *
 * @param metric the score's name as the recipe writes it, e.g. {@code iou}
 * @param score its value on the validation tiles after the checkpoint's step
 */
public record BestCheckpoint(Checkpoint checkpoint, String metric, double score) {

  public BestCheckpoint {
    checkNotNull(checkpoint, "checkpoint");
    checkNotNull(metric, "metric");
  }

  /** {@code step 300, validation iou 0.9120}. */
  public String describe() {
    return String.format(Locale.ROOT, "step %d, validation %s %.4f", checkpoint.step(), metric, score);
  }
}
