package org.unet4j.labels;

import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Arrays;

/**
 * The exact Euclidean distance transform of a binary image: for every pixel the distance between
 * its centre and the centre of the nearest feature pixel.
 *
 * <p>Felzenszwalb and Huttenlocher, "Distance Transforms of Sampled Functions" (Theory of
 * Computing 8, 2012): the squared distance is separable, so a 1-D transform down every column
 * (for a binary image simply the distance to the nearest feature above or below) is followed by
 * a 1-D transform along every row, the lower envelope of the parabolas {@code (x - q)^2 + g(q)}.
 * Both passes are linear, so the whole transform is O(width * height) time and O(width + height)
 * extra memory besides the result. Squared distances are integers and exact in a {@code double}.
 */
public final class DistanceTransform {
  private DistanceTransform() {}

  /**
   * Squared distance from each pixel to the nearest pixel where {@code features} is true (0 on a
   * feature), row-major; {@link Double#POSITIVE_INFINITY} everywhere when there is no feature.
   */
  public static double[] squaredDistances(boolean[] features, int width, int height) {
    checkNotNull(features, "features");
    InstanceLabels.checkSize(features.length, width, height);
    double[] out = new double[features.length];
    // Columns: squared distance to the nearest feature in the same column.
    for (int x = 0; x < width; x++) {
      int last = -1;
      for (int y = 0, i = x; y < height; y++, i += width) {
        if (features[i]) {
          last = y;
          out[i] = 0;
        } else {
          out[i] = last < 0 ? Double.POSITIVE_INFINITY : square(y - last);
        }
      }
      int next = -1;
      for (int y = height - 1, i = x + y * width; y >= 0; y--, i -= width) {
        if (features[i]) {
          next = y;
        } else if (next >= 0) {
          out[i] = Math.min(out[i], square(next - y));
        }
      }
    }
    // Rows: lower envelope of the column results.
    double[] row = new double[width];
    double[] result = new double[width];
    int[] v = new int[width];
    double[] z = new double[width + 1];
    for (int y = 0; y < height; y++) {
      System.arraycopy(out, y * width, row, 0, width);
      lowerEnvelope(row, width, result, v, z);
      System.arraycopy(result, 0, out, y * width, width);
    }
    return out;
  }

  /** Euclidean distance from each pixel to the nearest feature; the root of {@link #squaredDistances}. */
  public static double[] distances(boolean[] features, int width, int height) {
    double[] d = squaredDistances(features, width, height);
    for (int i = 0; i < d.length; i++) {
      d[i] = Math.sqrt(d[i]);
    }
    return d;
  }

  /**
   * The 1-D transform d(p) = min_q ((p - q)^2 + f(q)) of {@code f[0..n)} into {@code d[0..n)}, with
   * {@code v} (n) and {@code z} (n + 1) as scratch. Samples with f = +infinity are left out of the
   * envelope (rather than a large finite stand-in), so d is exact and +infinity only when every f
   * is. O(n): every parabola enters and leaves the envelope at most once.
   */
  static void lowerEnvelope(double[] f, int n, double[] d, int[] v, double[] z) {
    lowerEnvelope(f, n, 1, d, v, z);
  }

  /**
   * As {@link #lowerEnvelope(double[], int, double[], int[], double[])} with parabolas
   * {@code w (p - q)^2 + f(q)}: w is the squared spacing of the samples (a volume's z spacing, say),
   * and w = 1 gives exactly the unweighted transform.
   */
  static void lowerEnvelope(double[] f, int n, double w, double[] d, int[] v, double[] z) {
    int k = -1;
    for (int q = 0; q < n; q++) {
      double fq = f[q];
      if (fq == Double.POSITIVE_INFINITY) {
        continue;
      }
      if (k < 0) {
        k = 0;
        v[0] = q;
        z[0] = Double.NEGATIVE_INFINITY;
        z[1] = Double.POSITIVE_INFINITY;
        continue;
      }
      double s;
      while (true) {
        int p = v[k];
        // Where the parabola from q starts to lie below the one from p.
        s = ((fq + w * q * q) - (f[p] + w * p * p)) / (2.0 * w * (q - p));
        if (s > z[k]) {
          break;
        }
        k--; // never below 0: z[0] is -infinity
      }
      k++;
      v[k] = q;
      z[k] = s;
      z[k + 1] = Double.POSITIVE_INFINITY;
    }
    if (k < 0) {
      Arrays.fill(d, 0, n, Double.POSITIVE_INFINITY);
      return;
    }
    int j = 0;
    for (int q = 0; q < n; q++) {
      while (z[j + 1] < q) {
        j++;
      }
      double dq = q - v[j];
      d[q] = w * dq * dq + f[v[j]];
    }
  }

  private static double square(int a) {
    return (double) a * a;
  }
}
