package org.unet4j.augment;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

/**
 * One augmented training tile: the image tile the net reads and the centred crop of class labels
 * and weights it is trained on, as row-major arrays (image channels last).
 *
 * <p>A tile owns its arrays and is meant to be changed in place by {@link Augmentation}s before it
 * is fed; its shape never changes.
 */
public final class Tile {
  private final TileShape shape;
  private final int channels;
  private final float[] image;
  private final int[] labels;
  private final float[] weights;

  /**
   * A tile over the given arrays.
   *
   * @throws IllegalArgumentException when an array does not have the length the shape needs
   */
  public Tile(TileShape shape, int channels, float[] image, int[] labels, float[] weights) {
    checkNotNull(shape, "shape");
    checkArgument(channels > 0, "channels must be positive, got %s", channels);
    long imagePixels = (long) shape.imageHeight() * shape.imageWidth();
    long labelPixels = (long) shape.labelHeight() * shape.labelWidth();
    checkArgument(image.length == imagePixels * channels,
        "image tile %sx%s with %s channels needs %s values, got %s",
        shape.imageHeight(), shape.imageWidth(), channels, imagePixels * channels, image.length);
    checkArgument(labels.length == labelPixels,
        "label crop %sx%s needs %s values, got %s",
        shape.labelHeight(), shape.labelWidth(), labelPixels, labels.length);
    checkArgument(weights.length == labelPixels,
        "weight crop %sx%s needs %s values, got %s",
        shape.labelHeight(), shape.labelWidth(), labelPixels, weights.length);
    this.shape = shape;
    this.channels = channels;
    this.image = image;
    this.labels = labels;
    this.weights = weights;
  }

  public TileShape shape() {
    return shape;
  }

  public int channels() {
    return channels;
  }

  public int imageHeight() {
    return shape.imageHeight();
  }

  public int imageWidth() {
    return shape.imageWidth();
  }

  public int labelHeight() {
    return shape.labelHeight();
  }

  public int labelWidth() {
    return shape.labelWidth();
  }

  /** The image tile: value {@code c} of pixel (y, x) at {@code (y * imageWidth + x) * channels + c}. */
  public float[] image() {
    return image;
  }

  /**
   * The class labels of the centred crop: label (i, j) at {@code i * labelWidth + j} belongs to
   * image pixel ({@code i + shape().labelTop()}, {@code j + shape().labelLeft()}).
   */
  public int[] labels() {
    return labels;
  }

  /** The loss weights of the centred crop, laid out like {@link #labels()}. */
  public float[] weights() {
    return weights;
  }

  @Override
  public String toString() {
    return "Tile[image " + imageHeight() + "x" + imageWidth() + "x" + channels
        + ", labels " + labelHeight() + "x" + labelWidth() + "]";
  }
}
