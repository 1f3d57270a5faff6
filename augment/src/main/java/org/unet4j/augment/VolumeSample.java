package org.unet4j.augment;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import org.unet4j.dsl.model.Size3;
import org.unet4j.dsl.model.VoxelSpacing;

/**
 * One training volume as plain z-major arrays, as {@link Sample} is one image: the voxels
 * ({@code z x y x x x channels}, channels last), the class label and loss weight of every voxel,
 * and the voxel spacing that the 3D augmentation respects.
 *
 * <p>The arrays are held, not copied; do not change them while the sample is in use.
 */
public record VolumeSample(Size3 size, int channels, VoxelSpacing spacing, float[] image, int[] labels,
    float[] weights) {

  public VolumeSample {
    checkNotNull(size, "size");
    checkNotNull(spacing, "spacing");
    checkArgument(size.z() > 0 && size.y() > 0 && size.x() > 0 && channels > 0,
        "sample size must be positive, got %s with %s channels", size, channels);
    checkArgument(image.length == size.voxels() * channels,
        "image of a %s sample with %s channels needs %s values, got %s", size, channels, size.voxels() * channels,
        image.length);
    checkArgument(labels.length == size.voxels(), "labels of a %s sample need %s values, got %s", size,
        size.voxels(), labels.length);
    checkArgument(weights.length == size.voxels(), "weights of a %s sample need %s values, got %s", size,
        size.voxels(), weights.length);
  }

  @Override
  public String toString() {
    return "VolumeSample[" + size + "x" + channels + ", spacing " + spacing + "]";
  }
}
