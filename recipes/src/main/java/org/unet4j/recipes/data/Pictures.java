package org.unet4j.recipes.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.awt.image.BufferedImage;

/**
 * Pictures for people: float maps (weight maps, probabilities) in false colour, with masks painted
 * over them. The colour map is viridis (van der Walt and Smith, matplotlib 2.0): perceptually
 * uniform, readable in gray and by colour-blind viewers, dark for low values and yellow for high.
 */
public final class Pictures {
  /**
   * Viridis as a degree-6 polynomial per channel (Matt Zucker's least-squares fit to matplotlib's
   * 256-entry table), so no table ships with the code; it stays within 0.02 of the table at
   * t = 0, 1/4, 1/2, 3/4, 1 (PicturesTest). Coefficients of t^0..t^6 for red, green and blue.
   */
  private static final double[][] VIRIDIS = {
    {0.2777273272234177, 0.1050930431085774, -0.3308618287255563, -4.634230498983486, 6.228269936347081,
        4.776384997670288, -5.435455855934631},
    {0.005407344544966578, 1.404613529898575, 0.214847559468213, -5.799100973351585, 14.17993336680509,
        -13.74514537774601, 4.645852612178535},
    {0.3340998053353061, 1.384590162594685, 0.09509516302823659, -19.33244095627987, 56.69055260068105,
        -65.35303263337234, 26.3124352495832},
  };

  private Pictures() {}

  /** The viridis colour of {@code t} in 0..1 (clamped) as packed {@code 0xRRGGBB}; NaN is black. */
  public static int viridis(double t) {
    if (Double.isNaN(t)) {
      return 0;
    }
    double u = Math.max(0, Math.min(1, t));
    int rgb = 0;
    for (double[] c : VIRIDIS) {
      double v = c[6];
      for (int k = 5; k >= 0; k--) {
        v = v * u + c[k];
      }
      rgb = (rgb << 8) | (int) Math.round(255 * Math.max(0, Math.min(1, v)));
    }
    return rgb;
  }

  /**
   * A row-major one-channel map in viridis, {@code low} dark purple and {@code high} yellow;
   * values outside are clamped.
   */
  public static BufferedImage falseColour(float[] values, int width, int height, double low, double high) {
    checkNotNull(values, "values");
    checkArgument(width >= 1 && height >= 1 && (long) width * height == values.length,
        "a %sx%s map has %s values, got %s", width, height, (long) width * height, values.length);
    checkArgument(high > low, "the colour range needs high > low, got %s..%s", low, high);
    BufferedImage picture = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int[] row = new int[width];
    double scale = 1 / (high - low);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        row[x] = viridis((values[y * width + x] - low) * scale);
      }
      picture.setRGB(0, y, width, 1, row, 0, width);
    }
    return picture;
  }

  /** Paints the pixels where {@code where} (row-major) is true in {@code rgb} ({@code 0xRRGGBB}). */
  public static void paint(BufferedImage picture, boolean[] where, int rgb) {
    checkNotNull(picture, "picture");
    checkNotNull(where, "where");
    int width = picture.getWidth();
    checkArgument((long) width * picture.getHeight() == where.length,
        "a %sx%s picture has %s pixels, but the mask %s", width, picture.getHeight(),
        (long) width * picture.getHeight(), where.length);
    for (int i = 0; i < where.length; i++) {
      if (where[i]) {
        picture.setRGB(i % width, i / width, rgb);
      }
    }
  }
}
