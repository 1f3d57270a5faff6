package org.unet4j.labels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.unet4j.dsl.InvalidInputException;
import org.unet4j.dsl.model.Size3;
import org.unet4j.dsl.model.VoxelSpacing;
import org.unet4j.dsl.recipe.ClassBalance;
import org.unet4j.dsl.recipe.WeightedCrossEntropyLoss;

/** The volume label tools against brute force over every pair of voxels. */
class Volumes3dTest {

  @ParameterizedTest(name = "{0}x{1}x{2} spacing {3}x{4}x{5} density {6}")
  @CsvSource({
      "1,1,1, 1,1,1, 0.5", "1,5,7, 3,1,1, 0.1", "5,1,1, 2.5,1,1, 0.3", "4,6,5, 1,1,1, 0.05",
      "7,3,9, 4,1,1, 0.1", "3,8,8, 0.5,2,1, 0.02", "6,6,6, 1,1,1, 0", "2,3,4, 1,1,1, 1"})
  void distanceTransformMatchesBruteForce(int nz, int ny, int nx, double sz, double sy, double sx, double density) {
    Size3 size = new Size3(nz, ny, nx);
    VoxelSpacing spacing = new VoxelSpacing(sz, sy, sx);
    Random random = new Random(nz * 31L + ny * 7L + nx);
    boolean[] features = new boolean[(int) size.voxels()];
    for (int i = 0; i < features.length; i++) {
      features[i] = random.nextDouble() < density;
    }
    double[] fast = DistanceTransform3d.squaredDistances(features, size, spacing);
    for (int i = 0; i < features.length; i++) {
      double best = Double.POSITIVE_INFINITY;
      for (int j = 0; j < features.length; j++) {
        if (features[j]) {
          best = Math.min(best, squaredDistance(size, spacing, i, j));
        }
      }
      assertEquals(best, fast[i], 1e-9 * Math.max(1, best), "voxel " + i);
    }
  }

  @Test
  void componentsAreSixConnected() {
    Size3 size = new Size3(2, 2, 2);
    // (0,0,0) and (1,1,1) share a corner only; (0,0,0) and (1,0,0) share a face.
    boolean[] mask = new boolean[8];
    mask[0] = true;
    mask[7] = true;
    mask[4] = true;
    int[] labels = new int[8];
    assertEquals(2, ConnectedComponents3d.label(mask, size, labels));
    assertArrayEquals(new int[] {1, 0, 0, 0, 1, 0, 0, 2}, labels);
    // Edge neighbours (0,0,0) and (0,1,1) are apart too.
    boolean[] edge = new boolean[8];
    edge[0] = true;
    edge[3] = true;
    assertEquals(2, ConnectedComponents3d.label(edge, size, new int[8]));
  }

