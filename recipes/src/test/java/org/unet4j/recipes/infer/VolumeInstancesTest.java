package org.unet4j.recipes.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unet4j.dsl.model.Size3;
import org.unet4j.dsl.recipe.InferenceSpec;
import org.unet4j.labels.ConnectedComponents3d;
import org.unet4j.labels.InstanceVolume;

/**
 * The instances of volumes as inference settings ask for them ({@link VolumeInstances}): the
 * streamed components against {@link VolumeLabellingTest}'s whole-volume reference, and objects
 * seeded by an instance class against a brute force that measures, for every foreground voxel, its
 * distance inside the foreground to each seed by a breadth-first search of its own.
 */
class VolumeInstancesTest {
  @TempDir Path folder;

  @Test
  void componentsStreamAsTheWholeVolumeLabellingGivesThem() {
    Size3 size = new Size3(7, 5, 9);
    VolumeProbabilities map = random(size, 3, 11);
    boolean[] mask = foreground(map, 0.5);
    InferenceSpec inference = InferenceSpec.builder().fillHoles(true).minObjectSize(3).build();
    assertArrayEquals(VolumeLabellingTest.reference(mask, size, true, 3), labels(map, inference, true));
    assertArrayEquals(VolumeLabellingTest.reference(mask, size, true, 3), labels(map, inference, false));
  }

  @Test
  void seedsOfTheInstanceClassGrowIntoTheForegroundToTheNearestSeed() {
    for (long seed = 1; seed <= 4; seed++) {
      Size3 size = new Size3(5 + (int) seed, 6, 7);
      VolumeProbabilities map = random(size, 3, seed);
      for (boolean fillHoles : new boolean[] {false, true}) {
        for (int minSize : new int[] {0, 4}) {
          InferenceSpec inference = InferenceSpec.builder().instanceClass(1).fillHoles(fillHoles)
              .minObjectSize(minSize).build();
          int[] expected = grownByBruteForce(map, 1, 0.5, fillHoles, minSize);
          assertArrayEquals(expected, labels(map, inference, true), "seed " + seed + " holes " + fillHoles
              + " min " + minSize);
        }
      }
    }
  }

  @Test
  void aSeedGrowsAcrossPlanesAndTiesGoToTheLowerLabel() {
    // A 3x1x3 column of foreground: class 1 (the seeds) at planes 0 and 2 of x = 0, class 2 elsewhere.
    // The middle plane is one step from both seeds: it joins the lower label, 1.
    Size3 size = new Size3(3, 1, 1);
    float[] values = {
        0.1f, 0.8f, 0.1f,
        0.1f, 0.1f, 0.8f,
        0.1f, 0.8f, 0.1f};
    VolumeProbabilities map = new VolumeProbabilities(size, 3, values);
    InferenceSpec inference = InferenceSpec.builder().instanceClass(1).build();
    assertArrayEquals(new int[] {1, 1, 2}, labels(map, inference, false));
  }

  private int[] labels(VolumeProbabilities map, InferenceSpec inference, boolean spilled) {
    Size3 size = map.size();
    int plane = size.y() * size.x();
    int[] out = new int[(int) size.voxels()];
    try (VolumeInstances instances = spilled ? VolumeInstances.spilled(size, inference, folder, "v")
        : VolumeInstances.inMemory(size, inference)) {
      for (int z = 0; z < size.z(); z++) {
        instances.addPlane(map.plane(z));
      }
      int n = instances.finish();
      int[] labels = new int[plane];
      try (VolumeInstances.Planes planes = instances.planes()) {
        for (int z = 0; z < size.z(); z++) {
          planes.next(labels);
          System.arraycopy(labels, 0, out, z * plane, plane);
        }
      }
      assertEquals(n, Arrays.stream(out).max().orElse(0));
    }
    return out;
  }

