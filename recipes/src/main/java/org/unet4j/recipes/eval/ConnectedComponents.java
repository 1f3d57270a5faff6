package org.unet4j.recipes.eval;

import java.util.Arrays;

/**
 * 4-connected components of a binary image (edge neighbours only), the connectivity every ISBI
 * metric uses for cells. Breadth-first flood fill, each pixel queued once: O(N).
 */
final class ConnectedComponents {
  private ConnectedComponents() {}

  /**
   * Labels the 4-connected components of {@code mask} (row-major, {@code width * height}) 1..n in
   * raster order of their first pixel, writing 0 elsewhere into {@code labels}; returns n.
   */
  static int label(boolean[] mask, int width, int height, int[] labels) {
    int n = width * height;
    int[] queue = new int[n];
    int count = 0;
    Arrays.fill(labels, 0, n, 0);
    for (int start = 0; start < n; start++) {
      if (!mask[start] || labels[start] != 0) {
        continue;
      }
      int label = ++count;
      int head = 0;
      int tail = 0;
      queue[tail++] = start;
      labels[start] = label;
      while (head < tail) {
        int p = queue[head++];
        int x = p % width;
        if (x > 0 && mask[p - 1] && labels[p - 1] == 0) {
          labels[p - 1] = label;
          queue[tail++] = p - 1;
        }
        if (x < width - 1 && mask[p + 1] && labels[p + 1] == 0) {
          labels[p + 1] = label;
          queue[tail++] = p + 1;
        }
        if (p >= width && mask[p - width] && labels[p - width] == 0) {
          labels[p - width] = label;
          queue[tail++] = p - width;
        }
        if (p + width < n && mask[p + width] && labels[p + width] == 0) {
          labels[p + width] = label;
          queue[tail++] = p + width;
        }
      }
    }
    return count;
  }
}
