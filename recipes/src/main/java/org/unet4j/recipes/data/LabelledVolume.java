package org.unet4j.recipes.data;

import static com.google.common.base.Preconditions.checkNotNull;

import java.nio.file.Path;
import java.util.List;
import org.unet4j.dsl.InvalidInputException;
import org.unet4j.dsl.model.Size3;
import org.unet4j.dsl.model.VoxelSpacing;
import org.unet4j.dsl.recipe.LabelFormat;
import org.unet4j.labels.InstanceVolume;
import org.unet4j.labels.VolumeLabelDecoder;

/**
 * A volume and its annotation: instance labels of the same size, possibly with voxels that are not
 * annotated (sparse annotation, {@link InstanceVolume}). What a 3D training set is made of.
 */
public record LabelledVolume(Volume volume, InstanceVolume labels) {

  public LabelledVolume {
    checkNotNull(volume, "volume");
    checkNotNull(labels, "labels");
    if (!volume.size().equals(labels.size())) {
      throw new DataException("a volume of " + volume.size() + " needs labels of the same size, got "
          + labels.size() + " (sizes are z x y x x)");
    }
  }

  /**
   * A TIFF stack and its label stack, page by page; the labels decoded by {@code format} with
   * 6-connected components, and voxels labelled {@code ignoreLabel} not annotated (a negative
   * {@code ignoreLabel}: every voxel is annotated).
   *
   * @throws DataException when the stacks differ in size or a label value does not fit the format
   * @throws ImageReadException when a file cannot be read
   */
  public static LabelledVolume read(Path image, Path labels, LabelFormat format, int ignoreLabel) {
    checkNotNull(image, "image");
    checkNotNull(labels, "labels");
    checkNotNull(format, "format");
    Volume volume = Volume.read(image);
    List<Image> pages = ImageIo.readPages(labels);
    if (pages.size() != volume.size().z()) {
      throw new DataException(image + " has " + volume.size().z() + " pages but its labels " + labels + " have "
          + pages.size() + "; a volume's label stack has one page per plane");
    }
    Volume raw = Volume.of(pages, Calibration.NONE, labels.toString());
    if (!raw.size().equals(volume.size()) || raw.channels() != 1) {
      throw new DataException(labels + " is " + raw.size() + " with " + raw.channels() + " channel(s) but "
          + image + " is " + volume.size() + "; labels are one channel of the volume's size");
    }
    int[] values = new int[raw.voxels().length];
    for (int i = 0; i < values.length; i++) {
      values[i] = (int) raw.voxels()[i];
    }
    try {
      return new LabelledVolume(volume, VolumeLabelDecoder.decode(values, raw.size(), format, ignoreLabel));
    } catch (InvalidInputException e) {
      throw new DataException(labels + ": " + e.getMessage(), e);
    }
  }

  /**
   * A grey volume from z-major values (copied) and its instance labels: 0 background, cells > 0,
   * {@code ignoreLabel} not annotated (negative: every voxel is annotated).
   */
  public static LabelledVolume of(Size3 size, float[] voxels, int[] instances, VoxelSpacing spacing, int ignoreLabel) {
    return new LabelledVolume(Volume.gray(size, voxels.clone(), spacing), InstanceVolume.of(instances, size, ignoreLabel));
  }
}
