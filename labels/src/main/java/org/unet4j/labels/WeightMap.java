package org.unet4j.labels;

import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Arrays;
import org.unet4j.dsl.InvalidInputException;
import org.unet4j.dsl.recipe.WeightedCrossEntropyLoss;

/**
 * The paper's weight map (Sec. 3, eq. 2):
 * <pre>  w(x) = w_c(x) + w0 * exp(-(d1(x) + d2(x))^2 / (2 sigma^2))</pre>
 * where d1 and d2 are the distances to the nearest and the second-nearest cell, for two classes
 * (background, cell) or K ({@link ClassLabels}).
 *
 * <h2>Conventions</h2>
 * <ul>
 *   <li><b>Border term on background only.</b> The paper gives the large weight to "the separating
 *       background labels between touching cells" (Sec. 3); foreground pixels get w_c alone. The
 *       separation borders ({@link SeparationBorders}) are background, so they get the full term.
 *       For K classes ({@link ClassLabels}) the term goes to the pixels of the border-term classes:
 *       background for class maps, background and the boundary class for three-class labels, whose
 *       boundary pixels are at distance 0 from their own cell (so d1 = 0 and d2 is the distance to
 *       the nearest other cell: large where two cells touch).
 *   <li><b>Ignored pixels</b> ({@link ClassLabels#IGNORED}) get weight 0 and are left out of the
 *       class counts.
 *   <li><b>Distances</b> are between pixel centres: d(x, cell) is the Euclidean distance from x to
 *       the nearest pixel of the cell, so a background pixel next to a cell has d = 1 (0 would be
 *       the cell itself). For a background pixel the nearest cell pixel lies on the cell's border,
 *       as the paper's "distance to the border of the nearest cell" says.
 *   <li><b>Fewer than two cells:</b> d2 is infinite and the term is 0.
 *   <li><b>Class balance w_c</b> is computed per image on the class labels (after separation
 *       borders): {@code INVERSE_FREQUENCY} gives class c the weight N / (K * count(c)), N the
 *       pixel count (ignored pixels not counted) and K the number of classes present, so w_c
 *       averages to exactly 1 over the counted pixels (all background: 1 everywhere); {@code NONE}
 *       gives 1; {@code GIVEN} takes {@code classWeights[c]} for class c (one weight per class).
 *       {@code DATASET_FREQUENCY} is the paper's balance over the training set: the same formula on
 *       the set's summed counts ({@link ClassFrequencies#resolve} turns it into given weights before
 *       the maps are computed, so each map stays self-contained and cacheable).
 * </ul>
 *
 * <h2>Cut-off, exactness and cost</h2>
 * The term is below {@link #NEGLIGIBLE} * w0 once d1 + d2 > R = sigma * sqrt(2 ln(1 / NEGLIGIBLE))
 * (about 5.26 sigma), and since d1 <= d2 only cells within R of a pixel can matter. So, instead of
 * one full distance transform per cell, each cell's exact distance transform
 * ({@link DistanceTransform}) is taken over its bounding box dilated by R (where all of the cell is,
 * so the distances there are exact), and every background pixel keeps the two smallest distances
 * it receives that are <= R. Where d2 <= R the result equals eq. 2 exactly (to float rounding);
 * where d2 > R the term is set to 0 and the true value is below NEGLIGIBLE * w0.
 * Time O(N + sum over cells of (w_k + 2R)(h_k + 2R)) for an N-pixel image and cell bounding boxes
 * w_k x h_k: linear in the number of cells times their local area, independent of how many cells
 * the image has elsewhere. (It approaches O(cells * N) only when cells have huge overlapping
 * bounding boxes, or sigma is a large fraction of the image.) Memory O(N) plus one window.
 */
public final class WeightMap {
  /** The border term w0 * exp(...) below NEGLIGIBLE * w0 is dropped: 1e-6 (relative to w0). */
  public static final double NEGLIGIBLE = 1e-6;

  private WeightMap() {}

  /**
   * The training target of one image: separation borders between touching cells (Fig. 3c), the
   * class labels that leaves, and the weight map of eq. 2 for them (Fig. 3d).
   */
  public static WeightedTarget compute(InstanceLabels instances, WeightedCrossEntropyLoss loss) {
    checkNotNull(instances, "instances");
    return compute(ClassLabels.ofCells(instances), loss);
  }

  /**
   * The training target of K-class labels: their classes and eq. 2 generalised, w_c over the K
   * classes plus the border term on the pixels of the border-term classes; weight 0 on ignored pixels.
   */
  public static WeightedTarget compute(ClassLabels labels, WeightedCrossEntropyLoss loss) {
    checkNotNull(labels, "labels");
    checkNotNull(loss, "loss");
    int[] classes = labels.array();
    byte[] bytes = new byte[classes.length];
    for (int i = 0; i < classes.length; i++) {
      bytes[i] = (byte) classes[i];
    }
    return new WeightedTarget(labels.width(), labels.height(), bytes, weights(labels, loss));
  }