  @Test
  void separationBordersCutEveryTouchingVoxelOnBothSides() {
    // Two boxes touching along the plane x = 2 | 3 of a 3x4x6 volume.
    Size3 size = new Size3(3, 4, 6);
    int[] labels = new int[72];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = i % 6 < 3 ? 5 : 9;
    }
    InstanceVolume separated = SeparationBorders3d.separate(InstanceVolume.of(labels, size));
    assertEquals(2, separated.cellCount());
    for (int z = 0; z < 3; z++) {
      for (int y = 0; y < 4; y++) {
        assertArrayEquals(new int[] {1, 1, 0, 0, 2, 2}, new int[] {separated.label(z, y, 0), separated.label(z, y, 1),
            separated.label(z, y, 2), separated.label(z, y, 3), separated.label(z, y, 4), separated.label(z, y, 5)});
      }
    }
  }

  @Test
  void diagonalContactAcrossPlanesIsSeparatedToo() {
    Size3 size = new Size3(2, 1, 2);
    InstanceVolume separated = SeparationBorders3d.separate(InstanceVolume.of(new int[] {1, 0, 0, 2}, size));
    assertEquals(0, separated.cellCount());
  }

  /** Two touching ellipsoids and a third apart, in an anisotropic stack: eq. 2 by brute force. */
  @ParameterizedTest(name = "z spacing {0}")
  @CsvSource({"1", "2.5"})
  void weightMapMatchesBruteForceEquationTwo(double zSpacing) {
    Size3 size = new Size3(7, 16, 18);
    int[] labels = ellipsoids(size, zSpacing);
    VoxelSpacing spacing = new VoxelSpacing(zSpacing * 0.2, 0.2, 0.2);
    WeightedCrossEntropyLoss loss = new WeightedCrossEntropyLoss(10, 3, ClassBalance.INVERSE_FREQUENCY, List.of());
    VolumeTarget target = WeightMap3d.compute(InstanceVolume.of(labels, size), loss, spacing);

    InstanceVolume cells = SeparationBorders3d.separate(InstanceVolume.of(labels, size));
    assertEquals(3, cells.cellCount());
    int[] separated = cells.toArray();
    long foreground = java.util.Arrays.stream(separated).filter(v -> v != 0).count();
    double n = separated.length;
    double wcBackground = n / (2.0 * (n - foreground));
    double wcCell = n / (2.0 * foreground);
    VoxelSpacing unit = new VoxelSpacing(zSpacing, 1, 1);
    boolean sawBorderTerm = false;
    for (int i = 0; i < separated.length; i++) {
      double expected;
      if (separated[i] != 0) {
        expected = wcCell;
        assertEquals(1, target.classLabel(i / (16 * 18), (i / 18) % 16, i % 18));
      } else {
        double[] d = new double[cells.cellCount() + 1];
        java.util.Arrays.fill(d, Double.POSITIVE_INFINITY);
        for (int j = 0; j < separated.length; j++) {
          int k = separated[j];
          if (k != 0) {
            d[k] = Math.min(d[k], squaredDistance(size, unit, i, j));
          }
        }
        java.util.Arrays.sort(d);
        double sum = Math.sqrt(d[0]) + Math.sqrt(d[1]);
        expected = wcBackground + 10 * Math.exp(-sum * sum / (2 * 9));
        sawBorderTerm |= expected > wcBackground + 1;
      }
      float actual = target.weights()[i];
      assertEquals(expected, actual, 1e-5 * expected + 10 * WeightMap.NEGLIGIBLE, "voxel " + i);
    }
    assertTrue(sawBorderTerm, "the touching pair gets a border term");
  }

  @Test
  void notAnnotatedVoxelsWeighNothingAndDoNotCountInTheBalance() {
    Size3 size = new Size3(3, 2, 2);
    // Plane 0 annotated (one cell voxel of four), plane 1 not annotated at all, plane 2 background.
    int[] labels = {0, 3, 0, 0, 99, 99, 99, 99, 0, 0, 0, 0};
    InstanceVolume instances = InstanceVolume.of(labels, size, 99);
    assertEquals(4, instances.ignoredCount());
    assertTrue(instances.ignored(1, 1, 0));
    WeightedCrossEntropyLoss loss = new WeightedCrossEntropyLoss(10, 5, ClassBalance.INVERSE_FREQUENCY, List.of());
    VolumeTarget target = WeightMap3d.compute(instances, loss, VoxelSpacing.ISOTROPIC);
    // 8 annotated voxels, 1 cell: w_c = 8 / (2 * 1) = 4 for the cell, 8 / (2 * 7) for background.
    float[] w = target.weights();
    assertEquals(4f, w[1], 1e-6);
    assertEquals(8 / 14f, w[0], 1e-6);
    for (int i = 4; i < 8; i++) {
      assertEquals(0f, w[i], "plane 1 is not annotated");
      assertEquals(0, target.classLabel(1, (i - 4) / 2, i % 2));
    }
    assertArrayEquals(new float[] {1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1}, WeightMap3d.unweighted(instances).weights());
  }

  @Test
  void negativeLabelsOtherThanTheIgnoreLabelAreRefused() {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> InstanceVolume.of(new int[] {0, -1}, new Size3(2, 1, 1), 7));
    assertTrue(e.getMessage().contains("instance label -1 at (x=0, y=0, z=1) is negative"), e.getMessage());
    assertTrue(e.getMessage().contains("or 7 for voxels that are not annotated"), e.getMessage());
    IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
        () -> InstanceVolume.of(new int[5], new Size3(2, 2, 1)));
    assertTrue(size.getMessage().contains("a 2x2x1 volume has 4 voxels but the array holds 5"), size.getMessage());
  }

  @Test
  void binaryStacksBecomeSixConnectedCellsAndMixedValuesAreRefused() {
    Size3 size = new Size3(2, 2, 2);
    // Foreground 255 at (0,0,0) and (1,1,1), a corner apart; 7 marks a voxel as not annotated.
    int[] raw = {255, 0, 0, 0, 0, 0, 7, 255};
    InstanceVolume cells = VolumeLabelDecoder.decode(raw, size, org.unet4j.dsl.recipe.LabelFormat.BINARY, 7);
    assertEquals(2, cells.cellCount());
    assertTrue(cells.ignored(1, 1, 0));
    assertEquals(0, cells.label(1, 1, 0));
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> VolumeLabelDecoder.decode(
        new int[] {1, 2, 0, 0, 0, 0, 0, 0}, size, org.unet4j.dsl.recipe.LabelFormat.BINARY, -1));
    assertTrue(e.getMessage().contains("this stack holds 2 (1, 2)"), e.getMessage());
  }

  /** Cells 1, 2 touching along x and cell 3 apart, ellipsoids with radii in physical units. */
  static int[] ellipsoids(Size3 size, double zSpacing) {
    int[] labels = new int[(int) size.voxels()];
    double[][] cells = {{3, 8, 5, 4.5}, {3, 8, 11.5, 3.5}, {3, 3, 15, 2}};
    for (int z = 0, i = 0; z < size.z(); z++) {
      for (int y = 0; y < size.y(); y++) {
        for (int x = 0; x < size.x(); x++, i++) {
          for (int k = 0; k < cells.length; k++) {
            double[] c = cells[k];
            double dz = (z - c[0]) * zSpacing / c[3];
            double dy = (y - c[1]) / c[3];
            double dx = (x - c[2]) / c[3];
            if (dz * dz + dy * dy + dx * dx <= 1) {
              labels[i] = k + 1;
            }
          }
        }
      }
    }
    return labels;
  }

  private static double squaredDistance(Size3 size, VoxelSpacing s, int i, int j) {
    double dz = (i / (size.x() * size.y()) - j / (size.x() * size.y())) * s.z();
    double dy = ((i / size.x()) % size.y() - (j / size.x()) % size.y()) * s.y();
    double dx = (i % size.x() - j % size.x()) * s.x();
    return dz * dz + dy * dy + dx * dx;
  }
}
