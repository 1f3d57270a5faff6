package org.unet4j.recipes.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.unet4j.dsl.model.Size3;
import org.unet4j.dsl.recipe.ThinningMethod;
import org.unet4j.labels.BorderThinning;
import org.unet4j.labels.ConnectedComponents;
import org.unet4j.labels.ConnectedComponents3d;

/**
 * Thinned boundaries of a probability map: hand-worked rows of both methods and of the ridge's floor, the other
 * classes following the foreground, and on random maps of odd sizes the properties the predictor relies on,
 * checked against the border thinning's own regions and a brute-force ridge flood.
 */
class BoundaryThinningTest {
  private static final ThinningMethod BORDER = ThinningMethod.BORDER;
  private static final ThinningMethod RIDGE = ThinningMethod.RIDGE;

  /**
   * Two cells with a boundary 4 pixels wide: the border thinning's order gives left, left, dam, right (its own
   * hand-worked case), so pixels 1, 2 and 4 rise just above 0.5, by their values: 0.5 + 0.01 * (0.1 + 0.9 * 0.2
   * / 0.5) = 0.5046 for 0.2, 0.5028 for 0.1 and 0.5019 for 0.05; the dam keeps its 0.3.
   */
  @Test
  void borderThinningPutsTheDamHalfwayAndRaisesTheRestInTheirOrder() {
    ProbabilityMap row = new ProbabilityMap(6, 1, 1, new float[] {0.9f, 0.2f, 0.1f, 0.3f, 0.05f, 0.9f});
    assertArrayEquals(new float[] {0.9f, 0.5046f, 0.5028f, 0.3f, 0.5019f, 0.9f},
        BoundaryThinning.thin(row, 0.5, BORDER, 0).foreground(), 1e-6f);
  }

  /**
   * The same row thinned along its ridge: pixels 1 (0.2, beside the left cell) and 4 (0.05, beside the right one)
   * wait; 1 joins the left cell first (higher), then 2 (0.1) before 4, then 3 (0.3); pixel 4, the boundary's
   * surest pixel, is left between the two cells and becomes the dam. Pixel 3 rises to 0.5064.
   */
  @Test
  void ridgeThinningPutsTheDamWhereTheNetIsSurestOfTheBoundary() {
    ProbabilityMap row = new ProbabilityMap(6, 1, 1, new float[] {0.9f, 0.2f, 0.1f, 0.3f, 0.05f, 0.9f});
    assertArrayEquals(new float[] {0.9f, 0.5046f, 0.5028f, 0.5064f, 0.05f, 0.9f},
        BoundaryThinning.thin(row, 0.5, RIDGE, 0).foreground(), 1e-6f);
  }

  /**
   * With a floor of 0.15 pixels 2 (0.1) and 4 (0.05) never join, so pixel 3 is never reached either: only pixel 1
   * joins the left cell and the boundary 2..4 stays as the net drew it.
   */
  @Test
  void ridgeThinningLeavesTheBoundaryBelowTheFloor() {
    ProbabilityMap row = new ProbabilityMap(6, 1, 1, new float[] {0.9f, 0.2f, 0.1f, 0.3f, 0.05f, 0.9f});
    assertArrayEquals(new float[] {0.9f, 0.5046f, 0.1f, 0.3f, 0.05f, 0.9f},
        BoundaryThinning.thin(row, 0.5, RIDGE, 0.15).foreground(), 1e-6f);
    assertArrayEquals(BoundaryThinning.thin(row, 0.5, RIDGE, 0).foreground(),
        BoundaryThinning.thin(row, 0.5, RIDGE, 0.05).foreground(), "a pixel at the floor joins");
  }

