package org.unet4j.dsl.geometry;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.ArrayList;
import java.util.List;
import org.unet4j.dsl.InvalidInputException;
import org.unet4j.dsl.model.Axis;
import org.unet4j.dsl.model.ModelSpec;
import org.unet4j.dsl.model.Size3;

/**
 * The overlap-tile layout of a 3D net ({@link ModelSpec#dimensions()} 3) at one (z, y, x) input
 * tile: a {@link Tiling} along each axis, which are independent (a net's axes pool and convolve
 * apart), so everything {@link Tiling} says about one axis holds along each: a volume is extended
 * by mirroring along z, y and x, tile {@code (i, j, k)} starts at {@code (i step_z, j step_y,
 * k step_x)} in the extended volume, every voxel is written by exactly one tile, and the tiled
 * prediction equals one pass of the net over the whole extended volume.
 *
 * <p>A <em>slab</em> is one row of tiles along z: the planes {@code [i step_z, (i + 1) step_z)}
 * that the tiles of z index {@code i} write, read from the planes {@code i step_z - context_z}
 * on, {@code tile_z} of them (mirrored where they lie outside the volume).
 *
 * @param z the layout along z
 * @param y the layout along y
 * @param x the layout along x
 */
public record VolumeTiling(Tiling z, Tiling y, Tiling x) {

  public VolumeTiling {
    checkNotNull(z, "z");
    checkNotNull(y, "y");
    checkNotNull(x, "x");
  }

  /**
   * The layout of {@code model} at input tile {@code tile}.
   *
   * @throws InvalidInputException when the tile is not valid along an axis (naming the axis, the
   *     stage and the nearest valid sizes) or too small for its tiles to step
   * @throws IllegalArgumentException for a 2D net
   */
  public static VolumeTiling of(ModelSpec model, Size3 tile) {
    checkNotNull(model, "model");
    checkNotNull(tile, "tile");
    checkArgument(model.dimensions() == 3, "a %sD net is tiled by Tiling", model.dimensions());
    return new VolumeTiling(Tiling.along(model, Axis.Z, tile.z()), Tiling.along(model, Axis.Y, tile.y()),
        Tiling.along(model, Axis.X, tile.x()));
  }

  /**
   * The layout of {@code model} for an inference spec's tiles: {@code tile} along y and x and
   * {@code tileZ} planes along z, or, for {@code tileZ} 0, the valid size along z nearest
   * {@code tile} ({@link org.unet4j.dsl.model.VolumeGeometry#inputForTile}).
   *
   * @throws InvalidInputException as {@link #of(ModelSpec, Size3)}
   */
  public static VolumeTiling of(ModelSpec model, int tile, int tileZ) {
    checkNotNull(model, "model");
    checkArgument(tileZ >= 0, "tileZ must be >= 0 (0: the valid size nearest the tile), got %s", tileZ);
    int z = tileZ > 0 ? tileZ : model.volumeGeometry().inputForTile(tile).z();
    return of(model, new Size3(z, tile, tile));
  }

  /** The input tile, z first. */
  public Size3 tile() {
    return new Size3(z.tile(), y.tile(), x.tile());
  }

  /** The net's output for one tile, z first. */
  public Size3 outputSize() {
    return new Size3(z.outputSize(), y.outputSize(), x.outputSize());
  }

  /** The distance between neighbouring tiles' origins, z first. */
  public Size3 step() {
    return new Size3(z.step(), y.step(), x.step());
  }

  /** The voxels mirrored before the first plane, row and column, z first. */
  public Size3 context() {
    return new Size3(z.context(), y.context(), x.context());
  }

  /** The layout along {@code axis}. */
  public Tiling along(Axis axis) {
    return switch (axis) {
      case Z -> z;
      case Y -> y;
      case X -> x;
    };
  }

  /** Tiles for a volume of {@code size}. */
  public long tileCount(Size3 size) {
    return (long) z.tilesAlong(size.z()) * y.tilesAlong(size.y()) * x.tilesAlong(size.x());
  }

  /** Slabs (rows of tiles along z) for a volume of {@code planes} planes. */
  public int slabs(int planes) {
    return z.tilesAlong(planes);
  }

  /**
   * Where a volume of {@code planes} planes is cut into ranges of {@code slabsPerRange} whole slabs
   * (the last range what is left): {@code 0, r step_z, 2 r step_z, ..., planes}. Ranges cut at
   * slab borders share no tiles, so predicting them apart costs what predicting the volume costs
   * (without test-time augmentation; with it, the copies mirrored along z count their slabs from
   * the last plane, and a cut costs up to a round of tiles twice).
   */
  public List<Integer> slabBoundaries(int planes, int slabsPerRange) {
    checkArgument(planes >= 1 && slabsPerRange >= 1, "planes and slabsPerRange must be positive, got %s and %s",
        planes, slabsPerRange);
    List<Integer> boundaries = new ArrayList<>();
    for (long from = 0; from < planes; from += (long) slabsPerRange * z.step()) {
      boundaries.add((int) from);
    }
    boundaries.add(planes);
    return List.copyOf(boundaries);
  }

  /** The mirror-extended size of a volume of {@code size}: a valid input of the net along every axis. */
  public Size3 extendedSize(Size3 size) {
    return new Size3(z.extendedSize(size.z()), y.extendedSize(size.y()), x.extendedSize(size.x()));
  }
}
