package org.unet4j.labels;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkElementIndex;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;
import org.unet4j.dsl.InvalidInputException;
import org.unet4j.dsl.model.Size3;

/**
 * A volume of cell instances: 0 is background, 1..{@link #cellCount()} are the cells (numbered
 * compactly, as {@link InstanceLabels} numbers them), and voxels may be marked <em>ignored</em>:
 * not annotated. Immutable; voxel (z, y, x) is at {@code (z * height + y) * width + x}.
 *
 * <p>Ignored voxels are what sparse annotation leaves (Çiçek et al. 2016 annotate a few slices of
 * each volume): they get loss weight 0, so they neither teach nor punish the net, and count as
 * background for the distances of the weight map. A z-slice whose voxels are all ignored adds
 * nothing to the loss.
 */
public final class InstanceVolume {
  private final Size3 size;
  private final int cellCount;
  private final int[] labels;
  private final boolean[] ignored;
  private final long ignoredCount;

  private InstanceVolume(Size3 size, int cellCount, int[] labels, boolean[] ignored) {
    this.size = size;
    this.cellCount = cellCount;
    this.labels = labels;
    this.ignored = ignored;
    long count = 0;
    for (boolean i : ignored) {
      count += i ? 1 : 0;
    }
    this.ignoredCount = count;
  }

  /** Fully annotated instance labels (values >= 0); see {@link #of(int[], Size3, int)}. */
  public static InstanceVolume of(int[] labels, Size3 size) {
    return of(labels, size, -1);
  }

  /**
   * Instance labels from {@code size.voxels()} values, renumbered compactly in ascending order of
   * value; voxels whose value is {@code ignoreLabel} are ignored (a negative {@code ignoreLabel}:
   * none is). The array is copied.
   *
   * @throws InvalidInputException for a negative value that is not the ignore label
   * @throws IllegalArgumentException for an array that does not fit the size
   */
  public static InstanceVolume of(int[] labels, Size3 size, int ignoreLabel) {
    checkNotNull(labels, "labels");
    checkSize(labels.length, size);
    int[] owned = new int[labels.length];
    boolean[] ignored = new boolean[labels.length];
    for (int i = 0; i < labels.length; i++) {
      int v = labels[i];
      if (ignoreLabel >= 0 && v == ignoreLabel) {
        ignored[i] = true;
      } else if (v < 0) {
        throw negative(v, i, size, ignoreLabel);
      } else {
        owned[i] = v;
      }
    }
    InstanceLabels compact = InstanceLabels.compact(owned, size.x(), size.y() * size.z());
    return new InstanceVolume(size, compact.cellCount(), compact.array(), ignored);
  }

  /** The error for a negative label value {@code v} at index {@code i}. */
  static InvalidInputException negative(int v, int i, Size3 size, int ignoreLabel) {
    int x = i % size.x();
    int y = (i / size.x()) % size.y();
    int z = i / (size.x() * size.y());
    return new InvalidInputException("instance label " + v + " at (x=" + x + ", y=" + y + ", z=" + z
        + ") is negative; expected 0 for background and > 0 for cells"
        + (ignoreLabel >= 0 ? " or " + ignoreLabel + " for voxels that are not annotated" : ""));
  }

  /** Wraps arrays this package made (compact labels, ignored voxels 0); not copied. */
  static InstanceVolume trusted(Size3 size, int cellCount, int[] owned, boolean[] ignored) {
    return new InstanceVolume(size, cellCount, owned, ignored);
  }

  static void checkSize(int length, Size3 size) {
    checkNotNull(size, "size");
    checkArgument(size.z() >= 1 && size.y() >= 1 && size.x() >= 1, "volume size must be at least 1x1x1, got %s", size);
    checkArgument(size.voxels() == length, "a %s volume has %s voxels but the array holds %s", size, size.voxels(),
        length);
  }

  /** Depth, height and width in voxels. */
  public Size3 size() {
    return size;
  }

  /** The number of cells n; the labels are 1..n. */
  public int cellCount() {
    return cellCount;
  }

  /** The label of voxel (z, y, x): 0 background (or not annotated), 1..{@link #cellCount()} a cell. */
  public int label(int z, int y, int x) {
    return labels[index(z, y, x)];
  }

  /** Whether voxel (z, y, x) is not annotated. */
  public boolean ignored(int z, int y, int x) {
    return ignored[index(z, y, x)];
  }

  /** How many voxels are not annotated. */
  public long ignoredCount() {
    return ignoredCount;
  }

  /** A copy of the labels, z-major. */
  public int[] toArray() {
    return labels.clone();
  }

  /** A copy of which voxels are not annotated, z-major. */
  public boolean[] ignoredToArray() {
    return ignored.clone();
  }

  /** The labels themselves, for this package's algorithms; never modify. */
  int[] array() {
    return labels;
  }

  /** The ignored voxels themselves; never modify. */
  boolean[] ignoredArray() {
    return ignored;
  }

  private int index(int z, int y, int x) {
    checkElementIndex(z, size.z(), "z");
    checkElementIndex(y, size.y(), "y");
    checkElementIndex(x, size.x(), "x");
    return (z * size.y() + y) * size.x() + x;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof InstanceVolume other
        && size.equals(other.size)
        && Arrays.equals(labels, other.labels)
        && Arrays.equals(ignored, other.ignored);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * size.hashCode() + Arrays.hashCode(labels)) + Arrays.hashCode(ignored);
  }

  @Override
  public String toString() {
    return "InstanceVolume[" + size + ", " + cellCount + " cells" + (ignoredCount > 0 ? ", " + ignoredCount
        + " voxels not annotated" : "") + "]";
  }
}
