package org.unet4j.recipes.train;

import java.util.Locale;

/**
 * Scores of the validation tiles at one step: the mean loss of the batches, and the pixel scores of
 * the foreground at probability 0.5 over every output pixel of weight above 0 (so a pixel the loss
 * ignores is not scored either). IoU and Dice are 1 when neither truth nor prediction has
 * foreground (nothing to find, nothing found).
 *
 * @param loss the mean loss of the validation batches
 * @param iou foreground intersection over union, |T ∩ P| / |T ∪ P|
 * @param dice 2 |T ∩ P| / (|T| + |P|)
 * @param pixelError the fraction of scored pixels whose class is wrong
 * @param pixels the number of scored pixels
 */
public record ValidationScores(double loss, double iou, double dice, double pixelError, long pixels) {

  /** The threshold on the foreground probability that the scores use. */
  public static final double THRESHOLD = 0.5;

  /** The value of {@code metric} in these scores. */
  public double get(ValidationMetric metric) {
    return switch (metric) {
      case LOSS -> loss;
      case IOU -> iou;
      case DICE -> dice;
      case PIXEL_ERROR -> pixelError;
    };
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "loss %.5f, iou %.4f, dice %.4f, pixel error %.4f", loss, iou, dice,
        pixelError);
  }

  /** Adds up validation batches into scores. */
  static final class Accumulator {
    private double lossSum;
    private int batches;
    private long truePositives;
    private long falsePositives;
    private long falseNegatives;
    private long pixels;

    /** One batch: its loss, its labels and weights, and the predicted foreground probabilities. */
    void add(double loss, int[] labels, float[] weights, float[] foreground) {
      lossSum += loss;
      batches++;
      for (int i = 0; i < labels.length; i++) {
        if (!(weights[i] > 0)) {
          continue;
        }
        boolean truth = labels[i] > 0;
        boolean predicted = foreground[i] > THRESHOLD;
        pixels++;
        if (truth && predicted) {
          truePositives++;
        } else if (predicted) {
          falsePositives++;
        } else if (truth) {
          falseNegatives++;
        }
      }
    }

    ValidationScores scores() {
      long union = truePositives + falsePositives + falseNegatives;
      double iou = union == 0 ? 1 : (double) truePositives / union;
      long sizes = 2 * truePositives + falsePositives + falseNegatives;
      double dice = sizes == 0 ? 1 : 2.0 * truePositives / sizes;
      double error = pixels == 0 ? 0 : (double) (falsePositives + falseNegatives) / pixels;
      return new ValidationScores(batches == 0 ? Double.NaN : lossSum / batches, iou, dice, error, pixels);
    }
  }
}
