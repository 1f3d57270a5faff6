package org.unet4j.labels;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * Traces the outer boundary of every object of a label image ({@link Outline}), as Fiji's wand
 * and ROI Manager show objects: a polygon along the pixel edges, for an ImageJ ROI set.
 *
 * <p>The tracer starts at the top-left corner of an object's first pixel in row order and walks
 * the boundary edges with the object on its right: straight on while the pixel ahead on the right
 * belongs to the object and the one ahead on the left does not, left when both do, right when the
 * one on the right does not. That follows edge neighbours only (4-connectivity, unet4j's cells):
 * a pixel that touches the object only at a corner is outside the polygon, so the filled polygon
 * covers exactly the object's pixels and its holes, and holes are not traced. An object made of
 * pieces that touch at most at corners gets the outline of its first piece. The walk visits each
 * boundary edge once: time in proportion to the image plus the boundaries.
 */
public final class Outlines {
  /** East, south, west, north: a right turn is the next direction, a left turn the previous one. */
  private static final int[] DX = {1, 0, -1, 0};
  private static final int[] DY = {0, 1, 0, -1};

  private Outlines() {}

  /** The outlines of {@code labels}' cells, in label order. */
  public static List<Outline> of(InstanceLabels labels) {
    checkNotNull(labels, "labels");
    return trace(labels.toArray(), labels.width(), labels.height());
  }

  /**
   * The outline of every label above 0 of a row-major {@code width x height} label array, in
   * ascending label order.
   *
   * @throws IllegalArgumentException when the array's size is not {@code width * height}
   */
  public static List<Outline> trace(int[] labels, int width, int height) {
    checkNotNull(labels, "labels");
    checkArgument(width >= 1 && height >= 1 && (long) width * height == labels.length,
        "a %sx%s label image has %s pixels, got %s", width, height, (long) width * height, labels.length);
    // The first pixel of each label in row order: the top-left corner of its top row.
    TreeMap<Integer, Integer> first = new TreeMap<>();
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] > 0) {
        first.putIfAbsent(labels[i], i);
      }
    }
    List<Outline> outlines = new ArrayList<>(first.size());
    first.forEach((label, start) -> outlines.add(walk(labels, width, height, label, start % width, start / width)));
    return outlines;
  }

  private static Outline walk(int[] labels, int width, int height, int label, int x0, int y0) {
    IntList xs = new IntList();
    IntList ys = new IntList();
    int x = x0;
    int y = y0;
    int d = 0;
    // The start is a corner: the boundary comes up the left side and leaves along the top.
    do {
      boolean right = inside(labels, width, height, label, aheadX(x, d, false), aheadY(y, d, false));
      boolean left = inside(labels, width, height, label, aheadX(x, d, true), aheadY(y, d, true));
      int next = !right ? (d + 1) % 4 : left ? (d + 3) % 4 : d;
      if (next != d || (x == x0 && y == y0)) {
        xs.add(x);
        ys.add(y);
      }
      d = next;
      x += DX[d];
      y += DY[d];
    } while (x != x0 || y != y0 || d != 3);
    return new Outline(label, xs.toArray(), ys.toArray());
  }

  /**
   * The pixel ahead of corner {@code (x, y)} on the left or right of direction {@code d}: the
   * corner's four pixels are {@code (x-1|x, y-1|y)}.
   */
  private static int aheadX(int x, int d, boolean left) {
    return switch (d) {
      case 0 -> x;
      case 1 -> left ? x : x - 1;
      case 2 -> x - 1;
      default -> left ? x - 1 : x;
    };
  }

  private static int aheadY(int y, int d, boolean left) {
    return switch (d) {
      case 0 -> left ? y - 1 : y;
      case 1 -> y;
      case 2 -> left ? y : y - 1;
      default -> y - 1;
    };
  }

  private static boolean inside(int[] labels, int width, int height, int label, int x, int y) {
    return x >= 0 && y >= 0 && x < width && y < height && labels[y * width + x] == label;
  }

  /** A growing int array, to keep a long boundary's corners without boxing them. */
  private static final class IntList {
    private int[] values = new int[16];
    private int size;

    void add(int v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    int[] toArray() {
      return Arrays.copyOf(values, size);
    }
  }
}
