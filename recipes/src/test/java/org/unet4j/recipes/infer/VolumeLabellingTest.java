package org.unet4j.recipes.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.unet4j.dsl.model.Size3;
import org.unet4j.labels.ConnectedComponents3d;
import org.unet4j.labels.InstanceVolume;

/**
 * Streamed labelling of volumes plane by plane ({@link VolumeLabelling}) against the whole-volume
 * labelling: {@link ConnectedComponents3d}'s flood fill of the volume, after the holes are filled
 * by a breadth-first search from the faces written here, small objects dropped and the rest
 * renumbered as {@link InstanceVolume#of} renumbers them.
 */
class VolumeLabellingTest {
  @TempDir Path folder;

  static Stream<Arguments> randomVolumes() {
    // Odd sizes, a single plane, a single row and column; densities around where objects and holes
    // percolate, so that objects cross many planes and join only further down.
    return Stream.of(
        Arguments.of(new Size3(9, 7, 11), 0.45, 1L),
        Arguments.of(new Size3(13, 5, 3), 0.55, 2L),
        Arguments.of(new Size3(1, 9, 13), 0.5, 3L),
        Arguments.of(new Size3(17, 1, 1), 0.5, 4L),
        Arguments.of(new Size3(5, 11, 9), 0.7, 5L),
        Arguments.of(new Size3(11, 6, 7), 0.3, 6L));
  }

  @ParameterizedTest
  @MethodSource("randomVolumes")
  void streamedLabelsEqualTheWholeVolumeLabelling(Size3 size, double density, long seed) {
    boolean[] mask = random(size, density, seed);
    for (int minSize : new int[] {0, 1, 2, 5}) {
      for (boolean fillHoles : new boolean[] {false, true}) {
        int[] expected = reference(mask, size, fillHoles, minSize);
        assertArrayEquals(expected, streamed(mask, size, fillHoles, minSize, true),
            size + " density " + density + " fillHoles " + fillHoles + " minSize " + minSize);
        assertArrayEquals(expected, streamed(mask, size, fillHoles, minSize, false), "in memory");
      }
    }
  }

  @Test
  void uShapesThatJoinOnlyInTheLastPlaneAreOneObjectNumberedByTheirFirstVoxel() {
    // Three columns along z in a 1-row plane, at x = 0, 2 and 4 from plane 0 down; the columns at
    // 0 and 2 join in the last plane only (through x = 1), the one at 4 stays apart.
    Size3 size = new Size3(6, 1, 5);
    boolean[] mask = new boolean[30];
    for (int z = 0; z < 6; z++) {
      mask[z * 5] = true;
      mask[z * 5 + 2] = true;
      mask[z * 5 + 4] = true;
    }
    mask[25 + 1] = true;
    int[] labels = streamed(mask, size, false, 0, true);
    assertEquals(1, labels[0]);
    assertEquals(1, labels[2], "joined at the bottom with the column at x = 0");
    assertEquals(2, labels[4]);
    assertEquals(1, labels[26]);
    assertEquals(2, Arrays.stream(labels).max().orElseThrow());
    // Dropping objects under 9 voxels keeps the U (13 voxels), not the lone column (6).
    int[] kept = streamed(mask, size, false, 9, true);
    assertEquals(1, kept[0]);
    assertEquals(0, kept[4]);
    assertEquals(1, Arrays.stream(kept).max().orElseThrow());
  }

  @Test
  void aHoleJoinsTheObjectsAroundItAndCountsTowardsTheirSize() {
    // A 3x3x3 hollow cube (26 voxels) in a 5x5x5 volume, its centre a hole: filled, the object
    // has 27 voxels and survives a minimum size of 27.
    Size3 size = new Size3(5, 5, 5);
    boolean[] mask = new boolean[125];
    for (int z = 1; z <= 3; z++) {
      for (int y = 1; y <= 3; y++) {
        for (int x = 1; x <= 3; x++) {
          mask[(z * 5 + y) * 5 + x] = !(z == 2 && y == 2 && x == 2);
        }
      }
    }
    int[] filled = streamed(mask, size, true, 27, true);
    assertEquals(1, filled[(2 * 5 + 2) * 5 + 2], "the hole is filled");
    int[] kept = streamed(mask, size, false, 27, true);
    assertEquals(0, Arrays.stream(kept).max().orElseThrow(), "26 voxels without the hole");
    assertArrayEquals(reference(mask, size, true, 0), streamed(mask, size, true, 0, true));
  }

