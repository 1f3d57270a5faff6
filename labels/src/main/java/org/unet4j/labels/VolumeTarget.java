package org.unet4j.labels;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;
import org.unet4j.dsl.model.Size3;

/**
 * What training needs from one label volume, as {@link WeightedTarget} for an image: the class of
 * every voxel (0 background, separation borders and not annotated voxels included, 1 cell) and its
 * loss weight (0 where not annotated). Immutable, z-major.
 */
public final class VolumeTarget {
  private final Size3 size;
  private final byte[] classLabels;
  private final float[] weights;

  /** Wraps arrays that nobody else holds; not copied. */
  VolumeTarget(Size3 size, byte[] classLabels, float[] weights) {
    this.size = size;
    this.classLabels = classLabels;
    this.weights = weights;
  }

  /** A target from z-major class labels (0 or 1) and weights, both copied. */
  public static VolumeTarget of(Size3 size, byte[] classLabels, float[] weights) {
    checkNotNull(classLabels, "classLabels");
    checkNotNull(weights, "weights");
    InstanceVolume.checkSize(classLabels.length, size);
    checkArgument(weights.length == classLabels.length,
        "%s class labels but %s weights; expected one weight per voxel", classLabels.length, weights.length);
    for (byte c : classLabels) {
      checkArgument(c == 0 || c == 1, "class labels must be 0 (background) or 1 (cell), got %s", c);
    }
    return new VolumeTarget(size, classLabels.clone(), weights.clone());
  }

  public Size3 size() {
    return size;
  }

  /** A z-major copy of the class labels. */
  public byte[] classLabels() {
    return classLabels.clone();
  }

  /** A z-major copy of the weights. */
  public float[] weights() {
    return weights.clone();
  }

  /** The class of voxel (z, y, x). */
  public int classLabel(int z, int y, int x) {
    return classLabels[(z * size.y() + y) * size.x() + x];
  }

  /** The loss weight of voxel (z, y, x). */
  public float weight(int z, int y, int x) {
    return weights[(z * size.y() + y) * size.x() + x];
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof VolumeTarget other
        && size.equals(other.size)
        && Arrays.equals(classLabels, other.classLabels)
        && Arrays.equals(weights, other.weights);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * size.hashCode() + Arrays.hashCode(classLabels)) + Arrays.hashCode(weights);
  }

  @Override
  public String toString() {
    return "VolumeTarget[" + size + "]";
  }
}
