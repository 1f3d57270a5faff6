package org.unet4j.augment;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import org.unet4j.dsl.model.Size3;

/**
 * One augmented training tile of a volume: the input block the net reads and the centred crop of
 * class labels and weights its output covers, z-major (image channels last). Along each axis the
 * crop starts {@code (input - output) / 2} voxels in, rounded down, as {@link TileShape}'s does.
 */
public record VolumeTile(Size3 input, Size3 output, int channels, float[] image, int[] labels, float[] weights) {

  public VolumeTile {
    checkNotNull(input, "input");
    checkNotNull(output, "output");
    checkArgument(output.z() <= input.z() && output.y() <= input.y() && output.x() <= input.x(),
        "the label crop %s must fit in the input %s", output, input);
    checkArgument(image.length == input.voxels() * channels, "input %s with %s channels needs %s values, got %s",
        input, channels, input.voxels() * channels, image.length);
    checkArgument(labels.length == output.voxels() && weights.length == output.voxels(),
        "label crop %s needs %s labels and weights, got %s and %s", output, output.voxels(), labels.length,
        weights.length);
  }

  /** Where the label crop starts inside the input, per axis. */
  public Size3 cropStart() {
    return new Size3((input.z() - output.z()) / 2, (input.y() - output.y()) / 2, (input.x() - output.x()) / 2);
  }

  @Override
  public String toString() {
    return "VolumeTile[input " + input + "x" + channels + ", labels " + output + "]";
  }
}
