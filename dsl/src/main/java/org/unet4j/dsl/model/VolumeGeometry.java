package org.unet4j.dsl.model;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import org.jspecify.annotations.Nullable;
import org.unet4j.dsl.SpecException;

/**
 * The shape arithmetic of a 3D net ({@link ModelSpec#dimensions()} 3) on (z, y, x) inputs: the
 * {@link Geometry} of each axis, which are independent (a size is valid when it is valid along
 * every axis), put together where a quantity needs all three: output shapes, layers and FLOPs.
 *
 * <p>The 3D U-Net of Çiçek et al. 2016 ({@link UNet#cicek()}) takes 116x132x132 voxels (z, y, x)
 * to 28x44x44.
 */
public final class VolumeGeometry {
  private final ModelSpec model;
  private final Map<Axis, Geometry> axes = new EnumMap<>(Axis.class);

  VolumeGeometry(ModelSpec model) {
    this.model = model;
    for (Axis axis : Axis.values()) {
      axes.put(axis, model.geometry(axis));
    }
  }

  /** The arithmetic along one axis: valid sizes near a wish, the nearest ones, the period. */
  public Geometry along(Axis axis) {
    return axes.get(axis);
  }

  /** Whether {@code input} passes every layer along every axis. */
  public boolean isValidInput(Size3 input) {
    return whyInvalid(input) == null;
  }

  /**
   * Why {@code input} is not valid along its first failing axis (z, then y, then x), naming the
   * stage, the axis and the nearest valid sizes along it; null when it is valid.
   */
  public @Nullable SpecException whyInvalid(Size3 input) {
    for (Axis axis : Axis.values()) {
      SpecException invalid = along(axis).whyInvalid(input.along(axis));
      if (invalid != null) {
        return invalid;
      }
    }
    return null;
  }

  /** Throws {@link #whyInvalid}'s exception for an input that does not fit. */
  public void requireValid(Size3 input) {
    SpecException invalid = whyInvalid(input);
    if (invalid != null) {
      throw invalid;
    }
  }

  /**
   * The input a recipe's square tile stands for in a 3D net, whose recipes give the in-plane size
   * only: {@code tile} along y and x and, along z, the valid size nearest {@code tile} (the lower of
   * two as near).
   *
   * @throws SpecException when {@code tile} is not valid along y and x, or no size is valid along z
   */
  public Size3 inputForTile(int tile) {
    along(Axis.Y).requireValid(tile);
    List<Integer> z = along(Axis.Z).validInputsNear(tile);
    if (z.isEmpty()) {
      throw new SpecException("", "no input size up to " + Geometry.MAX_INPUT + " passes every layer along z");
    }
    int nearest = z.size() == 2 && z.get(1) - tile < tile - z.get(0) ? z.get(1) : z.get(0);
    return new Size3(nearest, tile, tile);
  }

  /**
   * The training block of a recipe's tile and z extent: {@code tile} along y and x and
   * {@code tileZ} along z, or {@link #inputForTile(int)} when {@code tileZ} is 0.
   *
   * @throws SpecException when the block is not valid, naming the stage, the axis and the nearest
   *     valid sizes along it
   */
  public Size3 inputForTile(int tile, int tileZ) {
    if (tileZ == 0) {
      return inputForTile(tile);
    }
    Size3 block = new Size3(tileZ, tile, tile);
    requireValid(block);
    return block;
  }

  /** The output size for a valid input; throws naming the stage and the axis otherwise. */
  public Size3 outputSize(Size3 input) {
    requireValid(input);
    return map(a -> along(a).outputSize(input.along(a)));
  }

  /** The smallest input along each axis. */
  public Size3 smallestValidInput() {
    return map(a -> along(a).smallestValidInput());
  }

  /** The context lost on each side along each axis; overlap-tile prediction mirrors this much. */
  public Size3 margin() {
    return map(a -> along(a).margin());
  }

  /** Output voxels per input voxel along each axis. */
  public Size3 outputStride() {
    return map(a -> along(a).outputStride());
  }

  /** The period of the valid sizes along each axis. */
  public Size3 period() {
    return map(a -> along(a).period());
  }

  /** The widest input window one output voxel depends on, along each axis. */
  public Size3 receptiveField() {
    return map(a -> along(a).receptiveField());
  }

  /** Every layer at {@code input}, batch 1; throws naming the stage and the axis if the size is invalid. */
  public List<LayerShape> layers(Size3 input) {
    requireValid(input);
    List<AxisLayer> z = along(Axis.Z).axisLayers(input.z());
    List<AxisLayer> y = along(Axis.Y).axisLayers(input.y());
    List<AxisLayer> x = along(Axis.X).axisLayers(input.x());
    List<LayerShape> layers = new ArrayList<>(z.size());
    for (int i = 0; i < z.size(); i++) {
      AxisLayer l = z.get(i);
      long points = (long) l.size() * y.get(i).size() * x.get(i).size();
      layers.add(new LayerShape(l.path(), l.kind(), l.size(), y.get(i).size(), x.get(i).size(), l.channels(),
          l.parameters(), 2 * l.macsPerPoint() * points));
    }
    return List.copyOf(layers);
  }

  /** Trainable parameters, which do not depend on the input size. */
  public long parameterCount() {
    return model.parameterCount();
  }

  /** Forward FLOPs (2 x multiply-adds of convolutions and up-convolutions) at {@code input}, batch 1. */
  public long forwardFlops(Size3 input) {
    return layers(input).stream().mapToLong(LayerShape::flops).sum();
  }

  private static Size3 map(ToIntFunction<Axis> f) {
    return new Size3(f.applyAsInt(Axis.Z), f.applyAsInt(Axis.Y), f.applyAsInt(Axis.X));
  }
}
