package org.unet4j.recipes.infer;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

/**
 * Bilinear upsampling of one channel of a coarse output by an integer {@code stride}, with pixel
 * centres aligned: coarse pixel {@code j} stands for the {@code stride} fine pixels
 * {@code [j * stride, (j + 1) * stride)} ({@link org.unet4j.dsl.model.Geometry#outputOrigin()}), so
 * its value sits at their centre, fine coordinate {@code j * stride + (stride - 1) / 2}. Fine pixel
 * {@code u} therefore reads coarse coordinate {@code t = (2u + 1 - stride) / (2 stride)} and mixes
 * pixels {@code floor(t)} and {@code floor(t) + 1} with weights {@code 1 - frac(t)} and
 * {@code frac(t)}. Beyond the outermost centres (the first and last {@code stride / 2} fine pixels)
 * the edge value is repeated; overlap tiles never keep those pixels ({@link
 * org.unet4j.dsl.geometry.Tiling}).
 *
 * <p>The image axes are interpolated one after the other, rows first, which gives the same
 * weights as the bilinear formula.
 *
 * @param stride fine pixels per coarse pixel along each axis
 */
public record BilinearUpsampling(int stride) {

  public BilinearUpsampling {
    checkArgument(stride >= 1, "stride must be at least 1, got %s", stride);
  }

  /**
   * The {@code (width * stride) x (height * stride)} upsampling of a row-major channel of
   * {@code width x height} values.
   */
  public float[] upsample(float[] channel, int width, int height) {
    checkNotNull(channel, "channel");
    checkArgument(width >= 1 && height >= 1 && (long) width * height == channel.length,
        "expected %sx%s = %s values, got %s", width, height, (long) width * height, channel.length);
    int fineWidth = width * stride;
    int fineHeight = height * stride;
    int[] left = new int[fineWidth];
    float[] along = new float[fineWidth];
    weights(width, left, along);
    int[] top = new int[fineHeight];
    float[] down = new float[fineHeight];
    weights(height, top, down);
    // each coarse row widened first, then the fine rows mixed from two widened rows
    float[] wide = new float[height * fineWidth];
    for (int y = 0; y < height; y++) {
      for (int u = 0; u < fineWidth; u++) {
        int a = y * width + left[u];
        int b = left[u] + 1 < width ? a + 1 : a;
        wide[y * fineWidth + u] = (1 - along[u]) * channel[a] + along[u] * channel[b];
      }
    }
    float[] fine = new float[fineHeight * fineWidth];
    for (int v = 0; v < fineHeight; v++) {
      int a = top[v] * fineWidth;
      int b = top[v] + 1 < height ? a + fineWidth : a;
      float f = down[v];
      for (int u = 0; u < fineWidth; u++) {
        fine[v * fineWidth + u] = (1 - f) * wide[a + u] + f * wide[b + u];
      }
    }
    return fine;
  }

  /**
   * For each fine pixel along an axis of {@code coarse} pixels: the coarse pixel at or before it
   * ({@code first}) and the weight of the one after ({@code fraction}).
   */
  private void weights(int coarse, int[] first, float[] fraction) {
    for (int u = 0; u < first.length; u++) {
      // t = (2u + 1 - stride) / (2 stride) in exact integers, clamped to [0, coarse - 1]
      long numerator = 2L * u + 1 - stride;
      long denominator = 2L * stride;
      if (numerator <= 0) {
        first[u] = 0;
        fraction[u] = 0;
      } else if (numerator >= (coarse - 1) * denominator) {
        first[u] = coarse - 1;
        fraction[u] = 0;
      } else {
        first[u] = (int) (numerator / denominator);
        fraction[u] = (float) (numerator % denominator) / denominator;
      }
    }
  }
}
