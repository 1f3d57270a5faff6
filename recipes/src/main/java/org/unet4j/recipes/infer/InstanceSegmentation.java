package org.unet4j.recipes.infer;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Arrays;
import org.unet4j.dsl.recipe.InferenceSpec;
import org.unet4j.dsl.recipe.InstanceMethod;
import org.unet4j.dsl.model.Size3;
import org.unet4j.labels.ConnectedComponents;
import org.unet4j.labels.ConnectedComponents3d;
import org.unet4j.labels.InstanceLabels;

/**
 * Instance labels from a foreground probability map: the pixels above the threshold, optionally
 * with their holes filled, split into 4-connected components, small ones dropped. The net was
 * trained to predict the separation borders between touching cells as background (paper Sec. 3,
 * Fig. 3c), so connected components of its foreground are the cells. Where it left a border
 * incomplete, {@code inference.instances = watershed} splits each component by a seeded watershed
 * ({@link Watershed}); where it saw no border at all between touching nuclei, {@code distance-watershed}
 * splits it at the neck of its shape ({@link DistanceSeeds}).
 *
 * <p>{@link BandLabelling} computes the same labels for pages that do not fit in memory.
 */
public final class InstanceSegmentation {
  private InstanceSegmentation() {}

  /**
   * Labels 1..n numbered in raster order of each object's first pixel, 0 for background.
   *
   * @param foreground row-major probabilities, {@code width * height}
   * @param threshold a pixel is foreground when its probability is strictly above this
   * @param fillHoles whether background enclosed by foreground becomes foreground first: a hole is
   *     a background region not 8-connected to the image border (8 for the background so that it
   *     is the dual of the objects' 4-connectivity)
   * @param minObjectSize objects with fewer pixels are dropped (0 or 1 keeps all)
   */
  public static InstanceLabels labels(float[] foreground, int width, int height, double threshold,
      boolean fillHoles, int minObjectSize) {
    checkNotNull(foreground, "foreground");
    checkArgument(width >= 1 && height >= 1 && (long) width * height == foreground.length,
        "a %sx%s map has %s pixels, got %s", width, height, (long) width * height, foreground.length);
    checkArgument(minObjectSize >= 0, "minObjectSize must be >= 0, got %s", minObjectSize);
    boolean[] mask = new boolean[foreground.length];
    for (int i = 0; i < mask.length; i++) {
      mask[i] = foreground[i] > threshold;
    }
    if (fillHoles) {
      fillHoles(mask, width, height);
    }
    return InstanceLabels.of(components(mask, width, height, minObjectSize), width, height);
  }

  /**
   * Labels 1..n numbered in raster order of each object's first pixel, 0 for background, with the
   * threshold, hole filling, minimum object size and instance method of {@code inference}. With
   * {@link InstanceMethod#WATERSHED} or {@link InstanceMethod#DISTANCE_WATERSHED} the objects are the
   * watershed regions of each component (the minimum size applies to them).
   */
  public static InstanceLabels labels(float[] foreground, int width, int height, InferenceSpec inference) {
    checkNotNull(inference, "inference");
    if (inference.instances() == InstanceMethod.COMPONENTS) {
      return labels(foreground, width, height, inference.threshold(), inference.fillHoles(),
          inference.minObjectSize());
    }
    checkNotNull(foreground, "foreground");
    checkArgument(width >= 1 && height >= 1 && (long) width * height == foreground.length,
        "a %sx%s map has %s pixels, got %s", width, height, (long) width * height, foreground.length);
    boolean[] mask = new boolean[foreground.length];
    for (int i = 0; i < mask.length; i++) {
      mask[i] = foreground[i] > inference.threshold();
    }
    if (inference.fillHoles()) {
      fillHoles(mask, width, height);
    }
    return InstanceLabels.of(watershed(foreground, mask, width, height, inference), width, height);
  }

  /**
   * Each component of the mask split on its own by the watershed of {@code inference.instances}; regions
   * numbered by first pixel, those under the minimum size dropped.
   */
  static int[] watershed(float[] probability, boolean[] mask, int width, int height, InferenceSpec inference) {
    int minSize = inference.minObjectSize();
    int n = mask.length;
    int[] objects = new int[n];
    int count = ConnectedComponents.label(mask, width, height, objects);
    int[] minX = new int[count + 1];
    int[] maxX = new int[count + 1];
    int[] minY = new int[count + 1];
    int[] maxY = new int[count + 1];
    Arrays.fill(minX, Integer.MAX_VALUE);
    Arrays.fill(minY, Integer.MAX_VALUE);
    for (int p = 0; p < n; p++) {
      int o = objects[p];
      if (o != 0) {
        int x = p % width;
        int y = p / width;
        minX[o] = Math.min(minX[o], x);
        maxX[o] = Math.max(maxX[o], x);
        minY[o] = Math.min(minY[o], y);
        maxY[o] = Math.max(maxY[o], y);
      }
    }
    int[] regions = new int[n];
    int regionCount = 0;
    for (int o = 1; o <= count; o++) {
      int w = maxX[o] - minX[o] + 1;
      int h = maxY[o] - minY[o] + 1;
      int[] crop = new int[w * h];
      float[] p = new float[w * h];
      for (int r = 0; r < h; r++) {
        System.arraycopy(objects, (minY[o] + r) * width + minX[o], crop, r * w, w);
        System.arraycopy(probability, (minY[o] + r) * width + minX[o], p, r * w, w);
      }
      int[] region = new int[w * h];
      int k = Watershed.split(p, crop, w, h, o, inference, region);
      for (int r = 0; r < h; r++) {
        for (int c = 0; c < w; c++) {
          int v = region[r * w + c];
          if (v != 0) {
            regions[(minY[o] + r) * width + minX[o] + c] = regionCount + v;
          }
        }
      }
      regionCount += k;
    }
    return numberKept(regions, regionCount, minSize);
  }

