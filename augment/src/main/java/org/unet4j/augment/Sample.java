package org.unet4j.augment;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Arrays;

/**
 * One training example as plain row-major arrays: the image ({@code height x width x channels},
 * channels last), the class label of every pixel and its loss weight ({@code height x width}).
 *
 * <p>The arrays are held, not copied, so that large images are not duplicated; do not change them
 * while the sample is in use. A sample can be shared by any number of threads that only read it.
 */
public final class Sample {
  private final int height;
  private final int width;
  private final int channels;
  private final float[] image;
  private final int[] labels;
  private final float[] weights;

  /**
   * A sample over the given arrays.
   *
   * @throws IllegalArgumentException when a size is not positive or an array has the wrong length
   */
  public Sample(int height, int width, int channels, float[] image, int[] labels, float[] weights) {
    checkArgument(height > 0 && width > 0 && channels > 0,
        "sample size must be positive, got %sx%s with %s channels", height, width, channels);
    long pixels = (long) height * width;
    checkArgument(image.length == pixels * channels,
        "image of a %sx%s sample with %s channels needs %s values, got %s",
        height, width, channels, pixels * channels, image.length);
    checkArgument(labels.length == pixels,
        "labels of a %sx%s sample need %s values, got %s", height, width, pixels, labels.length);
    checkArgument(weights.length == pixels,
        "weights of a %sx%s sample need %s values, got %s", height, width, pixels, weights.length);
    this.height = height;
    this.width = width;
    this.channels = channels;
    this.image = image;
    this.labels = labels;
    this.weights = weights;
  }

  /** A sample whose every pixel has weight 1 (no weight map). */
  public static Sample unweighted(int height, int width, int channels, float[] image, int[] labels) {
    float[] ones = new float[Math.max(0, height) * Math.max(0, width)];
    Arrays.fill(ones, 1f);
    return new Sample(height, width, channels, image, labels, ones);
  }

  public int height() {
    return height;
  }

  public int width() {
    return width;
  }

  public int channels() {
    return channels;
  }

  /** The image, row-major, channels last: value {@code c} of pixel (y, x) is at {@code (y * width + x) * channels + c}. */
  public float[] image() {
    return image;
  }

  /** The class label of pixel (y, x) at {@code y * width + x}. */
  public int[] labels() {
    return labels;
  }

  /** The loss weight of pixel (y, x) at {@code y * width + x}. */
  public float[] weights() {
    return weights;
  }

  @Override
  public String toString() {
    return "Sample[" + height + "x" + width + "x" + channels + "]";
  }
}
