package org.unet4j.recipes.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.unet4j.labels.BorderThinning;
import org.unet4j.labels.ConnectedComponents;

/**
 * Thinned boundaries of a probability map: hand-worked rows, the other classes following the foreground, and
 * on random maps of odd sizes the properties the predictor relies on, checked against the thinning's own
 * regions.
 */
class BoundaryThinningTest {
  private static final float RAISED = 0.51f;

  /**
   * Two cells with a boundary 4 pixels wide: the flooding order gives left, left, dam, right (the thinning's
   * own hand-worked case), so pixels 1, 2 and 4 rise to 0.5 + 0.01 and the dam keeps its 0.2.
   */
  @Test
  void boundaryPixelsJoiningARegionRiseJustAboveTheThreshold() {
    ProbabilityMap row = new ProbabilityMap(6, 1, 1, new float[] {0.9f, 0.2f, 0.1f, 0.2f, 0.1f, 0.9f});
    assertArrayEquals(new float[] {0.9f, RAISED, RAISED, 0.2f, RAISED, 0.9f},
        BoundaryThinning.thin(row, 0.5).foreground());
  }

  /** Of a two-class soft-max, class 0 is one minus the raised foreground. */
  @Test
  void twoClassesStaySummingToOne() {
    float[] values = {0.1f, 0.9f, 0.8f, 0.2f, 0.7f, 0.3f};
    ProbabilityMap thinned = BoundaryThinning.thin(new ProbabilityMap(3, 1, 2, values), 0.5);
    assertArrayEquals(new float[] {0.1f, 0.9f, 1 - RAISED, RAISED, 1 - RAISED, RAISED}, thinned.values());
    assertArrayEquals(new float[] {0.1f, 0.9f, 0.8f, 0.2f, 0.7f, 0.3f}, values, "the input is not changed");
  }

  /**
   * With 3 classes, class 0 becomes one minus the raised foreground and classes 1 and 2 keep their proportions
   * (1:3 here); where both were 0 they share it equally.
   */
  @Test
  void moreClassesKeepTheirProportions() {
    float[] values = {0.1f, 0.45f, 0.45f, 0.8f, 0.05f, 0.15f, 1f, 0f, 0f};
    float[] thinned = BoundaryThinning.thin(new ProbabilityMap(3, 1, 3, values), 0.5).values();
    assertArrayEquals(new float[] {0.1f, 0.45f, 0.45f}, Arrays.copyOfRange(thinned, 0, 3));
    assertEquals(1 - RAISED, thinned[3], 1e-6);
    assertEquals(RAISED * 0.25, thinned[4], 1e-6);
    assertEquals(RAISED * 0.75, thinned[5], 1e-6);
    assertEquals(1 - RAISED, thinned[6], 1e-6);
    assertEquals(RAISED / 2, thinned[7], 1e-6);
    assertEquals(RAISED / 2, thinned[8], 1e-6);
  }

  @Test
  void aMapWithoutForegroundIsReturnedAsItIs() {
    ProbabilityMap dark = new ProbabilityMap(3, 2, 1, new float[] {0.1f, 0.2f, 0.5f, 0.3f, 0f, 0.4f});
    assertSame(dark, BoundaryThinning.thin(dark, 0.5));
    ProbabilityMap one = new ProbabilityMap(1, 1, 2, new float[] {0.3f, 0.7f});
    assertArrayEquals(new float[] {0.3f, 0.7f}, BoundaryThinning.thin(one, 0.5).values());
  }

  @Test
  void thresholdOutsideZeroToOneIsRefused() {
    ProbabilityMap map = new ProbabilityMap(1, 1, 1, new float[] {0.5f});
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BoundaryThinning.thin(map, 1.5));
    assertEquals("a threshold is a probability 0..1, got 1.5", e.getMessage());
  }

  /**
   * Random maps of odd sizes at several thresholds: thresholded where it was thinned, the map's 4-connected
   * components are exactly the thinning's regions (the same partition of the pixels, none merged or split); its
   * dams keep the net's values; no pixel falls; and above threshold + 0.01 the mask is the net's own.
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
        ProbabilityMap thinned = BoundaryThinning.thin(new ProbabilityMap(w, h, 1, p), threshold);
        float[] q = thinned.foreground();
        boolean[] cells = new boolean[p.length];
        boolean any = false;
        for (int i = 0; i < p.length; i++) {
          cells[i] = p[i] > threshold;
          any |= cells[i];
          assertTrue(q[i] >= p[i], "no pixel falls");
        }
        String where = w + "x" + h + " at " + threshold;
        if (!any) {
          assertArrayEquals(p, q, where);
          continue;
        }
        int[] regions = BorderThinning.thin(cells, w, h);
        boolean[] mask = new boolean[q.length];
        for (int i = 0; i < q.length; i++) {
          mask[i] = q[i] > threshold;
          assertEquals(regions[i] > 0, mask[i], where + ": pixel " + i + " is in a region exactly when above");
          if (regions[i] == 0) {
            assertEquals(p[i], q[i], where + ": a dam keeps its value");
          }
          if (q[i] > threshold + BoundaryThinning.MARGIN + 1e-6 || p[i] > threshold + BoundaryThinning.MARGIN) {
            assertEquals(p[i], q[i], where + ": above the raised value the map is the net's");
          }
        }
        int[] components = new int[q.length];
        ConnectedComponents.label(mask, w, h, components);
        assertSamePartition(regions, components, where);
      }
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
