package org.unet4j.labels;

import java.util.Arrays;
import java.util.Random;

/** Slow, obviously correct references for the tests: every distance by trying every pixel. */
final class BruteForce {
  private BruteForce() {}

  /** Squared distance to the nearest feature by scanning all features; +infinity without any. */
  static double[] squaredDistances(boolean[] features, int width, int height) {
    double[] out = new double[features.length];
    for (int p = 0; p < features.length; p++) {
      double best = Double.POSITIVE_INFINITY;
      for (int q = 0; q < features.length; q++) {
        if (features[q]) {
          double dx = p % width - q % width;
          double dy = p / width - q / width;
          best = Math.min(best, dx * dx + dy * dy);
        }
      }
      out[p] = best;
    }
    return out;
  }

  /**
   * For every pixel, the Euclidean distance to every cell 1..cells (from scanning all pixels of
   * the cell), sorted ascending; [pixel][rank].
   */
  static double[][] sortedCellDistances(int[] labels, int width, int cells) {
    double[][] out = new double[labels.length][];
    for (int p = 0; p < labels.length; p++) {
      double[] perCell = new double[cells];
      Arrays.fill(perCell, Double.POSITIVE_INFINITY);
      for (int q = 0; q < labels.length; q++) {
        int k = labels[q];
        if (k != 0) {
          double dx = p % width - q % width;
          double dy = p / width - q / width;
          perCell[k - 1] = Math.min(perCell[k - 1], Math.sqrt(dx * dx + dy * dy));
        }
      }
      Arrays.sort(perCell);
      out[p] = perCell;
    }
    return out;
  }

  /** Eq. 2 without any cut-off: background pixels get the border term, cells w_c only. */
  static double[] weights(int[] labels, double[][] sortedDistances, double w0, double sigma, double wcBackground,
      double wcCell) {
    double[] out = new double[labels.length];
    for (int p = 0; p < labels.length; p++) {
      if (labels[p] != 0) {
        out[p] = wcCell;
      } else if (sortedDistances[p].length < 2) {
        out[p] = wcBackground;
      } else {
        double s = sortedDistances[p][0] + sortedDistances[p][1];
        out[p] = wcBackground + w0 * Math.exp(-s * s / (2 * sigma * sigma));
      }
    }
    return out;
  }

  /**
   * Up to {@code cells} random discs and rectangles painted into a width x height image, each
   * only on still-empty pixels (so later ones may be clipped or vanish; some touch).
   */
  static int[] randomCells(Random random, int width, int height, int cells) {
    int[] labels = new int[width * height];
    for (int k = 1; k <= cells; k++) {
      int cx = random.nextInt(width);
      int cy = random.nextInt(height);
      int rx = 1 + random.nextInt(Math.max(1, width / 4));
      int ry = 1 + random.nextInt(Math.max(1, height / 4));
      boolean disc = random.nextBoolean();
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          double u = (x - cx) / (double) rx;
          double v = (y - cy) / (double) ry;
          boolean inside = disc ? u * u + v * v <= 1 : Math.abs(u) <= 1 && Math.abs(v) <= 1;
          if (inside && labels[y * width + x] == 0) {
            labels[y * width + x] = k;
          }
        }
      }
    }
    return labels;
  }
}
