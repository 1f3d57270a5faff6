package org.unet4j.labels;

import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Arrays;
import org.unet4j.dsl.model.Size3;

/**
 * 6-connected components of a volume (face neighbours only: x, y and z +-1), the 3D counterpart of
 * {@link ConnectedComponents}' 4-connectivity: two voxels that share only an edge or a corner are
 * apart, so the separation borders of {@link SeparationBorders3d}, one voxel thick, always keep
 * touching cells apart. Breadth-first flood fill, each voxel queued once: O(N).
 */
public final class ConnectedComponents3d {
  private ConnectedComponents3d() {}

  /**
   * Labels the 6-connected components of {@code mask} (z-major, {@code size.voxels()} values) 1..n
   * in raster order of their first voxel, writing 0 elsewhere into {@code labels}; returns n.
   */
  public static int label(boolean[] mask, Size3 size, int[] labels) {
    checkNotNull(mask, "mask");
    InstanceVolume.checkSize(mask.length, size);
    int[] key = new int[mask.length];
    for (int i = 0; i < key.length; i++) {
      key[i] = mask[i] ? 1 : 0;
    }
    return label(key, size, labels);
  }

  /**
   * Labels the 6-connected components of equal non-zero values of {@code key} (0 is background)
   * 1..n in raster order of their first voxel, writing 0 elsewhere into {@code labels}; returns n.
   */
  public static int label(int[] key, Size3 size, int[] labels) {
    checkNotNull(key, "key");
    checkNotNull(labels, "labels");
    InstanceVolume.checkSize(key.length, size);
    InstanceVolume.checkSize(labels.length, size);
    return flood(key, size.x(), size.y(), size.z(), labels);
  }

  /**
   * The breadth-first flood fill of both connectivities over the first {@code width * height *
   * depth} values: a plane's four edge neighbours, and the voxels above and below where depth
   * exceeds 1 (so a 2D image, depth 1, gets 4-connectivity). Each voxel is queued once.
   */
  static int flood(int[] key, int width, int height, int depth, int[] labels) {
    int plane = width * height;
    int n = plane * depth;
    int[] queue = new int[n];
    int count = 0;
    Arrays.fill(labels, 0, n, 0);
    for (int start = 0; start < n; start++) {
      int value = key[start];
      if (value == 0 || labels[start] != 0) {
        continue;
      }
      int label = ++count;
      int tail = 0;
      queue[tail++] = start;
      labels[start] = label;
      for (int head = 0; head < tail; head++) {
        int p = queue[head];
        int x = p % width;
        int inPlane = p % plane;
        if (x > 0) {
          tail = visit(key, labels, queue, tail, p - 1, value, label);
        }
        if (x < width - 1) {
          tail = visit(key, labels, queue, tail, p + 1, value, label);
        }
        if (inPlane >= width) {
          tail = visit(key, labels, queue, tail, p - width, value, label);
        }
        if (inPlane < plane - width) {
          tail = visit(key, labels, queue, tail, p + width, value, label);
        }
        if (p >= plane) {
          tail = visit(key, labels, queue, tail, p - plane, value, label);
        }
        if (p + plane < n) {
          tail = visit(key, labels, queue, tail, p + plane, value, label);
        }
      }
    }
    return count;
  }

  private static int visit(int[] key, int[] labels, int[] queue, int tail, int q, int value, int label) {
    if (key[q] == value && labels[q] == 0) {
      labels[q] = label;
      queue[tail++] = q;
    }
    return tail;
  }

  /** The 6-connected components of {@code mask} as instances, numbered in raster order. */
  public static InstanceVolume instances(boolean[] mask, Size3 size) {
    int[] labels = new int[mask.length];
    int n = label(mask, size, labels);
    return InstanceVolume.trusted(size, n, labels, new boolean[labels.length]);
  }

  /**
   * The 6-connected components of {@code mask} outside the {@code ignored} voxels, as instances
   * whose ignored voxels are not annotated ({@link InstanceVolume#ignored}): an object cut by
   * ignored voxels falls into pieces, each an instance of its own.
   */
  public static InstanceVolume instances(boolean[] mask, boolean[] ignored, Size3 size) {
    checkNotNull(mask, "mask");
    checkNotNull(ignored, "ignored");
    InstanceVolume.checkSize(mask.length, size);
    InstanceVolume.checkSize(ignored.length, size);
    boolean[] kept = new boolean[mask.length];
    for (int i = 0; i < kept.length; i++) {
      kept[i] = mask[i] && !ignored[i];
    }
    int[] labels = new int[kept.length];
    int n = label(kept, size, labels);
    return InstanceVolume.trusted(size, n, labels, ignored.clone());
  }
}
