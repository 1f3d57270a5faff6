package org.unet4j.recipes.infer;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkElementIndex;
import static com.google.common.base.Preconditions.checkNotNull;

import org.unet4j.dsl.model.Size3;

/**
 * The class probabilities of every voxel of a volume (or of some of its planes), z-major and
 * channels-last like {@link org.unet4j.recipes.data.Volume}: class {@code k} at {@code (z, y, x)}
 * is {@code values[((z * size.y() + y) * size.x() + x) * classes + k]}. The array is shared, not
 * copied; treat it as read-only. The foreground is what it is for images ({@link ProbabilityMap}).
 *
 * @param size planes, rows and columns
 * @param classes the probabilities per voxel
 * @param values the probabilities
 */
public record VolumeProbabilities(Size3 size, int classes, float[] values) {

  public VolumeProbabilities {
    checkNotNull(size, "size");
    checkNotNull(values, "values");
    checkArgument(classes >= 1, "classes must be positive, got %s", classes);
    checkArgument(size.voxels() * classes == values.length, "a %s volume of %s classes has %s values, got %s", size,
        classes, size.voxels() * classes, values.length);
  }

  /** The probability of class {@code k} at {@code (z, y, x)}. */
  public float get(int z, int y, int x, int k) {
    checkElementIndex(z, size.z(), "z");
    checkElementIndex(y, size.y(), "y");
    checkElementIndex(x, size.x(), "x");
    checkElementIndex(k, classes, "class");
    return values[Math.toIntExact((((long) z * size.y() + y) * size.x() + x) * classes + k)];
  }

  /** Plane {@code z} as a probability map (a copy). */
  public ProbabilityMap plane(int z) {
    checkElementIndex(z, size.z(), "z");
    int plane = size.y() * size.x() * classes;
    float[] out = new float[plane];
    System.arraycopy(values, z * plane, out, 0, plane);
    return new ProbabilityMap(size.x(), size.y(), classes, out);
  }

  /** The foreground probability of every voxel, z-major (see {@link ProbabilityMap#foreground()}). */
  public float[] foreground() {
    float[] out = new float[Math.toIntExact(size.voxels())];
    int plane = size.y() * size.x();
    for (int z = 0; z < size.z(); z++) {
      System.arraycopy(plane(z).foreground(), 0, out, z * plane, plane);
    }
    return out;
  }
}