  /**
   * Instances of a net of 3 or more classes that has a class for the objects' interior (a 3-class
   * nuclei net: 0 background, 1 interior, 2 boundary): every 4-connected component of foreground
   * pixels whose most probable class is {@code seedClass} seeds one object, which then grows into
   * the rest of the foreground by 4-connected steps, each pixel joining the seed nearest to it
   * inside the foreground (of equally near ones, the lowest numbered). Foreground is as in
   * {@link #labels(float[], int, int, double, boolean, int)}: the probability of any class but 0
   * above {@code threshold}, holes filled on request. The boundary class thus separates touching
   * objects as the paper's background borders do, and its pixels are given back to the objects
   * they surround, so that an object's area is that of the cell rather than of its interior.
   * Foreground components without a seed are dropped. Labels 1..n are numbered in raster order of
   * each object's first pixel.
   *
   * @param seedClass the interior class, 1..classes-1
   * @param minObjectSize grown objects with fewer pixels are dropped (0 or 1 keeps all)
   */
  public static InstanceLabels grown(ProbabilityMap map, int seedClass, double threshold, boolean fillHoles,
      int minObjectSize) {
    checkNotNull(map, "map");
    checkArgument(seedClass >= 1 && seedClass < map.classes(),
        "the seed class of a %s-class map is 1..%s, got %s", map.classes(), map.classes() - 1, seedClass);
    checkArgument(minObjectSize >= 0, "minObjectSize must be >= 0, got %s", minObjectSize);
    int width = map.width();
    int height = map.height();
    float[] foreground = map.foreground();
    int[] classes = map.classMap();
    int n = foreground.length;
    boolean[] mask = new boolean[n];
    for (int i = 0; i < n; i++) {
      mask[i] = foreground[i] > threshold;
    }
    if (fillHoles) {
      fillHoles(mask, width, height);
    }
    boolean[] seeds = new boolean[n];
    for (int i = 0; i < n; i++) {
      seeds[i] = classes[i] == seedClass;
    }
    return InstanceLabels.of(grown(mask, seeds, width, height, 1, minObjectSize), width, height);
  }

  /**
   * The growing of {@link #grown(ProbabilityMap, int, double, boolean, int)} over {@code depth}
   * planes of {@code width x height} (z-major; depth 1 for an image): the components of
   * {@code seeds} (inside {@code mask}; 4-connected in a plane, 6-connected through planes) grown
   * into {@code mask} by breadth-first steps to the face neighbours, each voxel joining the nearest
   * seed (of equally near ones, the lowest numbered); objects under {@code minObjectSize} voxels
   * dropped, the rest numbered in raster order of their first voxel. Seeds outside the mask seed
   * nothing.
   */
  static int[] grown(boolean[] mask, boolean[] seeds, int width, int height, int depth, int minObjectSize) {
    int n = mask.length;
    int plane = width * height;
    boolean[] inside = new boolean[n];
    for (int i = 0; i < n; i++) {
      inside[i] = mask[i] && seeds[i];
    }
    int[] objects = new int[n];
    int count = ConnectedComponents3d.label(inside, new Size3(depth, height, width), objects);
    // Breadth-first layers: every voxel of a layer is one step further from the seeds than the last.
    int[] layer = new int[n];
    int layerSize = 0;
    for (int i = 0; i < n; i++) {
      if (objects[i] != 0) {
        layer[layerSize++] = i;
      }
    }
    int[] next = new int[n];
    int[] nearest = new int[n];
    int[] neighbours = new int[6];
    while (layerSize > 0) {
      int nextSize = 0;
      for (int k = 0; k < layerSize; k++) {
        int p = layer[k];
        int x = p % width;
        int inPlane = p % plane;
        int label = objects[p];
        neighbours[0] = x > 0 ? p - 1 : -1;
        neighbours[1] = x < width - 1 ? p + 1 : -1;
        neighbours[2] = inPlane >= width ? p - width : -1;
        neighbours[3] = inPlane < plane - width ? p + width : -1;
        neighbours[4] = p - plane;
        neighbours[5] = p + plane;
        for (int q : neighbours) {
          if (q < 0 || q >= n || !mask[q] || objects[q] != 0) {
            continue;
          }
          if (nearest[q] == 0) {
            next[nextSize++] = q;
            nearest[q] = label;
          } else if (label < nearest[q]) {
            nearest[q] = label;
          }
        }
      }
      for (int k = 0; k < nextSize; k++) {
        objects[next[k]] = nearest[next[k]];
      }
      int[] swap = layer;
      layer = next;
      next = swap;
      layerSize = nextSize;
    }
    return numberKept(objects, count, minObjectSize);
  }

