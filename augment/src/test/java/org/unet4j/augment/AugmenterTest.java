package org.unet4j.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.unet4j.dsl.recipe.AugmentationSpec;
import org.unet4j.dsl.recipe.ElasticTransform;
import org.unet4j.dsl.recipe.FlipTransform;
import org.unet4j.dsl.recipe.GrayValueTransform;
import org.unet4j.dsl.recipe.Interpolation;
import org.unet4j.dsl.recipe.RotationTransform;
import org.unet4j.dsl.recipe.ScaleTransform;
import org.unet4j.dsl.recipe.ShiftTransform;
import org.unet4j.dsl.recipe.TransformSpec;

class AugmenterTest {

  private static final AugmentationSpec EVERYTHING = new AugmentationSpec(List.of(
      new ElasticTransform(1, 3, 10),
      new FlipTransform(1, FlipTransform.Symmetry.DIHEDRAL),
      new RotationTransform(1, 180),
      new ShiftTransform(1, 16),
      new ScaleTransform(1, 0.8, 1.25),
      new GrayValueTransform(1, 0.1, 0.2, 0.2, 0.02)), Interpolation.BICUBIC);

  private static Augmenter only(TransformSpec... transforms) {
    return Augmenter.of(new AugmentationSpec(List.of(transforms), Interpolation.BICUBIC));
  }

  @ParameterizedTest(name = "sample {0}x{1}, tile {2}/{3}")
  @CsvSource({"31, 27, 21, 9", "40, 40, 40, 40", "12, 9, 15, 5", "5, 5, 3, 1", "64, 48, 28, 12"})
  void labelsAndWeightsOnlyTakeInputValues(int height, int width, int tileSize, int labelSize) {
    Sample sample = TestImages.random(height, width, 1, height * 31L + width);
    Set<Integer> classes = Set.of(0, 3, 7);
    Augmenter augmenter = Augmenter.of(EVERYTHING);
    for (int seed = 0; seed < 40; seed++) {
      Tile tile = augmenter.randomTile(sample, TileShape.square(tileSize, labelSize), seed);
      for (int label : tile.labels()) {
        assertTrue(classes.contains(label), "label " + label);
      }
      for (float weight : tile.weights()) {
        assertTrue(weight == Math.rint(weight) && weight >= 1 && weight <= 5, "weight " + weight);
      }
    }
  }

  @Test
  void theSameSeedGivesTheSameTileAndAnotherSeedAnotherTile() {
    Sample sample = TestImages.random(50, 45, 2, 4);
    TileShape shape = new TileShape(33, 29, 17, 13);
    Augmenter augmenter = Augmenter.of(EVERYTHING);
    Tile first = augmenter.tile(sample, shape, 3, -4, 77);
    Tile again = Augmenter.of(EVERYTHING).tile(sample, shape, 3, -4, 77);
    assertArrayEquals(first.image(), again.image());
    assertArrayEquals(first.labels(), again.labels());
    assertArrayEquals(first.weights(), again.weights());
    Tile other = augmenter.tile(sample, shape, 3, -4, 78);
    assertFalse(Arrays.equals(first.image(), other.image()));
    assertFalse(Arrays.equals(first.labels(), other.labels()));
  }

