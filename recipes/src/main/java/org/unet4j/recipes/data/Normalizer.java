package org.unet4j.recipes.data;

import java.util.Arrays;
import org.unet4j.dsl.recipe.NormalizationSpec;

/**
 * Maps raw intensities to the net's input range, per image and the same way in training and
 * prediction (the recipe's {@code data.normalization}).
 */
public final class Normalizer {
  private Normalizer() {}

  /** The image's pixels normalised as the spec says, channels-last like the input. */
  public static float[] apply(Image image, NormalizationSpec spec) {
    float[] in = image.pixels();
    float[] out = new float[in.length];
    double offset;
    double scale;
    switch (spec.scaling()) {
      case PERCENTILE -> {
        float[] sorted = in.clone();
        Arrays.sort(sorted);
        double low = percentile(sorted, spec.low());
        double high = percentile(sorted, spec.high());
        offset = low;
        scale = high > low ? 1.0 / (high - low) : 1.0;
      }
      case MIN_MAX -> {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (float v : in) {
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
        offset = min;
        scale = max > min ? 1.0 / (max - min) : 1.0;
      }
      case Z_SCORE -> {
        double sum = 0;
        for (float v : in) {
          sum += v;
        }
        double mean = sum / in.length;
        double squares = 0;
        for (float v : in) {
          squares += (v - mean) * (v - mean);
        }
        double std = Math.sqrt(squares / in.length);
        offset = mean;
        scale = std > 0 ? 1.0 / std : 1.0;
      }
      case TYPE_RANGE -> {
        offset = 0;
        scale = switch (image.type()) {
          case UINT8 -> 1.0 / 255;
          case UINT16 -> 1.0 / 65535;
          case FLOAT32 -> 1.0;
        };
      }
      default -> throw new IllegalStateException("unknown scaling " + spec.scaling());
    }
    for (int i = 0; i < in.length; i++) {
      out[i] = (float) ((in[i] - offset) * scale);
    }
    return out;
  }

  /** The {@code p}-th percentile (0..100) of sorted values, linearly interpolated. */
  static double percentile(float[] sorted, double p) {
    double rank = p / 100.0 * (sorted.length - 1);
    int below = (int) Math.floor(rank);
    int above = Math.min(sorted.length - 1, below + 1);
    double t = rank - below;
    return sorted[below] * (1 - t) + sorted[above] * t;
  }
}