  /**
   * The objects of one class of a map of several: the 4-connected components of the pixels whose
   * most probable class is {@code k} (no threshold: the arg-max decides), numbered 1..n in raster
   * order of each object's first pixel, 0 elsewhere. With {@code fillHoles}, pixels of other classes
   * that the class encloses (not 8-connected to the image border through them) join it first, as
   * {@link #labels(float[], int, int, double, boolean, int)} fills the foreground's holes.
   *
   * @param k the class, 0..classes-1
   * @param minObjectSize objects with fewer pixels are dropped (0 or 1 keeps all)
   */
  public static InstanceLabels ofClass(ProbabilityMap map, int k, boolean fillHoles, int minObjectSize) {
    checkNotNull(map, "map");
    checkArgument(k >= 0 && k < map.classes(), "class %s of a %s-class map", k, map.classes());
    checkArgument(minObjectSize >= 0, "minObjectSize must be >= 0, got %s", minObjectSize);
    int[] classes = map.classMap();
    boolean[] mask = new boolean[classes.length];
    for (int i = 0; i < mask.length; i++) {
      mask[i] = classes[i] == k;
    }
    if (fillHoles) {
      fillHoles(mask, map.width(), map.height());
    }
    return InstanceLabels.of(components(mask, map.width(), map.height(), minObjectSize), map.width(), map.height());
  }

  /**
   * Drops the regions (labels 1..count) under {@code minSize} pixels and numbers the kept ones in
   * raster order of their first pixel, in place.
   */
  private static int[] numberKept(int[] regions, int count, int minSize) {
    int[] sizes = new int[count + 1];
    for (int v : regions) {
      sizes[v]++;
    }
    int[] number = new int[count + 1];
    boolean[] seen = new boolean[count + 1];
    int kept = 0;
    for (int v : regions) {
      if (v != 0 && !seen[v]) {
        seen[v] = true;
        number[v] = minSize <= 1 || sizes[v] >= minSize ? ++kept : 0;
      }
    }
    for (int i = 0; i < regions.length; i++) {
      regions[i] = number[regions[i]];
    }
    return regions;
  }

  /** Sets every background pixel that the border's background cannot reach (8-connected). */
  static void fillHoles(boolean[] mask, int width, int height) {
    boolean[] outside = new boolean[mask.length];
    int[] queue = new int[mask.length];
    int tail = 0;
    for (int x = 0; x < width; x++) {
      tail = seed(mask, outside, queue, tail, x);
      tail = seed(mask, outside, queue, tail, (height - 1) * width + x);
    }
    for (int y = 0; y < height; y++) {
      tail = seed(mask, outside, queue, tail, y * width);
      tail = seed(mask, outside, queue, tail, y * width + width - 1);
    }
    for (int head = 0; head < tail; head++) {
      int p = queue[head];
      int x = p % width;
      int y = p / width;
      for (int dy = -1; dy <= 1; dy++) {
        for (int dx = -1; dx <= 1; dx++) {
          int nx = x + dx;
          int ny = y + dy;
          if (nx >= 0 && nx < width && ny >= 0 && ny < height) {
            tail = seed(mask, outside, queue, tail, ny * width + nx);
          }
        }
      }
    }
    for (int i = 0; i < mask.length; i++) {
      mask[i] |= !outside[i];
    }
  }

  private static int seed(boolean[] mask, boolean[] outside, int[] queue, int tail, int p) {
    if (!mask[p] && !outside[p]) {
      outside[p] = true;
      queue[tail++] = p;
    }
    return tail;
  }

  /** 4-connected components of the mask, those under {@code minSize} pixels removed, numbered 1..n. */
  static int[] components(boolean[] mask, int width, int height, int minSize) {
    int[] labels = new int[mask.length];
    int count = ConnectedComponents.label(mask, width, height, labels);
    int[] sizes = new int[count + 1];
    for (int label : labels) {
      sizes[label]++;
    }
    if (minSize > 1) {
      int[] renumber = new int[count + 1];
      int kept = 0;
      for (int label = 1; label <= count; label++) {
        renumber[label] = sizes[label] >= minSize ? ++kept : 0;
      }
      for (int i = 0; i < labels.length; i++) {
        labels[i] = renumber[labels[i]];
      }
    }
    return labels;
  }
}
