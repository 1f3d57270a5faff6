package org.unet4j.augment;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.random.RandomGenerator;

/**
 * The paper's smooth random deformation (Sec. 3.1): displacement vectors on a coarse
 * {@code grid x grid} lattice spanning a tile, interpolated bicubically to every pixel.
 *
 * <p>Node (i, j) sits at pixel ({@code i * (height-1)/(grid-1)}, {@code j * (width-1)/(grid-1)}),
 * so the outer nodes lie on the tile's border pixels. Between nodes the field is the bicubic
 * Catmull-Rom spline (cubic convolution, a = -0.5), which <em>interpolates</em>: at a node the
 * displacement is exactly the drawn vector, so its standard deviation is the paper's sigma there.
 * (A cubic B-spline would smooth the nodes and shrink that deviation.) Beyond the outer nodes the
 * lattice is extended by repeating them, and points outside the tile (reached when a rotation
 * precedes the deformation) take the displacement of the nearest border point.
 *
 * <p>A displacement d at output pixel p means the pixel is taken from source point p + d.
 */
public final class ElasticField {
  private final int grid;
  private final int height;
  private final int width;
  // The nodes with a ring of repeated border nodes, (grid+2)^2, so evaluation needs no clamping.
  private final double[] paddedY;
  private final double[] paddedX;
  // Grid units per pixel and the tile centre, for evaluation in centred coordinates.
  private final double nodesPerPixelY;
  private final double nodesPerPixelX;
  private final double centreY;
  private final double centreX;

  private ElasticField(int grid, int height, int width, double[] dy, double[] dx) {
    this.grid = grid;
    this.height = height;
    this.width = width;
    this.paddedY = pad(dy, grid);
    this.paddedX = pad(dx, grid);
    this.nodesPerPixelY = height > 1 ? (grid - 1) / (double) (height - 1) : 0;
    this.nodesPerPixelX = width > 1 ? (grid - 1) / (double) (width - 1) : 0;
    this.centreY = (height - 1) / 2.0;
    this.centreX = (width - 1) / 2.0;
  }

  /**
   * A field whose node displacements are drawn independently from N(0, sigma^2) pixels per
   * component, row by row, the y then the x component of each node.
   */
  public static ElasticField random(int grid, double sigma, int height, int width, RandomGenerator random) {
    checkShape(grid, height, width);
    checkArgument(sigma >= 0 && Double.isFinite(sigma), "sigma must be finite and >= 0, got %s", sigma);
    int nodes = grid * grid;
    double[] dy = new double[nodes];
    double[] dx = new double[nodes];
    for (int k = 0; k < nodes; k++) {
      dy[k] = sigma * random.nextGaussian();
      dx[k] = sigma * random.nextGaussian();
    }
    return new ElasticField(grid, height, width, dy, dx);
  }

  /**
   * A field with the given node displacements ({@code grid * grid} values each, row-major).
   *
   * @throws IllegalArgumentException when the sizes do not fit
   */
  public static ElasticField of(int grid, int height, int width, double[] dy, double[] dx) {
    checkShape(grid, height, width);
    checkArgument(dy.length == grid * grid && dx.length == grid * grid,
        "a %sx%s grid needs %s displacements per component, got %s and %s",
        grid, grid, grid * grid, dy.length, dx.length);
    return new ElasticField(grid, height, width, dy.clone(), dx.clone());
  }

  private static void checkShape(int grid, int height, int width) {
    checkArgument(grid >= 2, "grid must have at least 2 nodes per axis, got %s", grid);
    checkArgument(height > 0 && width > 0, "tile must be positive, got %sx%s", height, width);
  }

  public int grid() {
    return grid;
  }

  public int height() {
    return height;
  }

  public int width() {
    return width;
  }

  /** The y displacement at tile pixel (y, x); fractional and outside positions allowed. */
  public double displacementY(double y, double x) {
    double[] p = {y - centreY, x - centreX};
    double y0 = p[0];
    displaceCentred(p);
    return p[0] - y0;
  }

  /** The x displacement at tile pixel (y, x); fractional and outside positions allowed. */
  public double displacementX(double y, double x) {
    double[] p = {y - centreY, x - centreX};
    double x0 = p[1];
    displaceCentred(p);
    return p[1] - x0;
  }

  /** Adds the displacement at {@code p} (tile-centred coordinates, y then x) to {@code p}. */
  void displaceCentred(double[] p) {
    double gy = clamp((p[0] + centreY) * nodesPerPixelY, grid - 1);
    double gx = clamp((p[1] + centreX) * nodesPerPixelX, grid - 1);
    int iy = Math.min((int) gy, grid - 2);
    int ix = Math.min((int) gx, grid - 2);
    double ty = gy - iy;
    double tx = gx - ix;
    double wy0 = CubicKernel.w0(ty);
    double wy1 = CubicKernel.w1(ty);
    double wy2 = CubicKernel.w2(ty);
    double wy3 = CubicKernel.w3(ty);
    double wx0 = CubicKernel.w0(tx);
    double wx1 = CubicKernel.w1(tx);
    double wx2 = CubicKernel.w2(tx);
    double wx3 = CubicKernel.w3(tx);
    // Node (iy - 1, ix - 1) sits at (iy, ix) of the padded lattice.
    int stride = grid + 2;
    int r0 = iy * stride + ix;
    int r1 = r0 + stride;
    int r2 = r1 + stride;
    int r3 = r2 + stride;
    double[] y = paddedY;
    double[] x = paddedX;
    p[0] += wy0 * (wx0 * y[r0] + wx1 * y[r0 + 1] + wx2 * y[r0 + 2] + wx3 * y[r0 + 3])
        + wy1 * (wx0 * y[r1] + wx1 * y[r1 + 1] + wx2 * y[r1 + 2] + wx3 * y[r1 + 3])
        + wy2 * (wx0 * y[r2] + wx1 * y[r2 + 1] + wx2 * y[r2 + 2] + wx3 * y[r2 + 3])
        + wy3 * (wx0 * y[r3] + wx1 * y[r3 + 1] + wx2 * y[r3 + 2] + wx3 * y[r3 + 3]);
    p[1] += wy0 * (wx0 * x[r0] + wx1 * x[r0 + 1] + wx2 * x[r0 + 2] + wx3 * x[r0 + 3])
        + wy1 * (wx0 * x[r1] + wx1 * x[r1 + 1] + wx2 * x[r1 + 2] + wx3 * x[r1 + 3])
        + wy2 * (wx0 * x[r2] + wx1 * x[r2 + 1] + wx2 * x[r2 + 2] + wx3 * x[r2 + 3])
        + wy3 * (wx0 * x[r3] + wx1 * x[r3 + 1] + wx2 * x[r3 + 2] + wx3 * x[r3 + 3]);
  }

  /** The lattice with each border node repeated once outwards. */
  private static double[] pad(double[] nodes, int grid) {
    int stride = grid + 2;
    double[] padded = new double[stride * stride];
    for (int i = 0; i < stride; i++) {
      int row = Math.min(Math.max(i - 1, 0), grid - 1);
      for (int j = 0; j < stride; j++) {
        int col = Math.min(Math.max(j - 1, 0), grid - 1);
        padded[i * stride + j] = nodes[row * grid + col];
      }
    }
    return padded;
  }

  private static double clamp(double value, double max) {
    return value < 0 ? 0 : value > max ? max : value;
  }
}
