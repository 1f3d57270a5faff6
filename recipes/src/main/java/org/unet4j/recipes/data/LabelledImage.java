package org.unet4j.recipes.data;

import org.unet4j.labels.InstanceLabels;

/**
 * An image and its annotation, in memory: what a user's own data source gives for training (see
 * {@code org.unet4j.recipes.train.TrainingData}). The labels are instances: 0 background, every
 * other value one cell, as the paper's weight map needs them to find touching cells.
 */
public record LabelledImage(Image image, InstanceLabels labels) {

  public LabelledImage {
    if (image.width() != labels.width() || image.height() != labels.height()) {
      throw new DataException("an image of " + image.width() + "x" + image.height() + " needs labels of"
          + " the same size, got " + labels.width() + "x" + labels.height());
    }
  }

  /**
   * A grey image from row-major values ({@code y * width + x}) and its instance labels (0 background,
   * 1..n cells), both {@code width x height}.
   */
  public static LabelledImage of(int width, int height, float[] pixels, int[] instances) {
    if (pixels.length != (long) width * height) {
      throw new DataException("a grey " + width + "x" + height + " image needs " + (long) width * height
          + " values, got " + pixels.length);
    }
    return new LabelledImage(Image.gray(width, height, PixelType.FLOAT32, pixels.clone()),
        InstanceLabels.of(instances, width, height));
  }
}
