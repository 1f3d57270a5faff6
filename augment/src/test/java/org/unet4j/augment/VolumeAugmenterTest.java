package org.unet4j.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.unet4j.dsl.model.Axis;
import org.unet4j.dsl.model.Size3;
import org.unet4j.dsl.model.VoxelSpacing;
import org.unet4j.dsl.recipe.AugmentationSpec;
import org.unet4j.dsl.recipe.ElasticTransform;
import org.unet4j.dsl.recipe.FlipTransform;
import org.unet4j.dsl.recipe.GrayValueTransform;
import org.unet4j.dsl.recipe.Interpolation;
import org.unet4j.dsl.recipe.RotationTransform;

class VolumeAugmenterTest {
  private static final Size3 SIZE = new Size3(5, 6, 7);

  /** Voxel values that name their position: 100 z + 10 y + x; labels 0/1 and weights 10 * label + 1. */
  private static VolumeSample sample(VoxelSpacing spacing) {
    int n = (int) SIZE.voxels();
    float[] image = new float[n];
    int[] labels = new int[n];
    float[] weights = new float[n];
    for (int z = 0, i = 0; z < SIZE.z(); z++) {
      for (int y = 0; y < SIZE.y(); y++) {
        for (int x = 0; x < SIZE.x(); x++, i++) {
          image[i] = 100 * z + 10 * y + x;
          labels[i] = (x + y + z) % 3 == 0 ? 1 : 0;
          weights[i] = 10 * labels[i] + 1;
        }
      }
    }
    return new VolumeSample(SIZE, 1, spacing, image, labels, weights);
  }

  @Test
  void withoutTransformsATileIsTheCropWithMirroredBorders() {
    VolumeSample s = sample(VoxelSpacing.ISOTROPIC);
    Size3 input = new Size3(3, 4, 5);
    Size3 output = new Size3(1, 2, 1);
    // Start one voxel before the sample along x: x = -1 mirrors to 1.
    VolumeTile tile = VolumeAugmenter.of(AugmentationSpec.none()).tile(s, input, output, new Size3(2, 1, -1), 9);
    for (int z = 0, i = 0; z < 3; z++) {
      for (int y = 0; y < 4; y++) {
        for (int x = 0; x < 5; x++, i++) {
          int sx = Math.abs(x - 1);
          assertEquals(100 * (z + 2) + 10 * (y + 1) + sx, tile.image()[i], 1e-4, "voxel " + z + "," + y + "," + x);
        }
      }
    }
    assertEquals(new Size3(1, 1, 2), tile.cropStart());
    // Crop voxel (0, j, 0) is input voxel (1, 1 + j, 2), sample voxel (3, 2 + j, 1).
    assertArrayEquals(new int[] {(3 + 2 + 1) % 3 == 0 ? 1 : 0, (3 + 3 + 1) % 3 == 0 ? 1 : 0}, tile.labels());
  }

  @Test
  void mirrorAlongZReversesThePlanes() {
    VolumeSample s = sample(VoxelSpacing.ISOTROPIC);
    VolumeTile tile = VolumeWarp.identity().mirror(Axis.Z).resample(s, SIZE, SIZE, new Size3(0, 0, 0),
        Interpolation.BICUBIC);
    for (int z = 0, i = 0; z < 5; z++) {
      for (int y = 0; y < 6; y++) {
        for (int x = 0; x < 7; x++, i++) {
          assertEquals(100 * (4 - z) + 10 * y + x, tile.image()[i], 1e-3);
        }
      }
    }
  }

  @Test
  void aQuarterTurnTakesEachPlaneFromTheTurnedPosition() {
    Size3 cube = new Size3(2, 6, 6);
    VolumeSample s = new VolumeSample(cube, 1, VoxelSpacing.ISOTROPIC, positions(cube), new int[72], new float[72]);
    VolumeTile turned = VolumeWarp.identity().quarterTurns(1).resample(s, cube, cube, new Size3(0, 0, 0),
        Interpolation.BICUBIC);
    for (int z = 0, i = 0; z < 2; z++) {
      for (int y = 0; y < 6; y++) {
        for (int x = 0; x < 6; x++, i++) {
          // Pixel (i, j) of an n x n tile turned once comes from (n-1-j, i).
          assertEquals(100 * z + 10 * (5 - x) + y, turned.image()[i], 1e-3);
        }
      }
    }
    VolumeTile rotated = VolumeWarp.identity().rotateAboutZ(90, VoxelSpacing.ISOTROPIC).resample(s, cube, cube,
        new Size3(0, 0, 0), Interpolation.BICUBIC);
    for (int i = 0; i < 72; i++) {
      assertEquals(turned.image()[i], rotated.image()[i], 1e-4);
    }
  }

