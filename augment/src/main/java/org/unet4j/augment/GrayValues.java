package org.unet4j.augment;

/**
 * The gray-value changes of paper Sec. 3.1 on a channels-last image, in place, each channel on
 * its own. They act on the resampled tile, after the geometry, and never touch labels or weights.
 */
final class GrayValues {
  private GrayValues() {}

  /** Adds {@code offset} to every value. */
  static void brightness(float[] image, double offset) {
    for (int i = 0; i < image.length; i++) {
      image[i] = (float) (image[i] + offset);
    }
  }

  /**
   * Scales each channel's deviations from its mean by {@code factor}: x -> m + factor (x - m).
   * About the mean rather than about 0, so that contrast does not also change the brightness.
   */
  static void contrast(float[] image, int channels, double factor) {
    for (int c = 0; c < channels; c++) {
      double sum = 0;
      for (int i = c; i < image.length; i += channels) {
        sum += image[i];
      }
      double mean = sum / (image.length / channels);
      for (int i = c; i < image.length; i += channels) {
        image[i] = (float) (mean + factor * (image[i] - mean));
      }
    }
  }

  /**
   * Applies gamma within each channel's range [lo, hi]: x -> lo + (hi - lo) ((x - lo)/(hi - lo))^gamma.
   * Normalised intensities need not lie in [0, 1] (percentile scaling leaves tails outside), so
   * the tile's own range stands in for [0, 1]; on an image spanning [0, 1] this is plain x^gamma.
   * A flat channel is left as it is.
   */
  static void gamma(float[] image, int channels, double gamma) {
    for (int c = 0; c < channels; c++) {
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (int i = c; i < image.length; i += channels) {
        lo = Math.min(lo, image[i]);
        hi = Math.max(hi, image[i]);
      }
      double range = hi - lo;
      if (!(range > 0)) {
        continue;
      }
      for (int i = c; i < image.length; i += channels) {
        double unit = (image[i] - lo) / range;
        // exp(gamma log u) rather than pow: both StrictMath (the same bits on every machine), and
        // JDK 17's StrictMath.pow is about ten times slower than the two together.
        image[i] = (float) (lo + range * StrictMath.exp(gamma * StrictMath.log(unit)));
      }
    }
  }

  /** Adds independent Gaussian noise of standard deviation {@code sigma} to every value. */
  static void noise(float[] image, double sigma, SplitMix64 random) {
    for (int i = 0; i < image.length; i++) {
      image[i] = (float) (image[i] + sigma * random.nextGaussian());
    }
  }
}
