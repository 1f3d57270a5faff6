package org.unet4j.recipes.infer;

import org.unet4j.dsl.recipe.InferenceSpec;
import org.unet4j.dsl.recipe.InstanceMethod;
import org.unet4j.labels.ConnectedComponents;

/**
 * A seeded watershed inside one object: splits an object of the foreground (cells touching where
 * the net left no separation border) at the saddles of the probability.
 *
 * <p><b>Seeds</b> are the cores of the object: the 4-connected components of its pixels whose
 * probability is above the seed threshold, one region each (numbered in raster order of their first
 * pixel). An object without a core stays one region, so no object is lost.
 *
 * <p><b>Flooding</b> (Meyer's priority flood on the probability): the regions grow from their
 * seeds into the rest of the object, always taking next the waiting pixel of highest probability
 * (ties: the one that has waited longest); a pixel joins the region of the neighbour that reached
 * it first. Regions meet at the valleys of the probability, where the net saw a border it did not
 * complete. Flooding uses 4-connectivity and never leaves the object, so each object is flooded
 * on its own and the result does not depend on what else is in the image: the streaming path
 * floods each object when its last row is known, the in-memory one all at once, with the same
 * regions.
 */
final class Watershed {
  private Watershed() {}

  /**
   * Splits the object of pixels {@code object[p] == id} in a {@code width x height} crop by the
   * watershed that {@code inference.instances} names: from the probability's cores ({@link #flood}),
   * or from the maxima of the object's distance to the background ({@link DistanceSeeds}), flooded
   * on that distance.
   *
   * @return r, the regions 1..r written into {@code regions} for the object's pixels
   */
  static int split(float[] probability, int[] object, int width, int height, int id, InferenceSpec inference,
      int[] regions) {
    if (inference.instances() != InstanceMethod.DISTANCE_WATERSHED) {
      return flood(probability, object, width, height, id, inference.seedThreshold(), regions);
    }
    float[] distance = new float[width * height];
    boolean[] core = DistanceSeeds.find(object, width, height, id, inference.seedDepth(), distance);
    return flood(core, true, distance, object, width, height, id, regions);
  }

  /**
   * Floods the object of pixels {@code object[p] == id} in a {@code width x height} crop.
   *
   * @param probability foreground probabilities of the crop, row-major
   * @param object the crop's object ids; other ids are outside (walls)
   * @param regions receives 1..r for the object's pixels (other pixels are left as they are)
   * @return r, the regions (at least 1 when the object has a pixel)
   */
  static int flood(float[] probability, int[] object, int width, int height, int id, double seedThreshold,
      int[] regions) {
    int n = width * height;
    boolean[] core = new boolean[n];
    boolean any = false;
    for (int p = 0; p < n; p++) {
      core[p] = object[p] == id && probability[p] > seedThreshold;
      any |= core[p];
    }
    return flood(core, any, probability, object, width, height, id, regions);
  }

  /**
   * Floods the object from the given cores on {@code elevation} (higher first), as {@link #flood}
   * does from the probability's cores.
   *
   * @param core the seed pixels, inside the object
   * @param any whether a pixel of {@code core} is set; without one the object stays one region
   */
  static int flood(boolean[] core, boolean any, float[] elevation, int[] object, int width, int height, int id,
      int[] regions) {
    int n = width * height;
    if (!any) {
      for (int p = 0; p < n; p++) {
        if (object[p] == id) {
          regions[p] = 1;
        }
      }
      return 1;
    }
    float[] probability = elevation;
    int[] label = new int[n];
    int count = ConnectedComponents.label(core, width, height, label);
    PixelHeap heap = new PixelHeap(n);
    int[] seq = {0};
    // Only the cores start: pixels labelled here are queued, not yet reached from.
    for (int p = 0; p < n; p++) {
      if (core[p]) {
        reach(p, label[p], probability, object, id, width, height, label, heap, seq);
      }
    }
    while (heap.size > 0) {
      int p = heap.pop();
      reach(p, label[p], probability, object, id, width, height, label, heap, seq);
    }
    for (int p = 0; p < n; p++) {
      if (object[p] == id) {
        regions[p] = label[p];
      }
    }
    return count;
  }

  /** Gives the unlabelled object pixels beside {@code p} its region and queues them. */
  private static void reach(int p, int region, float[] probability, int[] object, int id, int width, int height,
      int[] label, PixelHeap heap, int[] seq) {
    int x = p % width;
    if (x > 0) {
      visit(p - 1, region, probability, object, id, label, heap, seq);
    }
    if (x < width - 1) {
      visit(p + 1, region, probability, object, id, label, heap, seq);
    }
    if (p >= width) {
      visit(p - width, region, probability, object, id, label, heap, seq);
    }
    if (p + width < width * height) {
      visit(p + width, region, probability, object, id, label, heap, seq);
    }
  }

  private static void visit(int q, int region, float[] probability, int[] object, int id, int[] label,
      PixelHeap heap, int[] seq) {
    if (object[q] == id && label[q] == 0) {
      label[q] = region;
      heap.push(PixelHeap.priority(probability[q], seq[0]++), q);
    }
  }
}
