package org.unet4j.recipes.infer;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Arrays;
import org.unet4j.labels.DistanceTransform;

/**
 * Watershed seeds from an object's shape: the h-maxima of its distance transform. Two round nuclei
 * that touch make one component shaped like an 8, whose distance to the background has a maximum
 * in each nucleus and a saddle at the neck; the net may see no border there (its probability stays
 * near 1 across the neck), but the shape does.
 *
 * <p>The distance of an object pixel is the Euclidean distance to the nearest pixel outside the
 * object (the crop's frame counts as outside, so an object cut by the image edge is measured to
 * the edge). A regional maximum is a seed when it rises at least {@code depth} pixels above the
 * highest saddle that joins it to a higher maximum (its <i>dynamic</i>; the highest maximum always
 * is one); its seed is the connected part of the object above {@code peak - depth} around it, the
 * regional maximum of the h-maxima transform (Soille, <i>Morphological Image Analysis</i>, Sec.
 * 6.3.4). A neck narrower than the nuclei by {@code 2 * depth} pixels cuts; the bumps of one
 * irregular nucleus, shallower than that, do not.
 *
 * <p>The maxima and their dynamics come from one flooding from the top: object pixels in order of
 * decreasing distance, each joining the basins of its processed 4-neighbours (union-find); where two
 * basins meet, the one with the lower peak ends there and its dynamic is its peak minus the
 * current level.
 */
final class DistanceSeeds {
  private DistanceSeeds() {}

  /**
   * Finds the seeds of the object of pixels {@code object[p] == id} in a {@code width x height} crop.
   *
   * @param depth the least dynamic of a seed, in pixels (above 0)
   * @param distance receives each object pixel's distance to the outside (other pixels 0)
   * @return the seed pixels: one or more 4-connected cores, none adjacent to another
   */
  static boolean[] find(int[] object, int width, int height, int id, double depth, float[] distance) {
    checkArgument(depth > 0, "depth must be above 0, got %s", depth);
    int n = width * height;
    // The crop framed by one pixel of outside, so an object filling its crop still has a border.
    int pw = width + 2;
    boolean[] outside = new boolean[pw * (height + 2)];
    Arrays.fill(outside, true);
    int count = 0;
    for (int p = 0; p < n; p++) {
      if (object[p] == id) {
        outside[(p / width + 1) * pw + p % width + 1] = false;
        count++;
      }
    }
    double[] framed = DistanceTransform.squaredDistances(outside, pw, height + 2);
    // Object pixels by decreasing squared distance (an exact integer), ties in raster order.
    long[] order = new long[count];
    int k = 0;
    for (int p = 0; p < n; p++) {
      if (object[p] == id) {
        long squared = (long) framed[(p / width + 1) * pw + p % width + 1];
        distance[p] = (float) Math.sqrt(squared);
        order[k++] = (Long.MAX_VALUE >>> 32) - squared << 32 | p;
      } else {
        distance[p] = 0;
      }
    }
    Arrays.sort(order);
    int[] parent = new int[n];
    Arrays.fill(parent, -1);
    int[] seedPeaks = new int[count];
    int seeds = 0;
    for (long key : order) {
      int p = (int) key;
      parent[p] = p;
      int x = p % width;
      int[] neighbours = {x > 0 ? p - 1 : -1, x < width - 1 ? p + 1 : -1, p - width, p + width < n ? p + width : -1};
      for (int q : neighbours) {
        if (q < 0 || parent[q] < 0) {
          continue;
        }
        int a = root(parent, p);
        int b = root(parent, q);
        if (a == b) {
          continue;
        }
        // A root is its basin's peak pixel: the first processed, so the higher (earlier on ties).
        int higher = distance[a] > distance[b] || distance[a] == distance[b] && a < b ? a : b;
        int lower = higher == a ? b : a;
        if (distance[lower] - distance[p] >= depth) {
          seedPeaks[seeds++] = lower;
        }
        parent[lower] = higher;
      }
    }
    if (count > 0) {
      seedPeaks[seeds++] = root(parent, (int) order[0]);
    }
    // Each seed: its peak's connected part of the object above peak - depth.
    boolean[] core = new boolean[n];
    int[] queue = new int[n];
    for (int s = 0; s < seeds; s++) {
      int peak = seedPeaks[s];
      double floor = distance[peak] - depth;
      int tail = 0;
      core[peak] = true;
      queue[tail++] = peak;
      for (int head = 0; head < tail; head++) {
        int p = queue[head];
        int x = p % width;
        int[] neighbours = {x > 0 ? p - 1 : -1, x < width - 1 ? p + 1 : -1, p - width, p + width < n ? p + width : -1};
        for (int q : neighbours) {
          if (q >= 0 && !core[q] && object[q] == id && distance[q] > floor) {
            core[q] = true;
            queue[tail++] = q;
          }
        }
      }
    }
    return core;
  }

  /** The root of {@code p}'s tree, halving the path on the way. */
  private static int root(int[] parent, int p) {
    while (parent[p] != p) {
      parent[p] = parent[parent[p]];
      p = parent[p];
    }
    return p;
  }
}
