package org.unet4j.labels;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkElementIndex;
import static com.google.common.base.Preconditions.checkNotNull;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * What training needs from one label image: the class of every pixel (for the instance formats 0
 * background, 1 cell, with separation borders as background; 0..K-1 for K classes;
 * {@link ClassLabels#IGNORED} where the labels are ignored) and its loss weight w(x) from eq. 2.
 * Immutable, row-major.
 */
public final class WeightedTarget {
  private final int width;
  private final int height;
  private final byte[] classLabels;
  private final float[] weights;

  /** Wraps arrays that nobody else holds; not copied. */
  WeightedTarget(int width, int height, byte[] classLabels, float[] weights) {
    this.width = width;
    this.height = height;
    this.classLabels = classLabels;
    this.weights = weights;
  }

  /** A target from row-major class labels (0..126 or {@link ClassLabels#IGNORED}) and weights, both copied. */
  public static WeightedTarget of(int width, int height, byte[] classLabels, float[] weights) {
    checkNotNull(classLabels, "classLabels");
    checkNotNull(weights, "weights");
    InstanceLabels.checkSize(classLabels.length, width, height);
    checkArgument(weights.length == classLabels.length,
        "%s class labels but %s weights; expected one weight per pixel", classLabels.length, weights.length);
    for (byte c : classLabels) {
      checkArgument(c >= ClassLabels.IGNORED, "class labels must be 0..126 or %s (ignored), got %s",
          ClassLabels.IGNORED, c);
    }
    return new WeightedTarget(width, height, classLabels.clone(), weights.clone());
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** The class of pixel (x, y): 0 background (separation borders included), 1 cell, ...; -1 ignored. */
  public int classLabel(int x, int y) {
    return classLabels[index(x, y)];
  }

  /** The loss weight w(x) of pixel (x, y). */
  public float weight(int x, int y) {
    return weights[index(x, y)];
  }

  /** A row-major copy of the class labels. */
  public byte[] classLabels() {
    return classLabels.clone();
  }

  /** A row-major copy of the weights. */
  public float[] weights() {
    return weights.clone();
  }

  /** A read-only row-major view of the class labels, without copying. */
  public ByteBuffer classLabelBuffer() {
    return ByteBuffer.wrap(classLabels).asReadOnlyBuffer();
  }

  /** A read-only row-major view of the weights, without copying. */
  public FloatBuffer weightBuffer() {
    return FloatBuffer.wrap(weights).asReadOnlyBuffer();
  }

  /** Bytes held by the arrays, for bounding caches. */
  long byteSize() {
    return classLabels.length + 4L * weights.length;
  }

  byte[] classLabelArray() {
    return classLabels;
  }

  float[] weightArray() {
    return weights;
  }

  private int index(int x, int y) {
    checkElementIndex(x, width, "x");
    checkElementIndex(y, height, "y");
    return y * width + x;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof WeightedTarget other
        && width == other.width
        && height == other.height
        && Arrays.equals(classLabels, other.classLabels)
        && Arrays.equals(weights, other.weights);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * (31 * width + height) + Arrays.hashCode(classLabels)) + Arrays.hashCode(weights);
  }

  @Override
  public String toString() {
    return "WeightedTarget[" + width + "x" + height + "]";
  }
}
