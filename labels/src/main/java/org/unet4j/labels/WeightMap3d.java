package org.unet4j.labels;

import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Arrays;
import org.unet4j.dsl.model.Size3;
import org.unet4j.dsl.model.VoxelSpacing;
import org.unet4j.dsl.recipe.WeightedCrossEntropyLoss;

/**
 * The paper's weight map (Sec. 3, eq. 2) for a volume,
 * <pre>  w(x) = w_c(x) + w0 * exp(-(d1(x) + d2(x))^2 / (2 sigma^2)),</pre>
 * with {@link WeightMap}'s conventions (border term on background only, class balance per volume,
 * nothing when fewer than two cells) and these for volumes:
 * <ul>
 *   <li><b>Distances</b> are exact Euclidean distances between voxel centres with the voxel
 *       spacing ({@link DistanceTransform3d}), measured in x voxels ({@link VoxelSpacing#inXVoxels}):
 *       sigma means what it means for the stack's planes, and in a stack with z spacing 4 two cells
 *       one plane apart are 4 (not 1) apart.
 *   <li><b>Separation borders</b> are {@link SeparationBorders3d}'s (26-neighbourhood).
 *   <li><b>Not annotated voxels</b> ({@link InstanceVolume#ignored}) get class 0 and weight 0, count
 *       as background for the distances and are left out of the class balance's counts; a volume
 *       annotated on a few slices trains on those slices alone, as Çiçek et al. train.
 * </ul>
 * As in 2D, each cell's distances are taken over its bounding box dilated by the cut-off R
 * ({@link WeightMap#cutoffDistance}), in voxels R / spacing along each axis, so the result is eq. 2
 * exactly where d1 + d2 <= R and the term is dropped (below 1e-6 w0) beyond.
 */
public final class WeightMap3d {
  private WeightMap3d() {}

  /** Separation borders, class labels and the eq. 2 weights of one volume. */
  public static VolumeTarget compute(InstanceVolume instances, WeightedCrossEntropyLoss loss, VoxelSpacing spacing) {
    checkNotNull(instances, "instances");
    checkNotNull(loss, "loss");
    checkNotNull(spacing, "spacing");
    InstanceVolume cells = SeparationBorders3d.separate(instances);
    int[] labels = cells.array();
    boolean[] ignored = cells.ignoredArray();
    long foreground = 0;
    long annotated = 0;
    for (int i = 0; i < labels.length; i++) {
      if (!ignored[i]) {
        annotated++;
        foreground += labels[i] != 0 ? 1 : 0;
      }
    }
    double[] wc = WeightMap.classWeights(annotated - foreground, foreground, loss);
    float[] weights = new float[labels.length];
    for (int i = 0; i < labels.length; i++) {
      weights[i] = (float) wc[labels[i] != 0 ? 1 : 0];
    }
    if (loss.w0() > 0 && cells.cellCount() >= 2) {
      addBorderTerm(cells, loss.w0(), loss.sigma(), wc[0], spacing.inXVoxels(), weights);
    }
    for (int i = 0; i < labels.length; i++) {
      if (ignored[i]) {
        weights[i] = 0;
      }
    }
    return new VolumeTarget(cells.size(), classLabels(cells), weights);
  }

  /**
   * The target without a weight map: separation borders, weight 1 on annotated voxels and 0 on
   * those that are not (for losses other than the weighted cross-entropy).
   */
  public static VolumeTarget unweighted(InstanceVolume instances) {
    checkNotNull(instances, "instances");
    InstanceVolume cells = SeparationBorders3d.separate(instances);
    boolean[] ignored = cells.ignoredArray();
    float[] weights = new float[ignored.length];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = ignored[i] ? 0 : 1;
    }
    return new VolumeTarget(cells.size(), classLabels(cells), weights);
  }

  private static byte[] classLabels(InstanceVolume cells) {
    int[] labels = cells.array();
    byte[] classes = new byte[labels.length];
    for (int i = 0; i < labels.length; i++) {
      classes[i] = labels[i] != 0 ? (byte) 1 : (byte) 0;
    }
    return classes;
  }

  private static void addBorderTerm(InstanceVolume cells, double w0, double sigma, double wcBackground,
      VoxelSpacing unit, float[] out) {
    Size3 size = cells.size();
    int[] labels = cells.array();
    int n = cells.cellCount();
    // Bounding boxes: [cell][axis] with axes z, y, x.
    int[][] min = new int[n + 1][3];
    int[][] max = new int[n + 1][3];
    for (int k = 1; k <= n; k++) {
      Arrays.fill(min[k], Integer.MAX_VALUE);
      Arrays.fill(max[k], -1);
    }
    for (int z = 0, i = 0; z < size.z(); z++) {
      for (int y = 0; y < size.y(); y++) {
        for (int x = 0; x < size.x(); x++, i++) {
          int k = labels[i];
          if (k != 0) {
            int[] at = {z, y, x};
            for (int a = 0; a < 3; a++) {
              min[k][a] = Math.min(min[k][a], at[a]);
              max[k][a] = Math.max(max[k][a], at[a]);
            }
          }
        }
      }
    }
    double cutoff = WeightMap.cutoffDistance(sigma);
    double cutoffSquared = cutoff * cutoff;
    int[] extent = {size.z(), size.y(), size.x()};
    double[] step = {unit.z(), unit.y(), unit.x()};
    double[] nearest = new double[labels.length];
    double[] second = new double[labels.length];
    Arrays.fill(nearest, Double.POSITIVE_INFINITY);
    Arrays.fill(second, Double.POSITIVE_INFINITY);
    for (int k = 1; k <= n; k++) {
      int[] lo = new int[3];
      int[] hi = new int[3];
      for (int a = 0; a < 3; a++) {
        int margin = (int) Math.min(extent[a], Math.floor(cutoff / step[a]));
        lo[a] = Math.max(0, min[k][a] - margin);
        hi[a] = Math.min(extent[a] - 1, max[k][a] + margin);
      }
      Size3 window = new Size3(hi[0] - lo[0] + 1, hi[1] - lo[1] + 1, hi[2] - lo[2] + 1);
      boolean[] cell = new boolean[(int) window.voxels()];
      for (int z = 0, w = 0; z < window.z(); z++) {
        for (int y = 0; y < window.y(); y++) {
          int row = ((lo[0] + z) * size.y() + lo[1] + y) * size.x() + lo[2];
          for (int x = 0; x < window.x(); x++, w++) {
            cell[w] = labels[row + x] == k;
          }
        }
      }
      double[] squared = DistanceTransform3d.squaredDistances(cell, window, unit);
      for (int z = 0, w = 0; z < window.z(); z++) {
        for (int y = 0; y < window.y(); y++) {
          int row = ((lo[0] + z) * size.y() + lo[1] + y) * size.x() + lo[2];
          for (int x = 0; x < window.x(); x++, w++) {
            int p = row + x;
            double d = squared[w];
            if (labels[p] == 0 && d <= cutoffSquared) {
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
    }
    double scale = -1 / (2 * sigma * sigma);
    for (int p = 0; p < labels.length; p++) {
      if (labels[p] == 0 && second[p] <= cutoffSquared) {
        double sum = Math.sqrt(nearest[p]) + Math.sqrt(second[p]);
        out[p] = (float) (wcBackground + w0 * Math.exp(sum * sum * scale));
      }
    }
  }
}
