package org.unet4j.labels;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkElementIndex;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * An image of cell instances: 0 is background and 1..{@link #cellCount()} are the cells, every
 * number in that range used by at least one pixel. Immutable; pixels are stored row-major.
 *
 * <p>{@link #of} numbers the cells compactly and keeps their order: the smallest non-zero value of
 * the input becomes cell 1, the next one cell 2, and so on. A cell need not be connected; use
 * {@link LabelDecoder} to get cells from connected components.
 */
public final class InstanceLabels {
  private final int width;
  private final int height;
  private final int cellCount;
  private final int[] labels;

  private InstanceLabels(int width, int height, int cellCount, int[] labels) {
    this.width = width;
    this.height = height;
    this.cellCount = cellCount;
    this.labels = labels;
  }

  /**
   * Instance labels from a row-major array of {@code width * height} values >= 0 (0 background),
   * renumbered compactly in ascending order of value; the array is copied.
   *
   * @throws IllegalArgumentException for a size that does not match or a negative value
   */
  public static InstanceLabels of(int[] labels, int width, int height) {
    checkNotNull(labels, "labels");
    checkSize(labels.length, width, height);
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0) {
        throw new IllegalArgumentException("instance label " + labels[i] + " at (x=" + (i % width)
            + ", y=" + (i / width) + ") is negative; expected 0 for background and > 0 for cells");
      }
    }
    return compact(labels.clone(), width, height);
  }

  /** Renumbers {@code owned} (values >= 0, not shared with anyone) in place and wraps it. */
  static InstanceLabels compact(int[] owned, int width, int height) {
    int max = 0;
    for (int v : owned) {
      max = Math.max(max, v);
    }
    if (max == 0) {
      return new InstanceLabels(width, height, 0, owned);
    }
    if (max <= Math.max(1 << 16, 4L * owned.length)) {
      // Dense values (8/16-bit images): a lookup table.
      int[] next = new int[max + 1];
      for (int v : owned) {
        next[v] = 1;
      }
      next[0] = 0;
      int count = 0;
      for (int v = 1; v <= max; v++) {
        next[v] = next[v] == 0 ? 0 : ++count;
      }
      for (int i = 0; i < owned.length; i++) {
        owned[i] = next[owned[i]];
      }
      return new InstanceLabels(width, height, count, owned);
    }
    // Sparse large values: sorted distinct values and binary search.
    int[] distinct = Arrays.stream(owned).filter(v -> v != 0).distinct().sorted().toArray();
    for (int i = 0; i < owned.length; i++) {
      if (owned[i] != 0) {
        owned[i] = Arrays.binarySearch(distinct, owned[i]) + 1;
      }
    }
    return new InstanceLabels(width, height, distinct.length, owned);
  }

  /** Wraps an array that is already compact (every cell 1..cellCount used); not copied. */
  static InstanceLabels trusted(int[] owned, int width, int height, int cellCount) {
    return new InstanceLabels(width, height, cellCount, owned);
  }

  static void checkSize(int length, int width, int height) {
    checkArgument(width >= 1 && height >= 1, "image size must be at least 1x1, got %sx%s", width, height);
    checkArgument((long) width * height == length,
        "a %sx%s image has %s pixels but the array holds %s", width, height, (long) width * height, length);
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** The number of cells n; the labels are 1..n. */
  public int cellCount() {
    return cellCount;
  }

  /** The label of pixel (x, y): 0 background, 1..{@link #cellCount()} a cell. */
  public int label(int x, int y) {
    checkElementIndex(x, width, "x");
    checkElementIndex(y, height, "y");
    return labels[y * width + x];
  }

  /** A row-major copy of the labels. */
  public int[] toArray() {
    return labels.clone();
  }

  /** The row-major labels themselves, for this package's algorithms; never modify. */
  int[] array() {
    return labels;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof InstanceLabels other
        && width == other.width
        && height == other.height
        && Arrays.equals(labels, other.labels);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * width + height) + Arrays.hashCode(labels);
  }

  @Override
  public String toString() {
    return "InstanceLabels[" + width + "x" + height + ", " + cellCount + " cells]";
  }
}