  @Test
  void noneReturnsTheMapAndAFloorNeedsTheRidge() {
    ProbabilityMap row = new ProbabilityMap(3, 1, 1, new float[] {0.9f, 0.2f, 0.9f});
    assertSame(row, BoundaryThinning.thin(row, 0.5, ThinningMethod.NONE, 0));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> BoundaryThinning.thin(row, 0.5, BORDER, 0.1));
    assertEquals("only ridge thinning stops at a floor, got BORDER with floor 0.1", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> BoundaryThinning.thin(row, 0.5, RIDGE, -0.1));
    assertEquals("a floor is a probability 0..1, got -0.1", e.getMessage());
  }

  /**
   * The raised value runs from threshold + 0.001 for a 0 to threshold + 0.01 at the threshold, at most 1, and
   * is above the threshold in float32 for thresholds up to 1.
   */
  @Test
  void raisedValuesSpanOneMarginAboveTheThreshold() {
    assertEquals(0.301f, BoundaryThinning.raised(0f, 0.3), 1e-7f);
    assertEquals(0.31f, BoundaryThinning.raised(0.3f, 0.3), 1e-7f);
    assertEquals(0.3055f, BoundaryThinning.raised(0.15f, 0.3), 1e-7f);
    assertEquals(0.001f, BoundaryThinning.raised(0f, 0.0), 1e-9f);
    assertEquals(1f, BoundaryThinning.raised(0.999f, 0.999));
    for (double threshold = 0; threshold < 1; threshold += 0.0625) {
      for (float p = 0; p <= threshold; p += 0.01f) {
        float q = BoundaryThinning.raised(p, threshold);
        assertTrue(q > threshold && q <= threshold + BoundaryThinning.MARGIN + 1e-6, p + " at " + threshold);
        assertTrue(BoundaryThinning.raised(p + 0.01f, threshold) >= q || p + 0.01f > threshold,
            "never lower for a higher value: " + p + " at " + threshold);
      }
    }
  }

  /** Of a two-class soft-max, class 0 is one minus the raised foreground. */
  @Test
  void twoClassesStaySummingToOne() {
    float[] values = {0.1f, 0.9f, 0.8f, 0.2f, 0.7f, 0.3f};
    ProbabilityMap thinned = BoundaryThinning.thin(new ProbabilityMap(3, 1, 2, values), 0.5, RIDGE, 0);
    assertArrayEquals(new float[] {0.1f, 0.9f, 1 - 0.5046f, 0.5046f, 1 - 0.5064f, 0.5064f}, thinned.values(),
        1e-6f);
    assertArrayEquals(new float[] {0.1f, 0.9f, 0.8f, 0.2f, 0.7f, 0.3f}, values, "the input is not changed");
  }

  /**
   * With 3 classes, class 0 becomes one minus the raised foreground and classes 1 and 2 keep their proportions
   * (1:3 here; foreground 0.2 rises to 0.5046); where both were 0 they share it equally (foreground 0 rises to
   * 0.501).
   */
  @Test
  void moreClassesKeepTheirProportions() {
    float[] values = {0.1f, 0.45f, 0.45f, 0.8f, 0.05f, 0.15f, 1f, 0f, 0f};
    float[] thinned = BoundaryThinning.thin(new ProbabilityMap(3, 1, 3, values), 0.5, RIDGE, 0).values();
    assertArrayEquals(new float[] {0.1f, 0.45f, 0.45f}, Arrays.copyOfRange(thinned, 0, 3));
    assertEquals(1 - 0.5046, thinned[3], 1e-6);
    assertEquals(0.5046 * 0.25, thinned[4], 1e-6);
    assertEquals(0.5046 * 0.75, thinned[5], 1e-6);
    assertEquals(1 - 0.501, thinned[6], 1e-6);
    assertEquals(0.501 / 2, thinned[7], 1e-6);
    assertEquals(0.501 / 2, thinned[8], 1e-6);
  }

  @Test
  void aMapWithoutForegroundIsReturnedAsItIs() {
    ProbabilityMap dark = new ProbabilityMap(3, 2, 1, new float[] {0.1f, 0.2f, 0.5f, 0.3f, 0f, 0.4f});
    assertSame(dark, BoundaryThinning.thin(dark, 0.5, RIDGE, 0));
    assertSame(dark, BoundaryThinning.thin(dark, 0.5, BORDER, 0));
    ProbabilityMap one = new ProbabilityMap(1, 1, 2, new float[] {0.3f, 0.7f});
    assertArrayEquals(new float[] {0.3f, 0.7f}, BoundaryThinning.thin(one, 0.5, RIDGE, 0).values());
  }

  @Test
  void thresholdOutsideZeroToOneIsRefused() {
    ProbabilityMap map = new ProbabilityMap(1, 1, 1, new float[] {0.5f});
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BoundaryThinning.thin(map, 1.5, RIDGE, 0));
    assertEquals("a threshold is a probability 0..1, got 1.5", e.getMessage());
  }

  /**
   * Random maps of odd sizes at several thresholds, thinned by each method: thresholded where it was thinned, the
   * map's 4-connected components are exactly the regions of a reference (the border thinning's own, or a
   * brute-force ridge flood that scans for the next pixel instead of keeping a heap) and each holds exactly one
   * component of the net's map above the threshold (none merged or split); dams keep the net's values; no pixel
   * falls; above threshold + 0.01 the mask is the net's own; and the raised pixels keep the net's order (a pixel
   * the net put higher is not raised less). Without a floor, a ridge's dam touches two regions or none.
   */
  @Test
  void thresholdedThinnedMapGivesTheThinnedRegions() {
    Random random = new Random(7);
    int[][] sizes = {{1, 1}, {7, 3}, {13, 11}, {31, 17}, {40, 40}};
    for (int[] size : sizes) {
      for (double threshold : new double[] {0.3, 0.5, 0.8}) {
        int w = size[0];
        int h = size[1];
        float[] p = smoothNoise(random, w, h);
        boolean[] cells = new boolean[p.length];
        boolean any = false;
        for (int i = 0; i < p.length; i++) {
          cells[i] = p[i] > threshold;
          any |= cells[i];
        }
        int[] net = new int[p.length];
        ConnectedComponents.label(cells, w, h, net);
        for (double[] method : new double[][] {{0, 0}, {1, 0}, {1, 0.1}}) {
          ThinningMethod thinning = method[0] == 0 ? BORDER : RIDGE;
          double floor = method[1];
          String where = w + "x" + h + " at " + threshold + ", " + thinning + " floor " + floor;
          float[] q = BoundaryThinning.thin(new ProbabilityMap(w, h, 1, p), threshold, thinning, floor).foreground();
          if (!any) {
            assertArrayEquals(p, q, where);
            continue;
          }
          int[] regions = thinning == BORDER ? BorderThinning.thin(cells, w, h)
              : bruteForceRidge(p, cells, new Size3(1, h, w), floor);
          boolean[] mask = new boolean[q.length];
          for (int i = 0; i < q.length; i++) {
            assertTrue(q[i] >= p[i], where + ": no pixel falls");
            mask[i] = q[i] > threshold;
            assertEquals(regions[i] > 0, mask[i], where + ": pixel " + i + " is in a region exactly when above");
            if (regions[i] == 0) {
              assertEquals(p[i], q[i], where + ": a dam keeps its value");
            }
            if (q[i] > threshold + BoundaryThinning.MARGIN + 1e-6 || p[i] > threshold + BoundaryThinning.MARGIN) {
              assertEquals(p[i], q[i], where + ": above the raised value the map is the net's");
            }
            if (thinning == RIDGE && floor == 0 && regions[i] == 0) {
              int touched = distinctNeighbourRegions(regions, i, new Size3(1, h, w));
              assertTrue(touched == 0 || touched >= 2, where + ": dam " + i + " touches " + touched + " region");
            }
          }
          assertRaisedInOrder(p, q, where);
          int[] components = new int[q.length];
          ConnectedComponents.label(mask, w, h, components);
          assertSamePartition(regions, components, where);
          assertSamePartition(net, grownBack(components, cells), where + ": the net's components");
        }
      }
    }
  }

  /**
   * The ridge flood without a heap: every round scans all waiting voxels for the highest foreground (ties: the
   * earliest to wait), which takes its labelled face neighbours' region or becomes a dam (0) where two differ.
   */
  private static int[] bruteForceRidge(float[] p, boolean[] cells, Size3 size, double floor) {
    int n = p.length;
    int[] label = new int[n];
    ConnectedComponents3d.label(cells, size, label);
    long[] waitingSince = new long[n];
    Arrays.fill(waitingSince, -1);
    boolean[] done = new boolean[n];
    long clock = 0;
    for (int i = 0; i < n; i++) {
      done[i] = cells[i];
    }
    for (int i = 0; i < n; i++) {
      if (!cells[i] && p[i] >= floor && distinctNeighbourRegions(label, i, size) > 0) {
        waitingSince[i] = clock++;
      }
    }
    while (true) {
      int next = -1;
      for (int i = 0; i < n; i++) {
        if (!done[i] && waitingSince[i] >= 0 && (next < 0 || p[i] > p[next]
            || (p[i] == p[next] && waitingSince[i] < waitingSince[next]))) {
          next = i;
        }
      }
      if (next < 0) {
        return label;
      }
      done[next] = true;
      if (distinctNeighbourRegions(label, next, size) != 1) {
        continue;
      }
      for (int q : neighbours(next, size)) {
        if (label[q] > 0) {
          label[next] = label[q];
        }
      }
      for (int q : neighbours(next, size)) {
        if (!done[q] && waitingSince[q] < 0 && p[q] >= floor) {
          waitingSince[q] = clock++;
        }
      }
    }
  }

  private static int distinctNeighbourRegions(int[] label, int i, Size3 size) {
    return (int) neighbours(i, size).stream().mapToInt(q -> label[q]).filter(l -> l > 0).distinct().count();
  }

  /** The face neighbours inside the volume, in the floods' order: x-1, y-1, z-1, x+1, y+1, z+1. */
  private static List<Integer> neighbours(int i, Size3 size) {
    List<Integer> around = new ArrayList<>();
    int x = i % size.x();
    int y = i / size.x() % size.y();
    int z = i / (size.x() * size.y());
    int plane = size.x() * size.y();
    if (x > 0) {
      around.add(i - 1);
    }
    if (y > 0) {
      around.add(i - size.x());
    }
    if (z > 0) {
      around.add(i - plane);
    }
    if (x < size.x() - 1) {
      around.add(i + 1);
    }
    if (y < size.y() - 1) {
      around.add(i + size.x());
    }
    if (z < size.z() - 1) {
      around.add(i + plane);
    }
    return around;
  }

  /** The thinned components restricted to the net's cells (0 elsewhere). */
  private static int[] grownBack(int[] components, boolean[] cells) {
    int[] restricted = new int[components.length];
    for (int i = 0; i < cells.length; i++) {
      restricted[i] = cells[i] ? components[i] : 0;
    }
    return restricted;
  }

  /** A column along z thins as the same row in a plane; a volume of one plane as its image. */
  @Test
  void aColumnThinsAsARowAndAPlaneAsItsImage() {
    float[] row = {0.9f, 0.2f, 0.1f, 0.3f, 0.05f, 0.9f};
    for (ThinningMethod method : new ThinningMethod[] {BORDER, RIDGE}) {
      VolumeProbabilities column = new VolumeProbabilities(new Size3(6, 1, 1), 1, row.clone());
      assertArrayEquals(BoundaryThinning.thin(new ProbabilityMap(6, 1, 1, row), 0.5, method, 0).foreground(),
          BoundaryThinning.thin(column, 0.5, method, 0).foreground(), method.toString());
      float[] p = smoothNoise(new Random(11), 13, 9);
      float[] image = BoundaryThinning.thin(new ProbabilityMap(13, 9, 1, p), 0.5, method, 0).foreground();
      assertArrayEquals(image, BoundaryThinning.thin(new VolumeProbabilities(new Size3(1, 9, 13), 1, p), 0.5, method,
          0).foreground(), method.toString());
    }
    VolumeProbabilities dark = new VolumeProbabilities(new Size3(2, 2, 2), 1, new float[8]);
    assertSame(dark, BoundaryThinning.thin(dark, 0.5, RIDGE, 0));
    assertSame(dark, BoundaryThinning.thin(dark, 0.5, ThinningMethod.NONE, 0));
  }

  /**
   * Random volumes of odd sizes, thinned by each method in 3D: the same properties as for images, against the
   * border thinning's 3D regions and the brute-force ridge flood through face neighbours; regions are 6-connected.
   */
  @Test
  void thinnedVolumesGiveTheThinnedRegionsIn3d() {
    Random random = new Random(5);
    Size3[] sizes = {new Size3(1, 1, 1), new Size3(3, 5, 4), new Size3(4, 7, 6), new Size3(6, 9, 11)};
    for (Size3 size : sizes) {
      for (double threshold : new double[] {0.3, 0.6}) {
        int n = Math.toIntExact(size.voxels());
        float[] p = new float[n];
        for (int z = 0; z < size.z(); z++) {
          System.arraycopy(smoothNoise(random, size.x(), size.y()), 0, p, z * size.x() * size.y(),
              size.x() * size.y());
        }
        boolean[] cells = new boolean[n];
        boolean any = false;
        for (int i = 0; i < n; i++) {
          cells[i] = p[i] > threshold;
          any |= cells[i];
        }
        int[] net = new int[n];
        ConnectedComponents3d.label(cells, size, net);
        for (double[] method : new double[][] {{0, 0}, {1, 0}, {1, 0.1}}) {
          ThinningMethod thinning = method[0] == 0 ? BORDER : RIDGE;
          double floor = method[1];
          String where = size + " at " + threshold + ", " + thinning + " floor " + floor;
          float[] q = BoundaryThinning.thin(new VolumeProbabilities(size, 1, p), threshold, thinning, floor)
              .foreground();
          if (!any) {
            assertArrayEquals(p, q, where);
            continue;
          }
          int[] regions = thinning == BORDER ? BorderThinning.thin(cells, size) : bruteForceRidge(p, cells, size, floor);
          boolean[] mask = new boolean[n];
          for (int i = 0; i < n; i++) {
            assertTrue(q[i] >= p[i], where + ": no voxel falls");
            mask[i] = q[i] > threshold;
            assertEquals(regions[i] > 0, mask[i], where + ": voxel " + i + " is in a region exactly when above");
            if (regions[i] == 0) {
              assertEquals(p[i], q[i], where + ": a dam keeps its value");
            }
          }
          assertRaisedInOrder(p, q, where);
          int[] components = new int[n];
          ConnectedComponents3d.label(mask, size, components);
          assertSamePartition(regions, components, where);
          assertSamePartition(net, grownBack(components, cells), where + ": the net's components");
        }
      }
    }
  }

  /** Among the pixels that were raised, sorted by the net's value, the raised values never fall. */
  private static void assertRaisedInOrder(float[] p, float[] q, String where) {
    Integer[] raised = IntStream.range(0, p.length).filter(i -> q[i] != p[i]).boxed()
        .sorted((a, b) -> Float.compare(p[a], p[b])).toArray(Integer[]::new);
    for (int k = 1; k < raised.length; k++) {
      assertTrue(q[raised[k]] >= q[raised[k - 1]], where + ": pixel " + raised[k] + " (" + p[raised[k]]
          + ") raised below pixel " + raised[k - 1] + " (" + p[raised[k - 1]] + ")");
    }
  }

  /** Values with some spatial structure: a coarse random grid, bilinearly interpolated. */
  private static float[] smoothNoise(Random random, int w, int h) {
    int gw = w / 4 + 2;
    int gh = h / 4 + 2;
    float[] grid = new float[gw * gh];
    for (int i = 0; i < grid.length; i++) {
      grid[i] = random.nextFloat();
    }
    float[] out = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        float gx = x / 4f;
        float gy = y / 4f;
        int x0 = (int) gx;
        int y0 = (int) gy;
        float fx = gx - x0;
        float fy = gy - y0;
        out[y * w + x] = (1 - fy) * ((1 - fx) * grid[y0 * gw + x0] + fx * grid[y0 * gw + x0 + 1])
            + fy * ((1 - fx) * grid[(y0 + 1) * gw + x0] + fx * grid[(y0 + 1) * gw + x0 + 1]);
      }
    }
    return out;
  }

  /** Labels 0 in the same places and a one-to-one correspondence between the other labels. */
  private static void assertSamePartition(int[] a, int[] b, String where) {
    Map<Integer, Integer> ab = new HashMap<>();
    Map<Integer, Integer> ba = new HashMap<>();
    for (int i = 0; i < a.length; i++) {
      assertEquals(a[i] == 0, b[i] == 0, where);
      if (a[i] != 0) {
        int x = a[i];
        int y = b[i];
        assertEquals(y, (int) ab.computeIfAbsent(x, k -> y), where + ": a region split");
        assertEquals(x, (int) ba.computeIfAbsent(y, k -> x), where + ": regions merged");
      }
    }
  }
}