  @ParameterizedTest(name = "degrees {0}")
  @ValueSource(doubles = {17, 90, -133})
  void aRotationAboutZKeepsPhysicalDistancesWithUnequalInPlaneSpacing(double degrees) {
    VoxelSpacing spacing = new VoxelSpacing(3, 2, 1);
    VolumeWarp warp = VolumeWarp.identity().rotateAboutZ(degrees, spacing);
    double[] p = {1.5, 2, -3};
    double before = Math.hypot(p[1] * 2, p[2]);
    warp.mapCentred(p);
    assertEquals(1.5, p[0], 1e-12, "z stays");
    assertEquals(before, Math.hypot(p[1] * 2, p[2]), 1e-9);
  }

  @Test
  void elasticDeviationPerAxisScalesWithTheSpacing() {
    // z voxels 4 times as deep as x: sigma 8 x voxels is 2 z voxels.
    VolumeAugmenter augmenter = VolumeAugmenter.of(new AugmentationSpec(List.of(new ElasticTransform(1, 3, 8)),
        Interpolation.BICUBIC));
    Size3 input = new Size3(9, 9, 9);
    double[] squares = new double[3];
    int draws = 600;
    for (int seed = 0; seed < draws; seed++) {
      // The corner voxel is a node: its displacement is the drawn vector.
      double[] p = {-4, -4, -4};
      augmenter.warp(input, new VoxelSpacing(0.8, 0.2, 0.2), seed).mapCentred(p);
      for (int a = 0; a < 3; a++) {
        squares[a] += (p[a] + 4) * (p[a] + 4);
      }
    }
    assertEquals(2, Math.sqrt(squares[0] / draws), 0.2);
    assertEquals(8, Math.sqrt(squares[1] / draws), 0.8);
    assertEquals(8, Math.sqrt(squares[2] / draws), 0.8);
  }

  @Test
  void flipsNeverSwapUnequalInPlaneSpacings() {
    VolumeAugmenter dihedral = VolumeAugmenter.of(new AugmentationSpec(
        List.of(new FlipTransform(1, FlipTransform.Symmetry.DIHEDRAL)), Interpolation.BICUBIC));
    boolean turned = false;
    for (int seed = 0; seed < 64; seed++) {
      double[] anisotropic = {0, 1, 0};
      dihedral.warp(SIZE, new VoxelSpacing(1, 2, 1), seed).mapCentred(anisotropic);
      assertEquals(0, anisotropic[2], 0, "a y step stays a y step");
      double[] square = {0, 1, 0};
      dihedral.warp(SIZE, new VoxelSpacing(5, 1, 1), seed).mapCentred(square);
      turned |= square[2] != 0;
    }
    assertTrue(turned, "square in-plane voxels get quarter turns");
  }

  @Test
  void tilesAreRepeatableAndLabelsKeepTheirWeights() {
    VolumeSample s = sample(new VoxelSpacing(2, 1, 1));
    VolumeAugmenter augmenter = VolumeAugmenter.of(new AugmentationSpec(List.of(
        new ElasticTransform(1, 3, 2), new FlipTransform(1, FlipTransform.Symmetry.DIHEDRAL),
        new RotationTransform(1, 30), new GrayValueTransform(1, 0.1, 0.2, 0.2, 0.05)), Interpolation.BICUBIC));
    Size3 input = new Size3(4, 6, 6);
    Size3 output = new Size3(2, 2, 4);
    VolumeTile a = augmenter.randomTile(s, input, output, 42);
    VolumeTile b = augmenter.randomTile(s, input, output, 42);
    VolumeTile c = augmenter.randomTile(s, input, output, 43);
    assertArrayEquals(a.image(), b.image());
    assertArrayEquals(a.labels(), b.labels());
    assertFalse(Arrays.equals(a.image(), c.image()));
    for (int i = 0; i < a.labels().length; i++) {
      assertEquals(10 * a.labels()[i] + 1, a.weights()[i], "weight read from the label's voxel");
    }
  }

  private static float[] positions(Size3 size) {
    float[] out = new float[(int) size.voxels()];
    for (int z = 0, i = 0; z < size.z(); z++) {
      for (int y = 0; y < size.y(); y++) {
        for (int x = 0; x < size.x(); x++, i++) {
          out[i] = 100 * z + 10 * y + x;
        }
      }
    }
    return out;
  }
}
