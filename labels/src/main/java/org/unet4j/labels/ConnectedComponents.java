package org.unet4j.labels;

import java.util.Arrays;

/**
 * 4-connected components (edge neighbours only), the connectivity of cells in unet4j's label
 * formats, its post-processing and the ISBI metrics. Breadth-first flood fill, each pixel queued
 * once: O(N).
 */
public final class ConnectedComponents {
  private ConnectedComponents() {}

  /**
   * Labels the 4-connected components of {@code mask} (row-major, {@code width * height}) 1..n in
   * raster order of their first pixel, writing 0 elsewhere into {@code labels}; returns n.
   */
  public static int label(boolean[] mask, int width, int height, int[] labels) {
    int[] key = new int[width * height];
    for (int i = 0; i < key.length; i++) {
      key[i] = mask[i] ? 1 : 0;
    }
    return label(key, width, height, labels);
  }

  /**
   * Labels the 4-connected components of equal non-zero values of {@code key} (0 is background)
   * 1..n in raster order of their first pixel, writing 0 elsewhere into {@code labels}; returns n.
   * Touching regions of different values are different components.
   */
  public static int label(int[] key, int width, int height, int[] labels) {
    int n = width * height;
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
        if (x > 0 && key[p - 1] == value && labels[p - 1] == 0) {
          labels[p - 1] = label;
          queue[tail++] = p - 1;
        }
        if (x < width - 1 && key[p + 1] == value && labels[p + 1] == 0) {
          labels[p + 1] = label;
          queue[tail++] = p + 1;
        }
        if (p >= width && key[p - width] == value && labels[p - width] == 0) {
          labels[p - width] = label;
          queue[tail++] = p - width;
        }
        if (p + width < n && key[p + width] == value && labels[p + width] == 0) {
          labels[p + width] = label;
          queue[tail++] = p + width;
        }
      }
    }
    return count;
  }
}