  @Test
  void anEmptyVolumeAndAFullOneHaveNoHoles() {
    Size3 size = new Size3(3, 4, 5);
    assertArrayEquals(new int[60], streamed(new boolean[60], size, true, 0, true));
    boolean[] full = new boolean[60];
    Arrays.fill(full, true);
    int[] labels = streamed(full, size, true, 0, true);
    assertTrue(Arrays.stream(labels).allMatch(v -> v == 1));
  }

  @Test
  void theScratchFileIsDeletedOnClose() throws IOException {
    streamed(random(new Size3(3, 3, 3), 0.5, 9), new Size3(3, 3, 3), true, 0, true);
    try (Stream<Path> files = Files.list(folder)) {
      assertEquals(0, files.count());
    }
  }

  private int[] streamed(boolean[] mask, Size3 size, boolean fillHoles, int minSize, boolean spilled) {
    int plane = size.y() * size.x();
    int[] out = new int[mask.length];
    try (VolumeLabelling labelling = spilled ? VolumeLabelling.spilled(size, fillHoles, minSize, folder, "v")
        : VolumeLabelling.inMemory(size, fillHoles, minSize)) {
      for (int z = 0; z < size.z(); z++) {
        labelling.addPlane(Arrays.copyOfRange(mask, z * plane, z * plane + plane));
      }
      int n = labelling.finish();
      int[] labels = new int[plane];
      try (VolumeLabelling.LabelPlanes planes = labelling.planes()) {
        for (int z = 0; z < size.z(); z++) {
          planes.next(labels);
          System.arraycopy(labels, 0, out, z * plane, plane);
        }
      }
      assertEquals(n, Arrays.stream(out).max().orElse(0));
    }
    return out;
  }

  static boolean[] random(Size3 size, double density, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    boolean[] mask = new boolean[(int) size.voxels()];
    for (int i = 0; i < mask.length; i++) {
      mask[i] = random.nextDouble() < density;
    }
    return mask;
  }

  /** The whole-volume labelling: holes filled from the faces, components, small ones dropped, renumbered. */
  static int[] reference(boolean[] mask, Size3 size, boolean fillHoles, int minSize) {
    boolean[] filled = fillHoles ? filled(mask, size) : mask;
    int[] labels = new int[mask.length];
    int n = ConnectedComponents3d.label(filled, size, labels);
    long[] voxels = new long[n + 1];
    for (int v : labels) {
      voxels[v]++;
    }
    for (int i = 0; i < labels.length; i++) {
      if (voxels[labels[i]] < minSize) {
        labels[i] = 0;
      }
    }
    return InstanceVolume.of(labels, size).toArray();
  }

  /** The mask with every background voxel that no 6-connected background path links to a face set. */
  static boolean[] filled(boolean[] mask, Size3 size) {
    int d = size.z();
    int h = size.y();
    int w = size.x();
    boolean[] outside = new boolean[mask.length];
    ArrayDeque<int[]> queue = new ArrayDeque<>();
    for (int z = 0; z < d; z++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int i = (z * h + y) * w + x;
          boolean face = z == 0 || z == d - 1 || y == 0 || y == h - 1 || x == 0 || x == w - 1;
          if (face && !mask[i]) {
            outside[i] = true;
            queue.add(new int[] {z, y, x});
          }
        }
      }
    }
    int[][] steps = {{1, 0, 0}, {-1, 0, 0}, {0, 1, 0}, {0, -1, 0}, {0, 0, 1}, {0, 0, -1}};
    while (!queue.isEmpty()) {
      int[] p = queue.poll();
      for (int[] s : steps) {
        int z = p[0] + s[0];
        int y = p[1] + s[1];
        int x = p[2] + s[2];
        if (z >= 0 && z < d && y >= 0 && y < h && x >= 0 && x < w) {
          int i = (z * h + y) * w + x;
          if (!mask[i] && !outside[i]) {
            outside[i] = true;
            queue.add(new int[] {z, y, x});
          }
        }
      }
    }
    boolean[] out = new boolean[mask.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = mask[i] || !outside[i];
    }
    return out;
  }
}
