package org.unet4j.labels;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Arrays;

/**
 * Training targets for a net whose output is {@code stride} times coarser than its input (fewer
 * expanding than contracting stages): each output pixel stands for a {@code stride x stride} block
 * of input pixels, so its class is the majority vote of the block's class labels and its loss
 * weight the block's largest weight, which keeps the paper's high weights on the thin separation
 * borders between touching cells (eq. 2) from being averaged away.
 *
 * <p>The vote works for any number of classes. Ties go to the lowest class index, so a block half
 * background, half cell is background: the side of separating touching cells. Pixels labelled
 * {@code ignoreLabel} do not vote; a block of only such pixels gets {@code ignoreLabel} and the
 * largest weight of its pixels, 0 for ignored training targets, which mark ignored pixels
 * {@link ClassLabels#IGNORED}.
 *
 * @param stride block side: input pixels per output pixel along each axis
 * @param ignoreLabel the label that does not vote: {@link ClassLabels#IGNORED} for training targets;
 *     one that never occurs ignores nothing (every other label must be a class index, >= 0)
 */
public record Downsampling(int stride, int ignoreLabel) {

  public Downsampling {
    checkArgument(stride >= 1, "stride must be at least 1, got %s", stride);
  }

  /**
   * Blocks of {@code stride x stride} pixels of training targets: every class votes, ignored pixels
   * ({@link ClassLabels#IGNORED}) do not.
   */
  public static Downsampling of(int stride) {
    return new Downsampling(stride, ClassLabels.IGNORED);
  }

  /**
   * The majority class of each block of row-major {@code labels} of {@code width x height}, which
   * the stride must divide; row-major, {@code width / stride} wide.
   *
   * @throws IllegalArgumentException for a size the stride does not divide, or a negative label
   *     other than {@code ignoreLabel}
   */
  public int[] classes(int[] labels, int width, int height) {
    checkNotNull(labels, "labels");
    checkBlocks(labels.length, width, height);
    int max = 0;
    for (int label : labels) {
      checkArgument(label >= 0 || label == ignoreLabel, "labels must be class indices >= 0%s, got %s",
          ignoreLabel < 0 ? "" : " or the ignore label " + ignoreLabel, label);
      max = Math.max(max, label);
    }
    int outWidth = width / stride;
    int outHeight = height / stride;
    int[] votes = new int[max + 1];
    int[] out = new int[outWidth * outHeight];
    for (int by = 0; by < outHeight; by++) {
      for (int bx = 0; bx < outWidth; bx++) {
        Arrays.fill(votes, 0);
        for (int y = by * stride; y < (by + 1) * stride; y++) {
          for (int x = bx * stride; x < (bx + 1) * stride; x++) {
            int label = labels[y * width + x];
            if (label != ignoreLabel) {
              votes[label]++;
            }
          }
        }
        int best = ignoreLabel;
        int most = 0;
        for (int c = 0; c < votes.length; c++) {
          if (votes[c] > most) { // strictly more: a tie keeps the lower class
            best = c;
            most = votes[c];
          }
        }
        out[by * outWidth + bx] = best;
      }
    }
    return out;
  }

  /**
   * The largest value of each block of row-major {@code weights} of {@code width x height}, which
   * the stride must divide; row-major, {@code width / stride} wide.
   */
  public float[] weights(float[] weights, int width, int height) {
    checkNotNull(weights, "weights");
    checkBlocks(weights.length, width, height);
    int outWidth = width / stride;
    int outHeight = height / stride;
    float[] out = new float[outWidth * outHeight];
    Arrays.fill(out, Float.NEGATIVE_INFINITY);
    for (int y = 0; y < outHeight * stride; y++) {
      for (int x = 0; x < outWidth * stride; x++) {
        int o = (y / stride) * outWidth + x / stride;
        out[o] = Math.max(out[o], weights[y * width + x]);
      }
    }
    return out;
  }

  private void checkBlocks(int length, int width, int height) {
    checkArgument(width >= 1 && height >= 1 && (long) width * height == length,
        "expected %sx%s = %s values, got %s", width, height, (long) width * height, length);
    checkArgument(width % stride == 0 && height % stride == 0,
        "a %sx%s map does not split into blocks of %sx%s; its sides must be multiples of the stride %s", width,
        height, stride, stride, stride);
  }
}
