package org.unet4j.recipes.eval;

import java.util.Random;

/**
 * Synthetic EM-like images for tests and timing: Voronoi cells separated by membranes a few pixels
 * wide (truth, 255 cell / 0 membrane) and a soft prediction of them (float probabilities) with
 * blurred, noisy, shifted boundaries.
 */
final class SyntheticEm {
  final int width;
  final int height;
  final boolean[] truth;
  final float[] prob;

  private SyntheticEm(int width, int height, boolean[] truth, float[] prob) {
    this.width = width;
    this.height = height;
    this.truth = truth;
    this.prob = prob;
  }

  /** {@code cells} Voronoi cells; membranes about {@code membrane} pixels wide. */
  static SyntheticEm of(int width, int height, int cells, double membrane, long seed) {
    Random random = new Random(seed);
    double[] sx = new double[cells];
    double[] sy = new double[cells];
    for (int i = 0; i < cells; i++) {
      sx[i] = random.nextDouble() * width;
      sy[i] = random.nextDouble() * height;
    }
    int n = width * height;
    boolean[] truth = new boolean[n];
    float[] prob = new float[n];
    // A smooth random offset field shifts the predicted boundary by up to ~2 px.
    double fx = 2 * Math.PI / width * (1 + random.nextInt(3));
    double fy = 2 * Math.PI / height * (1 + random.nextInt(3));
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        double d1 = Double.MAX_VALUE;
        double d2 = Double.MAX_VALUE;
        for (int i = 0; i < cells; i++) {
          double d = Math.hypot(x - sx[i], y - sy[i]);
          if (d < d1) {
            d2 = d1;
            d1 = d;
          } else if (d < d2) {
            d2 = d;
          }
        }
        // Half the difference of the two nearest distances: distance to the bisector.
        double edge = (d2 - d1) / 2;
        int p = y * width + x;
        truth[p] = edge > membrane / 2;
        double shift = 1.5 * Math.sin(fx * x) * Math.cos(fy * y);
        double logit = (edge - membrane / 2 + shift) * 1.2 + random.nextGaussian() * 0.8;
        prob[p] = (float) (1 / (1 + Math.exp(-logit)));
      }
    }
    return new SyntheticEm(width, height, truth, prob);
  }
}