  /** Class probabilities drawn at random and normalised, so that about a third of the voxels is each class's. */
  private static VolumeProbabilities random(Size3 size, int classes, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] values = new float[(int) size.voxels() * classes];
    for (int i = 0; i < values.length; i += classes) {
      float sum = 0;
      for (int k = 0; k < classes; k++) {
        values[i + k] = (float) random.nextDouble();
        sum += values[i + k];
      }
      for (int k = 0; k < classes; k++) {
        values[i + k] /= sum;
      }
    }
    return new VolumeProbabilities(size, classes, values);
  }

  /** Voxels whose probability of any class but 0 is above the threshold. */
  private static boolean[] foreground(VolumeProbabilities map, double threshold) {
    float[] foreground = map.foreground();
    boolean[] mask = new boolean[foreground.length];
    for (int i = 0; i < mask.length; i++) {
      mask[i] = foreground[i] > threshold;
    }
    return mask;
  }

  private static int[] grownByBruteForce(VolumeProbabilities map, int seedClass, double threshold, boolean fillHoles,
      int minSize) {
    Size3 size = map.size();
    boolean[] mask = foreground(map, threshold);
    if (fillHoles) {
      mask = VolumeLabellingTest.filled(mask, size);
    }
    int n = mask.length;
    boolean[] seeds = new boolean[n];
    for (int z = 0, i = 0; z < size.z(); z++) {
      for (int y = 0; y < size.y(); y++) {
        for (int x = 0; x < size.x(); x++, i++) {
          int best = 0;
          for (int k = 1; k < map.classes(); k++) {
            if (map.get(z, y, x, k) > map.get(z, y, x, best)) {
              best = k;
            }
          }
          seeds[i] = mask[i] && best == seedClass;
        }
      }
    }
    int[] seedLabels = new int[n];
    int count = ConnectedComponents3d.label(seeds, size, seedLabels);
    // Each seed's distance to every voxel, inside the foreground.
    int[][] distance = new int[count + 1][];
    for (int s = 1; s <= count; s++) {
      distance[s] = distances(mask, seedLabels, s, size);
    }
    int[] grown = new int[n];
    for (int i = 0; i < n; i++) {
      int best = 0;
      for (int s = 1; s <= count; s++) {
        if (distance[s][i] >= 0 && (best == 0 || distance[s][i] < distance[best][i])) {
          best = s;
        }
      }
      grown[i] = best;
    }
    long[] voxels = new long[count + 1];
    for (int v : grown) {
      voxels[v]++;
    }
    for (int i = 0; i < n; i++) {
      if (voxels[grown[i]] < minSize) {
        grown[i] = 0;
      }
    }
    // InstanceVolume.of numbers by value; the values must first be in order of each object's first voxel.
    int[] order = new int[count + 1];
    int next = 0;
    for (int v : grown) {
      if (v != 0 && order[v] == 0) {
        order[v] = ++next;
      }
    }
    for (int i = 0; i < n; i++) {
      grown[i] = order[grown[i]];
    }
    return InstanceVolume.of(grown, size).toArray();
  }

  /** Steps from seed {@code s} to every voxel through the mask's face neighbours; -1 where it does not reach. */
  private static int[] distances(boolean[] mask, int[] seeds, int s, Size3 size) {
    int d = size.z();
    int h = size.y();
    int w = size.x();
    int[] distance = new int[mask.length];
    Arrays.fill(distance, -1);
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    for (int i = 0; i < mask.length; i++) {
      if (seeds[i] == s) {
        distance[i] = 0;
        queue.add(i);
      }
    }
    while (!queue.isEmpty()) {
      int p = queue.poll();
      int z = p / (h * w);
      int y = p / w % h;
      int x = p % w;
      int[][] next = {{z - 1, y, x}, {z + 1, y, x}, {z, y - 1, x}, {z, y + 1, x}, {z, y, x - 1}, {z, y, x + 1}};
      for (int[] q : next) {
        if (q[0] < 0 || q[0] >= d || q[1] < 0 || q[1] >= h || q[2] < 0 || q[2] >= w) {
          continue;
        }
        int i = (q[0] * h + q[1]) * w + q[2];
        if (mask[i] && distance[i] < 0) {
          distance[i] = distance[p] + 1;
          queue.add(i);
        }
      }
    }
    return distance;
  }
}
