package org.unet4j.recipes.train;

import java.util.Locale;
import org.unet4j.labels.ConnectedComponents;
import org.unet4j.labels.LabelOverlap;

/**
 * Scores of the validation tiles at one step: the mean loss of the batches, and the scores of the
 * foreground at probability 0.5 over every output pixel of weight above 0 (so a pixel the loss
 * ignores is not scored either). IoU and Dice are 1 when neither truth nor prediction has
 * foreground (nothing to find, nothing found).
 *
 * <p>The object scores take the true objects as the 4-connected components of the true foreground
 * in each tile (the training labels keep touching cells apart by the background borders between
 * them) and the predicted ones as those of probability &gt; 0.5; the tiles count as the slices of
 * one stack, so their counts add up, as {@code unet4j evaluate} sums a stack's. This is far cheaper
 * than post-processing whole validation images and ranks checkpoints the same way.
 *
 * @param loss the mean loss of the validation batches
 * @param iou foreground intersection over union, |T ∩ P| / |T ∪ P|
 * @param dice 2 |T ∩ P| / (|T| + |P|)
 * @param pixelError the fraction of scored pixels whose class is wrong
 * @param randError 1 - the foreground-restricted Rand F-score (the ISBI 2012 challenge's), 0 when
 *     no pair of true-object pixels is split or joined wrongly
 * @param seg the Cell Tracking Challenge's SEG of the objects; NaN without a true object
 * @param pixels the number of scored pixels
 */
public record ValidationScores(double loss, double iou, double dice, double pixelError, double randError,
    double seg, long pixels) {

  /** The threshold on the foreground probability that the scores use. */
  public static final double THRESHOLD = 0.5;

  /** The value of {@code metric} in these scores. */
  public double get(ValidationMetric metric) {
    return switch (metric) {
      case LOSS -> loss;
      case IOU -> iou;
      case DICE -> dice;
      case PIXEL_ERROR -> pixelError;
      case RAND_ERROR -> randError;
      case SEG -> seg;
    };
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "loss %.5f, iou %.4f, dice %.4f, pixel error %.4f, rand error %.4f, seg %.4f",
        loss, iou, dice, pixelError, randError, seg);
  }

  /** Adds up validation batches into scores. */
  static final class Accumulator {
    private double lossSum;
    private int batches;
    private long truePositives;
    private long falsePositives;
    private long falseNegatives;
    private long pixels;
    private double segSum;
    private long truthObjects;
    private long randTruthPairs;
    private long randPredictedPairs;
    private long randAgreeingPairs;

    /**
     * One batch of {@code tile x tile} output tiles: its loss, its labels and weights, and the
     * predicted foreground probabilities.
     */
    void add(double loss, int tile, int[] labels, float[] weights, float[] foreground) {
      lossSum += loss;
      batches++;
      addObjects(tile, labels, weights, foreground);
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

    private void addObjects(int tile, int[] labels, float[] weights, float[] foreground) {
      int area = tile * tile;
      boolean[] truth = new boolean[area];
      boolean[] predicted = new boolean[area];
      int[] truthLabels = new int[area];
      int[] predictedLabels = new int[area];
      for (int offset = 0; offset < labels.length; offset += area) {
        for (int i = 0; i < area; i++) {
          boolean scored = weights[offset + i] > 0;
          truth[i] = scored && labels[offset + i] > 0;
          predicted[i] = scored && foreground[offset + i] > THRESHOLD;
        }
        int t = ConnectedComponents.label(truth, tile, tile, truthLabels);
        int p = ConnectedComponents.label(predicted, tile, tile, predictedLabels);
        LabelOverlap overlap = LabelOverlap.of(truthLabels, t, predictedLabels, p);
        segSum += overlap.segSum();
        truthObjects += t;
        randTruthPairs += overlap.randTruthPairs();
        randPredictedPairs += overlap.randPredictedPairs();
        randAgreeingPairs += overlap.randAgreeingPairs();
      }
    }

    /** 1 - F of the Rand pair counts, precision and recall 1 where nothing was joined or split wrongly. */
    private double randError() {
      double precision = randAgreeingPairs == randPredictedPairs ? 1 : (double) randAgreeingPairs / randPredictedPairs;
      double recall = randAgreeingPairs == randTruthPairs ? 1 : (double) randAgreeingPairs / randTruthPairs;
      double sum = precision + recall;
      return 1 - (sum == 0 ? 0 : 2 * precision * recall / sum);
    }

    ValidationScores scores() {
      long union = truePositives + falsePositives + falseNegatives;
      double iou = union == 0 ? 1 : (double) truePositives / union;
      long sizes = 2 * truePositives + falsePositives + falseNegatives;
      double dice = sizes == 0 ? 1 : 2.0 * truePositives / sizes;
      double error = pixels == 0 ? 0 : (double) (falsePositives + falseNegatives) / pixels;
      return new ValidationScores(batches == 0 ? Double.NaN : lossSum / batches, iou, dice, error, randError(),
          truthObjects == 0 ? Double.NaN : segSum / truthObjects, pixels);
    }
  }
}
