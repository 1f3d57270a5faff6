package org.unet4j.dsl.model;

/**
 * A size of a 3D net's input or output in voxels along z, y and x, written {@code z x y x x}
 * ({@code 116x132x132}) with z first as in image stacks. Sizes are not checked here: the geometry
 * says which inputs a net takes and why others do not.
 */
public record Size3(int z, int y, int x) {

  /** The same size along every axis. */
  public static Size3 cube(int size) {
    return new Size3(size, size, size);
  }

  /** The size along {@code axis}. */
  public int along(Axis axis) {
    return switch (axis) {
      case Z -> z;
      case Y -> y;
      case X -> x;
    };
  }

  /** Voxels in the box. */
  public long voxels() {
    return (long) z * y * x;
  }

  @Override
  public String toString() {
    return z + "x" + y + "x" + x;
  }
}
