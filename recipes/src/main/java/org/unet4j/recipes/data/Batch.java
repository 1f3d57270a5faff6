package org.unet4j.recipes.data;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.function.IntFunction;
import org.unet4j.augment.Tile;
import org.unet4j.augment.VolumeTile;
import org.unet4j.dsl.model.Size3;

/**
 * One training step's input, row-major and channels-last: {@code size} image tiles of
 * {@code tile x tile x channels}, and for each the class labels and pixel weights of the net's
 * {@code output x output} output grid ({@link OutputGrid}). A batch of volume tiles (a 3D net's)
 * has a depth as well: {@code size} blocks of {@code tileDepth x tile x tile x channels} voxels,
 * z-major, and labels and weights of {@code outputDepth x output x output}; an image batch has
 * depth 0.
 */
public record Batch(int size, int tile, int channels, int output, float[] images, int[] labels, float[] weights,
    int tileDepth, int outputDepth) {

  public Batch {
    checkArgument((tileDepth == 0) == (outputDepth == 0) && tileDepth >= 0 && outputDepth >= 0,
        "depths: both 0 (images) or both positive (volumes), got %s and %s", tileDepth, outputDepth);
    long inputs = (long) size * Math.max(1, tileDepth) * tile * tile * channels;
    long outputs = (long) size * Math.max(1, outputDepth) * output * output;
    checkArgument(images.length == inputs, "images: expected %s values, got %s", inputs, images.length);
    checkArgument(labels.length == outputs, "labels: expected %s values, got %s", outputs, labels.length);
    checkArgument(weights.length == labels.length, "weights: expected %s values, got %s", labels.length,
        weights.length);
  }

  /** A batch of image tiles. */
  public Batch(int size, int tile, int channels, int output, float[] images, int[] labels, float[] weights) {
    this(size, tile, channels, output, images, labels, weights, 0, 0);
  }

  /** Whether the tiles are volumes (a 3D net's). */
  public boolean volumes() {
    return tileDepth > 0;
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

  /**
   * A batch of {@code size} volume tiles of {@code input} voxels (square in y and x) with label
   * crops of {@code output}, slot {@code b} holding {@code slot.apply(b)}.
   */
  public static Batch ofVolumes(int size, Size3 input, Size3 output, int channels, IntFunction<VolumeTile> slot) {
    checkArgument(input.y() == input.x() && output.y() == output.x(),
        "volume tiles are square in y and x, got input %s and output %s", input, output);
    int in = (int) input.voxels() * channels;
    int out = (int) output.voxels();
    float[] images = new float[size * in];
    int[] labels = new int[size * out];
    float[] weights = new float[labels.length];
    for (int b = 0; b < size; b++) {
      VolumeTile t = slot.apply(b);
      checkArgument(t.input().equals(input) && t.output().equals(output) && t.channels() == channels,
          "slot %s holds a tile %s, expected input %s with %s channels and labels %s", b, t, input, channels, output);
      System.arraycopy(t.image(), 0, images, b * in, in);
      System.arraycopy(t.labels(), 0, labels, b * out, out);
      System.arraycopy(t.weights(), 0, weights, b * out, out);
    }
    return new Batch(size, input.y(), channels, output.y(), images, labels, weights, input.z(), output.z());
  }
}