  @Test
  void tilesDoNotDependOnThreads() {
    Sample sample = TestImages.random(60, 60, 1, 9);
    TileShape shape = TileShape.square(36, 20);
    Augmenter augmenter = Augmenter.of(EVERYTHING);
    List<float[]> serial = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      serial.add(augmenter.randomTile(sample, shape, Seeds.forSample(42, 3, i)).image());
    }
    float[][] parallel = IntStream.range(0, 64).parallel()
        .mapToObj(i -> augmenter.randomTile(sample, shape, Seeds.forSample(42, 3, i)).image())
        .toArray(float[][]::new);
    for (int i = 0; i < 64; i++) {
      assertArrayEquals(serial.get(i), parallel[i], "sample " + i);
    }
  }

  @Test
  void splitMixMatchesTheReferenceGenerator() {
    // java.util.SplittableRandom seeded directly is SplitMix64 with the golden gamma: an
    // independent implementation of the same sequence.
    for (long seed : new long[] {0, 1, -1, 42, 0x123456789abcdefL}) {
      SplittableRandom reference = new SplittableRandom(seed);
      SplitMix64 ours = new SplitMix64(seed);
      for (int i = 0; i < 100; i++) {
        assertEquals(reference.nextLong(), ours.nextLong());
      }
    }
    // The first output from state 0 in Vigna's splitmix64.c.
    assertEquals(0xe220a8397b1dcdafL, new SplitMix64(0).nextLong());
  }

  @Test
  void sampleSeedsAreDistinctAndReproducible() {
    Set<Long> seeds = new HashSet<>();
    for (int step = 0; step < 100; step++) {
      for (int index = 0; index < 100; index++) {
        assertTrue(seeds.add(Seeds.forSample(42, step, index)));
      }
    }
    assertEquals(Seeds.forSample(42, 7, 3), Seeds.forSample(42, 7, 3));
    assertTrue(Seeds.forSample(42, 7, 3) != Seeds.forSample(43, 7, 3));
    assertTrue(Seeds.forSample(0, 0, 0) != 0);
  }

  @Test
  void imageLabelsAndWeightsStayAligned() {
    // A 5x5 marker in all three arrays must land on the same pixels under rotation and elastic
    // deformation: labels and weights exactly (same source pixel), the image to within a pixel.
    int n = 61;
    float[] image = new float[n * n];
    int[] labels = new int[n * n];
    float[] weights = new float[n * n];
    Arrays.fill(weights, 1f);
    for (int y = 36; y < 41; y++) {
      for (int x = 22; x < 27; x++) {
        image[y * n + x] = 1f;
        labels[y * n + x] = 1;
        weights[y * n + x] = 5f;
      }
    }
    Sample sample = new Sample(n, n, 1, image, labels, weights);
    Augmenter augmenter = only(new RotationTransform(1, 180), new ElasticTransform(1, 3, 4));
    TileShape shape = TileShape.uncropped(n, n);
    for (int seed = 0; seed < 30; seed++) {
      Tile tile = augmenter.tile(sample, shape, 0, 0, seed);
      double labelY = 0;
      double labelX = 0;
      int labelCount = 0;
      double imageY = 0;
      double imageX = 0;
      double mass = 0;
      for (int y = 0; y < n; y++) {
        for (int x = 0; x < n; x++) {
          int i = y * n + x;
          assertEquals(tile.labels()[i] == 1, tile.weights()[i] == 5f, "pixel " + y + "," + x);
          if (tile.labels()[i] == 1) {
            labelY += y;
            labelX += x;
            labelCount++;
            assertTrue(tile.image()[i] > 0.3f, "image " + tile.image()[i] + " under the label at " + y + "," + x);
          }
          if (tile.image()[i] > 0.5f) {
            imageY += y * tile.image()[i];
            imageX += x * tile.image()[i];
            mass += tile.image()[i];
          }
        }
      }
      assertTrue(labelCount >= 15, "marker of " + labelCount + " pixels");
      assertEquals(labelY / labelCount, imageY / mass, 1.0, "seed " + seed);
      assertEquals(labelX / labelCount, imageX / mass, 1.0, "seed " + seed);
    }
  }

  @Test
  void dihedralFlipsGiveExactlyTheEightSymmetries() {
    int n = 6;
    Sample sample = TestImages.indexed(n, n, 1);
    Augmenter augmenter = only(new FlipTransform(1, FlipTransform.Symmetry.DIHEDRAL));
    Set<List<Integer>> seen = new HashSet<>();
    for (int seed = 0; seed < 200; seed++) {
      int[] labels = augmenter.apply(sample, seed).labels();
      seen.add(Arrays.stream(labels).boxed().toList());
    }
    Set<List<Integer>> expected = new HashSet<>();
    for (int k = 0; k < 8; k++) {
      int[] labels = new int[n * n];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          // Hand-written: transpose when k is odd, then reverse rows and/or columns.
          int r = (k & 1) != 0 ? j : i;
          int c = (k & 1) != 0 ? i : j;
          r = (k & 2) != 0 ? n - 1 - r : r;
          c = (k & 4) != 0 ? n - 1 - c : c;
          labels[i * n + j] = r * n + c;
        }
      }
      expected.add(Arrays.stream(labels).boxed().toList());
    }
    assertEquals(8, expected.size());
    assertEquals(expected, seen);

    Augmenter mirrors = only(new FlipTransform(1, FlipTransform.Symmetry.MIRRORS));
    Set<List<Integer>> mirrored = new HashSet<>();
    for (int seed = 0; seed < 100; seed++) {
      mirrored.add(Arrays.stream(mirrors.apply(sample, seed).labels()).boxed().toList());
    }
    assertEquals(4, mirrored.size());
    assertTrue(expected.containsAll(mirrored));
  }

  @Test
  void transformsFireWithTheirProbability() {
    Augmenter augmenter = only(new RotationTransform(0.3, 180));
    TileShape shape = TileShape.square(9, 9);
    int fired = 0;
    for (int seed = 0; seed < 4000; seed++) {
      if (!augmenter.warp(shape, seed).isIdentity()) {
        fired++;
      }
    }
    // Binomial(4000, 0.3): standard deviation 29.
    assertEquals(1200, fired, 120);
    assertTrue(only(new ElasticTransform(0, 3, 10)).warp(shape, 5).isIdentity());
  }

  @Test
  void drawsStayWithinTheirRanges() {
    TileShape shape = TileShape.square(21, 21);
    double[] p = new double[2];
    double maxShift = 0;
    double maxAngle = 0;
    double minScale = 10;
    double maxScale = 0;
    for (int seed = 0; seed < 2000; seed++) {
      p[0] = 0;
      p[1] = 0;
      only(new ShiftTransform(1, 5)).warp(shape, seed).mapCentred(p);
      assertTrue(Math.abs(p[0]) <= 5 && Math.abs(p[1]) <= 5);
      maxShift = Math.max(maxShift, Math.max(Math.abs(p[0]), Math.abs(p[1])));

      p[0] = 0;
      p[1] = 10;
      only(new RotationTransform(1, 30)).warp(shape, seed).mapCentred(p);
      double angle = Math.toDegrees(Math.atan2(p[0], p[1]));
      assertTrue(Math.abs(angle) <= 30 + 1e-9, "angle " + angle);
      maxAngle = Math.max(maxAngle, Math.abs(angle));

      p[0] = 0;
      p[1] = 10;
      only(new ScaleTransform(1, 0.8, 1.25)).warp(shape, seed).mapCentred(p);
      double factor = 10 / p[1];
      assertTrue(factor >= 0.8 - 1e-12 && factor <= 1.25 + 1e-12, "factor " + factor);
      minScale = Math.min(minScale, factor);
      maxScale = Math.max(maxScale, factor);
    }
    assertTrue(maxShift > 4.9 && maxAngle > 29.5 && minScale < 0.81 && maxScale > 1.24);
  }

  @Test
  void randomTilesKeepTheLabelCropInsideTheSample() {
    int height = 9;
    int width = 7;
    Sample sample = TestImages.indexed(height, width, 1);
    TileShape shape = TileShape.square(8, 4);
    Augmenter identity = Augmenter.of(AugmentationSpec.none());
    Set<Integer> corners = new HashSet<>();
    for (int seed = 0; seed < 500; seed++) {
      int corner = identity.randomTile(sample, shape, seed).labels()[0];
      int row = corner / width;
      int col = corner % width;
      assertTrue(row <= height - 4 && col <= width - 4, "crop at " + row + "," + col);
      corners.add(corner);
    }
    assertEquals((height - 3) * (width - 3), corners.size());
  }

  @Test
  void userAugmentationsRunLastWithTheirOwnReproducibleRandom() {
    Sample sample = TestImages.random(10, 10, 1, 3);
    Augmenter augmenter = only(new GrayValueTransform(1, 0.1, 0.2, 0.2, 0.02))
        .andThen((tile, random) -> Arrays.fill(tile.image(), (float) random.nextDouble()))
        .andThen((tile, random) -> tile.weights()[0] = 42f);
    Sample first = augmenter.apply(sample, 5);
    float value = first.image()[0];
    for (float v : first.image()) {
      assertEquals(value, v);
    }
    assertEquals(42f, first.weights()[0]);
    assertArrayEquals(first.image(), augmenter.apply(sample, 5).image());
    assertTrue(augmenter.apply(sample, 6).image()[0] != value);
    assertEquals(2, augmenter.extensions().size());
  }
}
