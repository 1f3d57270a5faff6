package org.unet4j.augment;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.random.RandomGenerator;
import org.unet4j.dsl.model.Size3;

/**
 * The 3D U-Net's smooth dense deformation (Çiçek et al. 2016, Sec. 2.2), {@link ElasticField}
 * with one more axis: displacement vectors on a coarse {@code grid x grid x grid} lattice spanning
 * the tile, interpolated to every voxel by the tricubic Catmull-Rom spline (which passes through
 * the nodes, so a node's displacement has exactly the drawn deviation there). Node (i, j, k) sits
 * at voxel ({@code i (nz-1)/(grid-1)}, {@code j (ny-1)/(grid-1)}, {@code k (nx-1)/(grid-1)});
 * beyond the outer nodes the lattice repeats them. Displacements are in voxels of each axis, so an
 * anisotropic stack gets its per-axis deviations from {@link #random}'s {@code sigma} per axis.
 */
public final class ElasticField3d {
  private final int grid;
  private final Size3 size;
  // (grid+2)^3 nodes with a ring of repeated border nodes, one array per component (z, y, x).
  private final double[][] padded;
  private final double[] nodesPerVoxel;
  private final double[] centre;

  private ElasticField3d(int grid, Size3 size, double[][] nodes) {
    this.grid = grid;
    this.size = size;
    this.padded = new double[3][];
    for (int a = 0; a < 3; a++) {
      padded[a] = pad(nodes[a], grid);
    }
    int[] n = {size.z(), size.y(), size.x()};
    this.nodesPerVoxel = new double[3];
    this.centre = new double[3];
    for (int a = 0; a < 3; a++) {
      nodesPerVoxel[a] = n[a] > 1 ? (grid - 1) / (double) (n[a] - 1) : 0;
      centre[a] = (n[a] - 1) / 2.0;
    }
  }

  /**
   * A field whose node displacements are drawn from N(0, sigma_a^2) voxels along axis a (z, y, x),
   * node by node in z-major order, the z, y then x component of each.
   */
  public static ElasticField3d random(int grid, double sigmaZ, double sigmaY, double sigmaX, Size3 size,
      RandomGenerator random) {
    checkArgument(grid >= 2, "grid must have at least 2 nodes per axis, got %s", grid);
    checkArgument(size.z() > 0 && size.y() > 0 && size.x() > 0, "tile must be positive, got %s", size);
    double[] sigma = {sigmaZ, sigmaY, sigmaX};
    for (double s : sigma) {
      checkArgument(s >= 0 && Double.isFinite(s), "sigma must be finite and >= 0, got %s", s);
    }
    int count = grid * grid * grid;
    double[][] nodes = new double[3][count];
    for (int k = 0; k < count; k++) {
      for (int a = 0; a < 3; a++) {
        nodes[a][k] = sigma[a] * random.nextGaussian();
      }
    }
    return new ElasticField3d(grid, size, nodes);
  }

  /** A field with the given node displacements, {@code grid^3} per component (z, y, x), z-major. */
  public static ElasticField3d of(int grid, Size3 size, double[] dz, double[] dy, double[] dx) {
    checkArgument(grid >= 2, "grid must have at least 2 nodes per axis, got %s", grid);
    int count = grid * grid * grid;
    checkArgument(dz.length == count && dy.length == count && dx.length == count,
        "a %s^3 grid needs %s displacements per component", grid, count);
    return new ElasticField3d(grid, size, new double[][] {dz.clone(), dy.clone(), dx.clone()});
  }

  public int grid() {
    return grid;
  }

  public Size3 size() {
    return size;
  }

  /** The displacement (z, y, x) at tile voxel (z, y, x); fractional and outside positions allowed. */
  public double[] displacement(double z, double y, double x) {
    double[] p = {z - centre[0], y - centre[1], x - centre[2]};
    double[] before = p.clone();
    displaceCentred(p);
    return new double[] {p[0] - before[0], p[1] - before[1], p[2] - before[2]};
  }

  /** Adds the displacement at {@code p} (tile-centred, z, y, x) to {@code p}. */
  void displaceCentred(double[] p) {
    int[] index = new int[3];
    double[][] w = new double[3][4];
    for (int a = 0; a < 3; a++) {
      double g = clamp((p[a] + centre[a]) * nodesPerVoxel[a], grid - 1);
      int i = Math.min((int) g, grid - 2);
      double t = g - i;
      index[a] = i;
      w[a][0] = CubicKernel.w0(t);
      w[a][1] = CubicKernel.w1(t);
      w[a][2] = CubicKernel.w2(t);
      w[a][3] = CubicKernel.w3(t);
    }
    int stride = grid + 2;
    double dz = 0;
    double dy = 0;
    double dx = 0;
    // Node (i - 1, j - 1, k - 1) sits at (i, j, k) of the padded lattice.
    for (int a = 0; a < 4; a++) {
      for (int b = 0; b < 4; b++) {
        int row = ((index[0] + a) * stride + index[1] + b) * stride + index[2];
        double wab = w[0][a] * w[1][b];
        for (int c = 0; c < 4; c++) {
          double weight = wab * w[2][c];
          dz += weight * padded[0][row + c];
          dy += weight * padded[1][row + c];
          dx += weight * padded[2][row + c];
        }
      }
    }
    p[0] += dz;
    p[1] += dy;
    p[2] += dx;
  }

  private static double[] pad(double[] nodes, int grid) {
    int stride = grid + 2;
    double[] out = new double[stride * stride * stride];
    for (int i = 0; i < stride; i++) {
      int a = Math.min(Math.max(i - 1, 0), grid - 1);
      for (int j = 0; j < stride; j++) {
        int b = Math.min(Math.max(j - 1, 0), grid - 1);
        for (int k = 0; k < stride; k++) {
          int c = Math.min(Math.max(k - 1, 0), grid - 1);
          out[(i * stride + j) * stride + k] = nodes[(a * grid + b) * grid + c];
        }
      }
    }
    return out;
  }

  private static double clamp(double value, double max) {
    return value < 0 ? 0 : value > max ? max : value;
  }
}
