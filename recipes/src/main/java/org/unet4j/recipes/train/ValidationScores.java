package org.unet4j.recipes.train;

import java.util.Locale;
import org.unet4j.dsl.model.Size3;
import org.unet4j.labels.ConnectedComponents3d;
import org.unet4j.labels.LabelOverlap;

/**
 * Scores of the validation tiles at one step: the mean loss of the batches, and the scores of the
 * predicted classes (the most probable one; for one sigmoid channel, foreground at probability 0.5)
 * over every output pixel of weight above 0 (so a pixel the loss ignores, an ignored label's
 * included, is not scored either). IoU and Dice are the means over the foreground classes
 * 1..K-1 of each class's score, leaving out a class that neither truth nor prediction has; 1 when
 * no class is left (nothing to find, nothing found). With two classes they are the foreground's.
 *
 * <p>The object scores take the true objects as the 4-connected components of the true foreground
 * (every class but 0) in each tile, 6-connected in each block of a 3D net, so that an object
 * through several planes is one (the training labels keep touching cells apart by the background
 * borders between them) and the predicted ones as those of probability &gt; 0.5; the tiles count as the slices of
 * one stack, so their counts add up, as {@code unet4j evaluate} sums a stack's. This is far cheaper
 * than post-processing whole validation images and ranks checkpoints the same way.
 *
 * @param loss the mean loss of the validation batches
 * @param iou mean over the foreground classes of the intersection over union, |T ∩ P| / |T ∪ P|
 * @param dice mean over the foreground classes of 2 |T ∩ P| / (|T| + |P|)
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
    private final int classes;
    private final long[] truePositives;
    private final long[] falsePositives;
    private final long[] falseNegatives;
    private double lossSum;
    private int batches;
    private long wrong;
    private long pixels;
    private double segSum;
    private long truthObjects;
    private long randTruthPairs;
    private long randPredictedPairs;
    private long randAgreeingPairs;

    /** Scores of a model of {@code classes} classes (2 for one sigmoid channel). */
    Accumulator(int classes) {
      this.classes = classes;
      this.truePositives = new long[classes];
      this.falsePositives = new long[classes];
      this.falseNegatives = new long[classes];
    }

    /**
     * One batch of {@code tile x tile} output tiles: its loss, its labels and weights, and the
     * predicted classes.
     */
    void add(double loss, int tile, int[] labels, float[] weights, int[] predicted) {
      add(loss, new Size3(1, tile, tile), labels, weights, predicted);
    }

    /**
     * One batch of output blocks of {@code block} voxels each (a 3D net's, or {@code 1 x tile x
     * tile} for image tiles): its loss, its labels and weights, and the predicted classes.
     */
    void add(double loss, Size3 block, int[] labels, float[] weights, int[] predicted) {
      lossSum += loss;
      batches++;
      addObjects(block, labels, weights, predicted);
      for (int i = 0; i < labels.length; i++) {
        int truth = labels[i];
        if (!(weights[i] > 0) || truth < 0) {
          continue;
        }
        int guess = predicted[i];
        pixels++;
        if (truth == guess) {
          truePositives[truth]++;
        } else {
          wrong++;
          falsePositives[guess]++;
          falseNegatives[truth]++;
        }
      }
    }

    /** The objects of each block: 6-connected through its planes, 4-connected in a tile (one plane). */
    private void addObjects(Size3 block, int[] labels, float[] weights, int[] predictedClasses) {
      int volume = (int) block.voxels();
      boolean[] truth = new boolean[volume];
      boolean[] predicted = new boolean[volume];
      int[] truthLabels = new int[volume];
      int[] predictedLabels = new int[volume];
      for (int offset = 0; offset < labels.length; offset += volume) {
        for (int i = 0; i < volume; i++) {
          boolean scored = weights[offset + i] > 0 && labels[offset + i] >= 0;
          truth[i] = scored && labels[offset + i] > 0;
          predicted[i] = scored && predictedClasses[offset + i] > 0;
        }
        int t = ConnectedComponents3d.label(truth, block, truthLabels);
        int p = ConnectedComponents3d.label(predicted, block, predictedLabels);
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
      double iouSum = 0;
      double diceSum = 0;
      int present = 0;
      for (int c = 1; c < classes; c++) {
        long union = truePositives[c] + falsePositives[c] + falseNegatives[c];
        if (union > 0) {
          present++;
          iouSum += (double) truePositives[c] / union;
          diceSum += 2.0 * truePositives[c] / (union + truePositives[c]);
        }
      }
      double iou = present == 0 ? 1 : iouSum / present;
      double dice = present == 0 ? 1 : diceSum / present;
      double error = pixels == 0 ? 0 : (double) wrong / pixels;
      return new ValidationScores(batches == 0 ? Double.NaN : lossSum / batches, iou, dice, error, randError(),
          truthObjects == 0 ? Double.NaN : segSum / truthObjects, pixels);
    }
  }
}
