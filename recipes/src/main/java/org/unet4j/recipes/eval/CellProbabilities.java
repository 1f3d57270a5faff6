package org.unet4j.recipes.eval;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;
import org.unet4j.recipes.data.DataException;
import org.unet4j.recipes.data.Image;

/**
 * A cell-probability map, row-major: the prediction the metrics threshold. At threshold
 * {@code th} a pixel is cell iff {@code value > th} (strictly). The array is shared, not copied;
 * treat it as read-only. (The predictor's {@code NAME_prob.tif} holds one such channel.)
 */
public record CellProbabilities(int width, int height, float[] values) {

  public CellProbabilities {
    checkNotNull(values, "values");
    checkArgument(width >= 1 && height >= 1, "image size must be at least 1x1, got %sx%s", width, height);
    checkArgument((long) width * height == values.length, "a %sx%s map has %s pixels but the array holds %s",
        width, height, (long) width * height, values.length);
    for (int i = 0; i < values.length; i++) {
      if (Float.isNaN(values[i])) {
        throw new DataException("the probability at (x=" + i % width + ", y=" + i / width
            + ") is NaN; a prediction that holds NaN cannot be thresholded (did the model diverge?)");
      }
    }
  }

  /**
   * One channel of a prediction image as probabilities, as the challenge reads them: an 8-bit
   * image becomes {@code v / 255} computed in float32, a 16-bit one {@code v / 65535}, a float
   * image is taken as it is.
   *
   * @throws DataException for a channel the image lacks or a NaN sample
   */
  public static CellProbabilities of(Image image, int channel) {
    checkNotNull(image, "image");
    if (channel < 0 || channel >= image.channels()) {
      // The channel is chosen by whoever evaluates, so a wrong one is their mistake, not a bug.
      throw new DataException("channel " + channel + ": the image has " + image.channels() + " channel(s), 0.."
          + (image.channels() - 1));
    }
    float[] values = image.channel(channel);
    float scale = switch (image.type()) {
      case UINT8 -> 255f;
      case UINT16 -> 65535f;
      case FLOAT32 -> 1f;
    };
    if (scale != 1f) {
      for (int i = 0; i < values.length; i++) {
        values[i] = values[i] / scale;
      }
    }
    return new CellProbabilities(image.width(), image.height(), values);
  }

  /**
   * The cell probability of a prediction image, chosen as the predictor chooses its foreground:
   * the only channel of a one-channel image, channel 1 of two (background, cell), and one minus
   * channel 0 (background) of more.
   */
  public static CellProbabilities foreground(Image image) {
    checkNotNull(image, "image");
    if (image.channels() <= 2) {
      return of(image, image.channels() - 1);
    }
    CellProbabilities background = of(image, 0);
    float[] values = background.values();
    for (int i = 0; i < values.length; i++) {
      values[i] = 1 - values[i];
    }
    return new CellProbabilities(image.width(), image.height(), values);
  }

  /** The cell mask at {@code threshold}: {@code value > threshold}, compared in double. */
  public boolean[] cells(double threshold) {
    return above(values, threshold);
  }

  /** {@code value > threshold} for each value, compared in double: the challenge's binarisation. */
  static boolean[] above(float[] values, double threshold) {
    boolean[] cells = new boolean[values.length];
    for (int i = 0; i < values.length; i++) {
      cells[i] = values[i] > threshold;
    }
    return cells;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof CellProbabilities other && width == other.width && height == other.height
        && Arrays.equals(values, other.values);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * width + height) + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "CellProbabilities[" + width + "x" + height + "]";
  }
}
