package org.unet4j.recipes.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.ArrayList;
import java.util.List;
import org.unet4j.dsl.model.Size3;

/**
 * A volume read plane by plane, so that a stack larger than memory can be predicted a slab of
 * planes at a time: a {@link Volume} in memory ({@link #of(Volume)}) or the pages of a TIFF stack
 * opened with {@link ImageFile} ({@link #of(ImageFile)}), which reads a page only when asked.
 * Samples are raw and float, as {@link Volume#read} gives them (a volume's normalisation sees its
 * samples as floats, in training and in prediction alike).
 *
 * <p>A source is not safe for use by several threads at once.
 */
public interface VolumeSource {
  /** Planes, rows and columns. */
  Size3 size();

  int channels();

  /** The pixel width and height and the plane spacing. */
  Calibration calibration();

  /**
   * Plane {@code z}: {@code size().y()} rows of {@code size().x()} pixels, channels-last.
   *
   * @throws ImageReadException when the file cannot be read
   */
  float[] plane(int z);

  /**
   * The planes stacked along y as one tall page (plane {@code z}'s row {@code y} is row
   * {@code z * size().y() + y}), read by bands: what whole-volume statistics
   * ({@link NormalizationStats#of(PageSource, org.unet4j.dsl.recipe.NormalizationSpec)}) read.
   */
  default PageSource stackedPlanes() {
    VolumeSource volume = this;
    Size3 size = size();
    checkArgument((long) size.z() * size.y() <= Integer.MAX_VALUE, "a volume of %s has too many rows to stack", size);
    return new PageSource() {
      @Override
      public int width() {
        return size.x();
      }

      @Override
      public int height() {
        return size.z() * size.y();
      }

      @Override
      public int channels() {
        return volume.channels();
      }

      @Override
      public PixelType type() {
        return PixelType.FLOAT32;
      }

      @Override
      public Image rows(int fromRow, int toRow) {
        PageSource.checkRows(fromRow, toRow, height());
        int row = size.x() * volume.channels();
        float[] out = new float[(toRow - fromRow) * row];
        for (int r = fromRow; r < toRow; ) {
          int z = r / size.y();
          int planeEnd = Math.min(toRow, (z + 1) * size.y());
          System.arraycopy(volume.plane(z), (r - z * size.y()) * row, out, (r - fromRow) * row, (planeEnd - r) * row);
          r = planeEnd;
        }
        return new Image(size.x(), toRow - fromRow, volume.channels(), PixelType.FLOAT32, out);
      }
    };
  }

  /** A volume in memory; a plane is a copy of its voxels. */
  static VolumeSource of(Volume volume) {
    checkNotNull(volume, "volume");
    return new VolumeSource() {
      @Override
      public Size3 size() {
        return volume.size();
      }

      @Override
      public int channels() {
        return volume.channels();
      }

      @Override
      public Calibration calibration() {
        return volume.calibration();
      }

      @Override
      public float[] plane(int z) {
        checkArgument(z >= 0 && z < volume.size().z(), "plane %s of a volume of %s", z, volume.size());
        int plane = volume.size().y() * volume.size().x() * volume.channels();
        float[] out = new float[plane];
        System.arraycopy(volume.voxels(), z * plane, out, 0, plane);
        return out;
      }
    };
  }

  /**
   * The pages of an open TIFF stack (a PNG is a volume of one plane) with the file's calibration
   * ({@link Calibration#read}); the file stays open as long as {@code file} does.
   *
   * @throws DataException when the pages differ in size or channels
   */
  static VolumeSource of(ImageFile file) {
    checkNotNull(file, "file");
    List<PageSource> pages = new ArrayList<>(file.pageCount());
    for (int page = 0; page < file.pageCount(); page++) {
      PageSource p = file.page(page);
      PageSource first = pages.isEmpty() ? p : pages.get(0);
      if (p.width() != first.width() || p.height() != first.height() || p.channels() != first.channels()) {
        throw new DataException(file.file() + ": page " + page + " is " + p.width() + "x" + p.height() + " with "
            + p.channels() + " channel(s) but page 0 is " + first.width() + "x" + first.height() + " with "
            + first.channels() + "; the pages of a volume have one size");
      }
      pages.add(p);
    }
    Size3 size = new Size3(pages.size(), pages.get(0).height(), pages.get(0).width());
    Calibration calibration = Calibration.read(file.file());
    return new VolumeSource() {
      @Override
      public Size3 size() {
        return size;
      }

      @Override
      public int channels() {
        return pages.get(0).channels();
      }

      @Override
      public Calibration calibration() {
        return calibration;
      }

      @Override
      public float[] plane(int z) {
        return pages.get(z).all().pixels();
      }
    };
  }
}
