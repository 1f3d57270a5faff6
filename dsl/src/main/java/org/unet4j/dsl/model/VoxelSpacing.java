package org.unet4j.dsl.model;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * The distance between neighbouring voxel centres along z, y and x, in one physical unit (the
 * stack's calibration: pixel height and width, and the spacing of its pages), z first as in
 * {@link Size3}. Confocal and EM stacks are often anisotropic: z several times x.
 *
 * <p>The volume tools measure lengths in x voxels ({@link #inXVoxels()}), so that a weight map's
 * sigma or an elastic deformation's sigma means in a volume what it means in an image of its
 * planes, and only the ratios of the spacings matter.
 */
public record VoxelSpacing(double z, double y, double x) {
  /** Cubic voxels. */
  public static final VoxelSpacing ISOTROPIC = new VoxelSpacing(1, 1, 1);

  public VoxelSpacing {
    checkArgument(positive(z) && positive(y) && positive(x),
        "voxel spacing must be positive and finite along every axis, got z %s, y %s, x %s", z, y, x);
  }

  /** The spacing along {@code axis}. */
  public double along(Axis axis) {
    return switch (axis) {
      case Z -> z;
      case Y -> y;
      case X -> x;
    };
  }

  /** The same spacing with x as the unit: (z / x, y / x, 1). */
  public VoxelSpacing inXVoxels() {
    return new VoxelSpacing(z / x, y / x, 1);
  }

  /** Whether all three spacings are equal. */
  public boolean isotropic() {
    return z == y && y == x;
  }

  /** Whether y and x spacings are equal, so that quarter turns about z keep the voxel shape. */
  public boolean squareInPlane() {
    return y == x;
  }

  private static boolean positive(double v) {
    return v > 0 && Double.isFinite(v);
  }

  @Override
  public String toString() {
    return z + "x" + y + "x" + x;
  }
}
