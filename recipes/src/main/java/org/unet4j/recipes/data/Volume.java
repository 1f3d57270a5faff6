package org.unet4j.recipes.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.nio.file.Path;
import java.util.List;
import org.unet4j.dsl.model.Size3;
import org.unet4j.dsl.model.VoxelSpacing;

/**
 * A volume: voxel values of {@code size.z()} planes (not normalised), z-major and channels-last,
 * the sample of channel {@code c} at (z, y, x) at {@code ((z * size.y() + y) * size.x() + x) *
 * channels + c}, and its calibration (pixel width and height, and the plane spacing). A multi-page
 * TIFF is one volume, its pages the planes, when a recipe's net is 3D.
 *
 * <p>The voxel array is shared, not copied; treat it as read-only.
 */
public record Volume(Size3 size, int channels, float[] voxels, Calibration calibration) {

  public Volume {
    checkNotNull(size, "size");
    checkNotNull(voxels, "voxels");
    checkNotNull(calibration, "calibration");
    checkArgument(size.z() >= 1 && size.y() >= 1 && size.x() >= 1, "volume size must be at least 1x1x1, got %s", size);
    checkArgument(channels >= 1, "a volume has at least 1 channel, got %s", channels);
    checkArgument(size.voxels() * channels == voxels.length, "a %s volume with %s channel(s) has %s samples but the"
        + " array holds %s", size, channels, size.voxels() * channels, voxels.length);
  }

  /** A one-channel volume with the given voxel spacing (in an unnamed unit). */
  public static Volume gray(Size3 size, float[] voxels, VoxelSpacing spacing) {
    checkNotNull(spacing, "spacing");
    return new Volume(size, 1, voxels, new Calibration(spacing.x(), spacing.y(), spacing.z(), "unit"));
  }

  /**
   * The pages of a TIFF stack as a volume (a PNG is a volume of one plane), with the file's
   * calibration ({@link Calibration#read}): its z spacing is the ImageJ {@code spacing} or OME
   * {@code PhysicalSizeZ}, 1 where the file does not say.
   *
   * @throws DataException when the pages differ in size or channels
   * @throws ImageReadException when the file cannot be read
   */
  public static Volume read(Path file) {
    checkNotNull(file, "file");
    return of(ImageIo.readPages(file), Calibration.read(file), file.toString());
  }

  /**
   * Planes in order as a volume.
   *
   * @param origin names the planes in errors (a file)
   * @throws DataException when the planes differ in size or channels, or there are none
   */
  public static Volume of(List<Image> planes, Calibration calibration, String origin) {
    checkNotNull(planes, "planes");
    if (planes.isEmpty()) {
      throw new DataException(origin + " holds no planes; a volume needs at least one");
    }
    Image first = planes.get(0);
    int plane = first.width() * first.height() * first.channels();
    float[] voxels = new float[plane * planes.size()];
    for (int z = 0; z < planes.size(); z++) {
      Image page = planes.get(z);
      if (page.width() != first.width() || page.height() != first.height() || page.channels() != first.channels()) {
        throw new DataException(origin + ": page " + z + " is " + page.width() + "x" + page.height() + " with "
            + page.channels() + " channel(s) but page 0 is " + first.width() + "x" + first.height() + " with "
            + first.channels() + "; the pages of a volume have one size");
      }
      System.arraycopy(page.pixels(), 0, voxels, z * plane, plane);
    }
    return new Volume(new Size3(planes.size(), first.height(), first.width()), first.channels(), voxels, calibration);
  }

  /**
   * Writes a one-channel volume as a multi-page float TIFF, a page per plane, with ImageJ's
   * calibration (pixel size, unit and the plane spacing), so that Fiji opens it as a stack at its
   * scale. The file appears whole or not at all.
   *
   * @throws DataException for a volume of more than one channel
   */
  public void write(Path file) {
    checkNotNull(file, "file");
    if (channels != 1) {
      throw new DataException("a volume is written one channel per file, and this one has " + channels);
    }
    int plane = size.y() * size.x();
    try (StripTiffWriter writer = StripTiffWriter.create(file, calibration, TiffVariant.CLASSIC)) {
      for (int z = 0; z < size.z(); z++) {
        writer.beginPage(size.x(), size.y(), PixelType.FLOAT32);
        writer.writeRows(voxels, z * plane, size.y());
        writer.endPage();
      }
      writer.commit();
    }
  }

  /** The distance between voxel centres along z, y and x, from the calibration. */
  public VoxelSpacing spacing() {
    return new VoxelSpacing(calibration.pixelDepth(), calibration.pixelHeight(), calibration.pixelWidth());
  }

  /** The volume's voxels as one image of its planes stacked in y, for whole-volume statistics. */
  Image asImage() {
    return new Image(size.x(), size.y() * size.z(), channels, PixelType.FLOAT32, voxels);
  }

  @Override
  public String toString() {
    return "Volume[" + size + "x" + channels + ", spacing " + spacing() + " " + calibration.unit() + "]";
  }
}
