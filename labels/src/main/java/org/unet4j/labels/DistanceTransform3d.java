package org.unet4j.labels;

import static com.google.common.base.Preconditions.checkNotNull;

import org.unet4j.dsl.model.Size3;
import org.unet4j.dsl.model.VoxelSpacing;

/**
 * The exact Euclidean distance transform of a binary volume with anisotropic voxels: for every
 * voxel the distance, in the spacing's unit, between its centre and the centre of the nearest
 * feature voxel, sqrt((sz dz)^2 + (sy dy)^2 + (sx dx)^2).
 *
 * <p>{@link DistanceTransform}'s method in three passes (Felzenszwalb and Huttenlocher 2012): the
 * squared distance is a sum over the axes, so it is separable, and each pass is the 1-D lower
 * envelope of the parabolas {@code s^2 (p - q)^2 + f(q)} along one axis, with that axis' spacing
 * s as the parabolas' width. O(N) time for N voxels, O(max side) extra memory.
 */
public final class DistanceTransform3d {
  private DistanceTransform3d() {}

  /**
   * Squared distance from each voxel to the nearest voxel where {@code features} is true (0 on a
   * feature), z-major; {@link Double#POSITIVE_INFINITY} everywhere when there is no feature.
   */
  public static double[] squaredDistances(boolean[] features, Size3 size, VoxelSpacing spacing) {
    checkNotNull(features, "features");
    checkNotNull(spacing, "spacing");
    InstanceVolume.checkSize(features.length, size);
    double[] out = new double[features.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = features[i] ? 0 : Double.POSITIVE_INFINITY;
    }
    int nx = size.x();
    int ny = size.y();
    int nz = size.z();
    int longest = Math.max(nx, Math.max(ny, nz));
    double[] line = new double[longest];
    double[] result = new double[longest];
    int[] v = new int[longest];
    double[] z = new double[longest + 1];
    // One pass per axis: every line of voxels along it, with the axis' stride.
    pass(out, nz, nx * ny, nx * ny, 1, 0, spacing.z(), line, result, v, z);
    for (int k = 0; k < nz; k++) {
      pass(out, ny, nx, nx, 1, k * nx * ny, spacing.y(), line, result, v, z);
    }
    pass(out, nx, 1, ny * nz, nx, 0, spacing.x(), line, result, v, z);
    return out;
  }

  /**
   * Transforms {@code lines} lines of {@code n} samples each; sample j of line l is at
   * {@code base + l * lineStride + j * stride}.
   */
  private static void pass(double[] values, int n, int stride, int lines, int lineStride, int base, double spacing,
      double[] line, double[] result, int[] v, double[] z) {
    for (int l = 0; l < lines; l++) {
      int start = base + l * lineStride;
      for (int j = 0, i = start; j < n; j++, i += stride) {
        line[j] = values[i];
      }
      DistanceTransform.lowerEnvelope(line, n, spacing * spacing, result, v, z);
      for (int j = 0, i = start; j < n; j++, i += stride) {
        values[i] = result[j];
      }
    }
  }
}