  /**
   * Eq. 2 for the cells as given (no separation borders added): w_c on every pixel plus the border
   * term on background pixels; row-major.
   */
  public static float[] weights(InstanceLabels cells, WeightedCrossEntropyLoss loss) {
    checkNotNull(cells, "cells");
    int[] labels = cells.array();
    int[] classes = new int[labels.length];
    for (int i = 0; i < labels.length; i++) {
      classes[i] = labels[i] != 0 ? 1 : 0;
    }
    return weights(ClassLabels.trusted(2, classes, cells, 0), loss);
  }

  /**
   * Eq. 2 for K classes: w_c of each pixel's class on every pixel, plus the border term, with d1
   * and d2 the distances to the nearest and second-nearest of the labels' cells (a pixel's own cell
   * at distance 0), on the pixels of the border-term classes; 0 on ignored pixels; row-major.
   */
  public static float[] weights(ClassLabels labels, WeightedCrossEntropyLoss loss) {
    checkNotNull(labels, "labels");
    checkNotNull(loss, "loss");
    int[] classes = labels.array();
    double[] wc = classWeights(labels.counts(), loss);
    float[] out = new float[classes.length];
    boolean[] term = new boolean[classes.length];
    boolean anyTerm = false;
    for (int i = 0; i < classes.length; i++) {
      int c = classes[i];
      if (c != ClassLabels.IGNORED) {
        out[i] = (float) wc[c];
        term[i] = labels.getsBorderTerm(c);
        anyTerm |= term[i];
      }
    }
    if (loss.w0() > 0 && labels.instances().cellCount() >= 2 && anyTerm) {
      addBorderTerm(labels.instances(), term, classes, wc, loss.w0(), loss.sigma(), out);
    }
    return out;
  }

  /**
   * w_c for background (index 0) and cells (index 1) in an image with the given pixel counts; see
   * the class comment for the conventions.
   *
   * @throws InvalidInputException when {@code classWeights} does not list exactly 2 weights
   *     for a given class balance
   */
  public static double[] classWeights(long background, long foreground, WeightedCrossEntropyLoss loss) {
    return classWeights(new long[] {background, foreground}, loss);
  }

  /**
   * w_c of the K = {@code counts.length} classes in an image with the given pixel counts per class
   * (ignored pixels not counted); see the class comment for the conventions.
   *
   * @throws InvalidInputException when {@code classWeights} does not list exactly K weights
   *     for a given class balance
   */
  public static double[] classWeights(long[] counts, WeightedCrossEntropyLoss loss) {
    int k = counts.length;
    switch (loss.classBalance()) {
      case NONE: {
        double[] ones = new double[k];
        Arrays.fill(ones, 1);
        return ones;
      }
      case GIVEN:
        if (loss.classWeights().size() != k) {
          throw new InvalidInputException("classWeights lists " + loss.classWeights().size()
              + " weights " + loss.classWeights() + " but the weight map has " + k + " classes"
              + (k == 2 ? " (0 background, 1 cell); list 2, e.g. [1.0, 3.0]" : "; list " + k + ", class 0 first"));
        }
        return loss.classWeights().stream().mapToDouble(Double::doubleValue).toArray();
      case INVERSE_FREQUENCY:
        return ClassFrequencies.of(counts).inverseWeights();
      case DATASET_FREQUENCY:
        // The training set's counts are not this image's: an internal mistake, not the user's.
        throw new IllegalArgumentException("a dataset-frequency class balance needs the training set's counts;"
            + " resolve the loss with ClassFrequencies.resolve before computing weight maps");
      default:
        throw new IllegalArgumentException("unsupported class balance " + loss.classBalance());
    }
  }

  /** R: beyond d1 + d2 = R the border term is below NEGLIGIBLE * w0. */
  public static double cutoffDistance(double sigma) {
    return sigma * Math.sqrt(2 * Math.log(1 / NEGLIGIBLE));
  }

