package org.unet4j.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.unet4j.dsl.recipe.AugmentationSpec;
import org.unet4j.dsl.recipe.ElasticTransform;
import org.unet4j.dsl.recipe.Interpolation;

class ElasticFieldTest {

  @ParameterizedTest(name = "grid {0} on {1}x{2}")
  @CsvSource({"3, 252, 252", "3, 11, 7", "4, 9, 9", "2, 5, 6", "5, 101, 64"})
  void passesThroughTheNodeDisplacements(int grid, int height, int width) {
    int nodes = grid * grid;
    double[] dy = new double[nodes];
    double[] dx = new double[nodes];
    for (int k = 0; k < nodes; k++) {
      dy[k] = k * 1.5 - 4;
      dx[k] = 7 - k * k * 0.25;
    }
    ElasticField field = ElasticField.of(grid, height, width, dy, dx);
    for (int i = 0; i < grid; i++) {
      for (int j = 0; j < grid; j++) {
        double y = i * (height - 1) / (double) (grid - 1);
        double x = j * (width - 1) / (double) (grid - 1);
        assertEquals(dy[i * grid + j], field.displacementY(y, x), 1e-9, "node " + i + "," + j);
        assertEquals(dx[i * grid + j], field.displacementX(y, x), 1e-9, "node " + i + "," + j);
      }
    }
  }

  @Test
  void equalNodesGiveAConstantField() {
    double[] dy = new double[9];
    double[] dx = new double[9];
    java.util.Arrays.fill(dy, 2.5);
    java.util.Arrays.fill(dx, -1.25);
    ElasticField field = ElasticField.of(3, 21, 13, dy, dx);
    for (double y = -5; y < 26; y += 0.7) {
      for (double x = -5; x < 18; x += 0.9) {
        assertEquals(2.5, field.displacementY(y, x), 1e-12);
        assertEquals(-1.25, field.displacementX(y, x), 1e-12);
      }
    }
  }

  @Test
  void isSmoothBetweenNodes() {
    // One node displaced by 10 px: the field rises and falls without jumps and stays within
    // Catmull-Rom's small overshoot (the kernel's most negative lobe is -0.075).
    double[] dy = new double[9];
    dy[4] = 10;
    ElasticField field = ElasticField.of(3, 101, 101, dy, new double[9]);
    double previous = field.displacementY(50, 0);
    for (int x = 1; x < 101; x++) {
      double value = field.displacementY(50, x);
      assertTrue(Math.abs(value - previous) < 0.5, "jump at " + x);
      assertTrue(value > -0.75 - 1e-9 && value <= 10 + 1e-9, "value " + value + " at " + x);
      previous = value;
    }
    assertEquals(10, field.displacementY(50, 50), 1e-12);
  }

  @Test
  void nodeDisplacementsHaveThePapersStandardDeviation() {
    // Paper Sec. 3.1: 3x3 grid, Gaussian with 10 px standard deviation, drawn through the augmenter.
    TileShape shape = TileShape.square(252, 164);
    Augmenter augmenter = Augmenter.of(new AugmentationSpec(List.of(ElasticTransform.paper()), Interpolation.BICUBIC));
    int draws = 3000;
    double sum = 0;
    double sumSquares = 0;
    int count = 0;
    double[] p = new double[2];
    for (int seed = 0; seed < draws; seed++) {
      Warp warp = augmenter.warp(shape, seed);
      for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 3; j++) {
          p[0] = i * 125.5 - 125.5;
          p[1] = j * 125.5 - 125.5;
          double y0 = p[0];
          double x0 = p[1];
          warp.mapCentred(p);
          for (double d : new double[] {p[0] - y0, p[1] - x0}) {
            sum += d;
            sumSquares += d * d;
            count++;
          }
        }
      }
    }
    double mean = sum / count;
    double std = Math.sqrt(sumSquares / count - mean * mean);
    // 54,000 values: the standard error of the std is about 10 / sqrt(2 * 54000) = 0.03 px.
    assertEquals(0, mean, 0.15);
    assertEquals(10, std, 0.2);
  }

  @Test
  void rejectsBadGrids() {
    assertEquals("grid must have at least 2 nodes per axis, got 1",
        assertThrows(IllegalArgumentException.class,
            () -> ElasticField.of(1, 5, 5, new double[1], new double[1])).getMessage());
    assertEquals("a 3x3 grid needs 9 displacements per component, got 9 and 8",
        assertThrows(IllegalArgumentException.class,
            () -> ElasticField.of(3, 5, 5, new double[9], new double[8])).getMessage());
  }
}
