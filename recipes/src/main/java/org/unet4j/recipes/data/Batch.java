package org.unet4j.recipes.data;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.function.IntFunction;
import org.unet4j.augment.Tile;

/**
 * One training step's input, row-major and channels-last: {@code size} image tiles of
 * {@code tile x tile x channels}, and for each the class labels and pixel weights of the net's
 * {@code output x output} output grid ({@link OutputGrid}).
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

  /**
   * A batch of {@code size} tiles cropped for {@code grid} ({@link OutputGrid#labelCrop()}), slot
   * {@code b} holding {@code slot.apply(b)}, with its targets on the grid.
   */
  public static Batch of(int size, OutputGrid grid, int channels, IntFunction<Tile> slot) {
    int tile = grid.tile();
    int output = grid.output();
    float[] images = new float[size * tile * tile * channels];
    int[] labels = new int[size * output * output];
    float[] weights = new float[labels.length];
    for (int b = 0; b < size; b++) {
      Tile t = slot.apply(b);
      System.arraycopy(t.image(), 0, images, b * tile * tile * channels, tile * tile * channels);
      System.arraycopy(grid.classes(t), 0, labels, b * output * output, output * output);
      System.arraycopy(grid.weights(t), 0, weights, b * output * output, output * output);
    }
    return new Batch(size, tile, channels, output, images, labels, weights);
  }
}
