package org.unet4j.recipes.data;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * One training step's input, row-major and channels-last: {@code size} image tiles of
 * {@code tile x tile x channels}, and for each the class labels and pixel weights of the net's
 * {@code output x output} centre.
 */
public record Batch(int size, int tile, int channels, int output, float[] images, int[] labels, float[] weights) {

  public Batch {
    checkArgument(images.length == size * tile * tile * channels, "images: expected %s values, got %s",
        size * tile * tile * channels, images.length);
    checkArgument(labels.length == size * output * output, "labels: expected %s values, got %s",
        size * output * output, labels.length);
    checkArgument(weights.length == labels.length, "weights: expected %s values, got %s", labels.length,
        weights.length);
  }
}
