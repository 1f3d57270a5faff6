package org.unet4j.recipes.eval;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.unet4j.dsl.model.Size3;
import org.unet4j.recipes.data.DataException;

/**
 * A cell-probability volume, z-major (voxel (z, y, x) at {@code (z * size.y() + y) * size.x() + x}):
 * the prediction the volume metrics threshold, a voxel being cell iff {@code value > th}
 * (strictly), as {@link CellProbabilities} is for an image. The array is shared, not copied; treat
 * it as read-only.
 */
public record VolumeProbabilities(Size3 size, float[] values) {

  public VolumeProbabilities {
    checkNotNull(size, "size");
    checkNotNull(values, "values");
    checkArgument(size.z() >= 1 && size.y() >= 1 && size.x() >= 1, "volume size must be at least 1x1x1, got %s",
        size);
    checkArgument(size.voxels() == values.length, "a %s volume has %s voxels but the array holds %s", size,
        size.voxels(), values.length);
    for (int i = 0; i < values.length; i++) {
      if (Float.isNaN(values[i])) {
        int plane = size.x() * size.y();
        throw new DataException("the probability at (x=" + i % size.x() + ", y=" + i % plane / size.x() + ", z="
            + i / plane + ") is NaN; a prediction that holds NaN cannot be thresholded (did the model diverge?)");
      }
    }
  }

  /**
   * The planes of a stack, in order, as one volume (z = the page number from 0).
   *
   * @throws DataException when the planes differ in size
   */
  public static VolumeProbabilities of(List<CellProbabilities> planes) {
    checkNotNull(planes, "planes");
    checkArgument(!planes.isEmpty(), "a volume has at least one plane");
    CellProbabilities first = planes.get(0);
    int plane = first.width() * first.height();
    float[] values = new float[plane * planes.size()];
    for (int z = 0; z < planes.size(); z++) {
      CellProbabilities p = planes.get(z);
      requireSameSize(z, p.width(), p.height(), first.width(), first.height());
      System.arraycopy(p.values(), 0, values, z * plane, plane);
    }
    return new VolumeProbabilities(new Size3(planes.size(), first.height(), first.width()), values);
  }

  /** The cell mask at {@code threshold}: {@code value > threshold}, compared in double. */
  public boolean[] cells(double threshold) {
    return CellProbabilities.above(values, threshold);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof VolumeProbabilities other && size.equals(other.size) && Arrays.equals(values, other.values);
  }

  @Override
  public int hashCode() {
    return 31 * size.hashCode() + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "VolumeProbabilities[" + size + "]";
  }

  /**
   * Refuses plane {@code z} of a stack when it is not the size of plane 0: the planes of a volume
   * have one size, whatever they hold (probabilities, class maps).
   *
   * @throws DataException naming the plane and both sizes
   */
  static void requireSameSize(int z, int width, int height, int firstWidth, int firstHeight) {
    if (width != firstWidth || height != firstHeight) {
      throw new DataException("plane " + z + " is " + width + "x" + height + " but plane 0 is " + firstWidth + "x"
          + firstHeight + "; the planes of a volume have one size");
    }
  }
}