  private static void addBorderTerm(InstanceLabels cells, boolean[] term, int[] classes, double[] wc, double w0,
      double sigma, float[] out) {
    int width = cells.width();
    int height = cells.height();
    int[] labels = cells.array();
    int n = cells.cellCount();

    int[] minX = new int[n + 1];
    int[] maxX = new int[n + 1];
    int[] minY = new int[n + 1];
    int[] maxY = new int[n + 1];
    Arrays.fill(minX, Integer.MAX_VALUE);
    Arrays.fill(minY, Integer.MAX_VALUE);
    Arrays.fill(maxX, -1);
    Arrays.fill(maxY, -1);
    for (int y = 0, i = 0; y < height; y++) {
      for (int x = 0; x < width; x++, i++) {
        int k = labels[i];
        if (k != 0) {
          minX[k] = Math.min(minX[k], x);
          maxX[k] = Math.max(maxX[k], x);
          minY[k] = Math.min(minY[k], y);
          maxY[k] = Math.max(maxY[k], y);
        }
      }
    }

    double cutoff = cutoffDistance(sigma);
    // Squared distances are integers, so d <= R is d^2 <= floor(R^2); a pixel within R of a cell
    // is at most floor(R) rows and columns away from the cell's bounding box.
    int maxSquared = (int) Math.min(Integer.MAX_VALUE - 1, Math.floor(cutoff * cutoff));
    int margin = (int) Math.min(Math.max(width, height), Math.floor(cutoff));

    int maxWindow = 0;
    int maxWindowWidth = 0;
    for (int k = 1; k <= n; k++) {
      int ww = Math.min(width - 1, maxX[k] + margin) - Math.max(0, minX[k] - margin) + 1;
      int wh = Math.min(height - 1, maxY[k] + margin) - Math.max(0, minY[k] - margin) + 1;
      maxWindow = Math.max(maxWindow, ww * wh);
      maxWindowWidth = Math.max(maxWindowWidth, ww);
    }
    double[] columns = new double[maxWindow];
    double[] row = new double[maxWindowWidth];
    double[] envelope = new double[maxWindowWidth];
    int[] v = new int[maxWindowWidth];
    double[] z = new double[maxWindowWidth + 1];

    // The two smallest squared distances <= R^2 from each background pixel to cells.
    int[] nearest = new int[labels.length];
    int[] second = new int[labels.length];
    Arrays.fill(nearest, Integer.MAX_VALUE);
    Arrays.fill(second, Integer.MAX_VALUE);

    for (int k = 1; k <= n; k++) {
      int x0 = Math.max(0, minX[k] - margin);
      int x1 = Math.min(width - 1, maxX[k] + margin);
      int y0 = Math.max(0, minY[k] - margin);
      int y1 = Math.min(height - 1, maxY[k] + margin);
      int ww = x1 - x0 + 1;
      int wh = y1 - y0 + 1;
      columnDistances(labels, width, k, x0, y0, ww, wh, minX[k], maxX[k], columns);
      for (int wy = 0; wy < wh; wy++) {
        System.arraycopy(columns, wy * ww, row, 0, ww);
        DistanceTransform.lowerEnvelope(row, ww, envelope, v, z);
        int base = (y0 + wy) * width + x0;
        for (int wx = 0; wx < ww; wx++) {
          int p = base + wx;
          double squared = envelope[wx];
          if (term[p] && squared <= maxSquared) {
            int d = (int) squared;
            if (d < nearest[p]) {
              second[p] = nearest[p];
              nearest[p] = d;
            } else if (d < second[p]) {
              second[p] = d;
            }
          }
        }
      }
    }

    double[] root = new double[maxSquared + 1];
    for (int s = 0; s <= maxSquared; s++) {
      root[s] = Math.sqrt(s);
    }
    double scale = -1 / (2 * sigma * sigma);
    for (int p = 0; p < labels.length; p++) {
      if (term[p] && second[p] <= maxSquared) {
        double sum = root[nearest[p]] + root[second[p]];
        out[p] = (float) (wc[classes[p]] + w0 * Math.exp(sum * sum * scale));
      }
    }
  }

  /**
   * Squared vertical distance from each pixel of the window to the nearest pixel of cell k in its
   * column, row-major in {@code out}; +infinity in columns the cell does not reach. The window
   * holds the whole cell, so these are the exact column distances of the full image.
   */
  private static void columnDistances(int[] labels, int width, int k, int x0, int y0, int ww, int wh,
      int cellMinX, int cellMaxX, double[] out) {
    for (int wx = 0; wx < ww; wx++) {
      int x = x0 + wx;
      if (x < cellMinX || x > cellMaxX) {
        for (int wy = 0, o = wx; wy < wh; wy++, o += ww) {
          out[o] = Double.POSITIVE_INFINITY;
        }
        continue;
      }
      int last = -1;
      for (int wy = 0, o = wx, i = y0 * width + x; wy < wh; wy++, o += ww, i += width) {
        if (labels[i] == k) {
          last = wy;
          out[o] = 0;
        } else {
          out[o] = last < 0 ? Double.POSITIVE_INFINITY : (double) (wy - last) * (wy - last);
        }
      }
      int next = -1;
      for (int wy = wh - 1, o = wx + wy * ww, i = (y0 + wy) * width + x; wy >= 0; wy--, o -= ww, i -= width) {
        if (labels[i] == k) {
          next = wy;
        } else if (next >= 0) {
          out[o] = Math.min(out[o], (double) (next - wy) * (next - wy));
        }
      }
    }
  }
}
