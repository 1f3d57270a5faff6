package org.unet4j.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.function.IntBinaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.unet4j.dsl.recipe.AugmentationSpec;
import org.unet4j.dsl.recipe.Interpolation;

class WarpTest {

  static Stream<Arguments> shapes() {
    // sample height, width, channels; tile image h, w, label h, w; top, left
    return Stream.of(
        Arguments.of(10, 12, 1, 6, 8, 2, 4, 2, 3),
        Arguments.of(9, 7, 3, 5, 5, 3, 1, 1, 0),
        Arguments.of(13, 13, 2, 13, 13, 13, 13, 0, 0),
        Arguments.of(1, 1, 1, 1, 1, 1, 1, 0, 0),
        Arguments.of(8, 5, 1, 7, 3, 4, 3, 1, 2));
  }

  @ParameterizedTest(name = "{0}x{1}x{2} -> {3}x{4}/{5}x{6} at {7},{8}")
  @MethodSource("shapes")
  void identityCopiesTheCropExactly(int h, int w, int c, int th, int tw, int lh, int lw, int top, int left) {
    Sample sample = TestImages.random(h, w, c, 11);
    TileShape shape = new TileShape(th, tw, lh, lw);
    for (Interpolation interpolation : Interpolation.values()) {
      Tile tile = Warp.identity().resample(sample, shape, top, left, interpolation);
      float[] expectedImage = new float[th * tw * c];
      for (int y = 0; y < th; y++) {
        for (int x = 0; x < tw; x++) {
          for (int k = 0; k < c; k++) {
            expectedImage[(y * tw + x) * c + k] = sample.image()[((top + y) * w + left + x) * c + k];
          }
        }
      }
      assertArrayEquals(expectedImage, tile.image(), interpolation.name());
      int labelTop = top + (th - lh) / 2;
      int labelLeft = left + (tw - lw) / 2;
      int[] expectedLabels = new int[lh * lw];
      float[] expectedWeights = new float[lh * lw];
      for (int i = 0; i < lh; i++) {
        for (int j = 0; j < lw; j++) {
          expectedLabels[i * lw + j] = sample.labels()[(labelTop + i) * w + labelLeft + j];
          expectedWeights[i * lw + j] = sample.weights()[(labelTop + i) * w + labelLeft + j];
        }
      }
      assertArrayEquals(expectedLabels, tile.labels());
      assertArrayEquals(expectedWeights, tile.weights());
    }
  }

  @Test
  void augmenterWithoutTransformsIsTheIdentity() {
    Sample sample = TestImages.random(9, 11, 2, 3);
    Sample same = Augmenter.of(AugmentationSpec.none()).apply(sample, 123);
    assertArrayEquals(sample.image(), same.image());
    assertArrayEquals(sample.labels(), same.labels());
    assertArrayEquals(sample.weights(), same.weights());
  }

  /** Checks every image value, label and weight of {@code warp} applied to a whole n x n sample against {@code from}. */
  private static void assertPermutation(Warp warp, int n, IntBinaryOperator fromRow, IntBinaryOperator fromCol) {
    Sample sample = TestImages.random(n, n, 2, n);
    for (Interpolation interpolation : Interpolation.values()) {
      Tile tile = warp.resample(sample, TileShape.uncropped(n, n), 0, 0, interpolation);
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          int from = fromRow.applyAsInt(i, j) * n + fromCol.applyAsInt(i, j);
          for (int k = 0; k < 2; k++) {
            assertEquals(sample.image()[from * 2 + k], tile.image()[(i * n + j) * 2 + k], 1e-5,
                interpolation + " pixel " + i + "," + j);
          }
          assertEquals(sample.labels()[from], tile.labels()[i * n + j]);
          assertEquals(sample.weights()[from], tile.weights()[i * n + j]);
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("sizes")
  void quarterTurnIsTheHandWrittenRotation(int n) {
    // Clockwise on screen: out[i][j] = in[n-1-j][i].
    assertPermutation(Warp.identity().quarterTurns(1), n, (i, j) -> n - 1 - j, (i, j) -> i);
    assertPermutation(Warp.identity().quarterTurns(2), n, (i, j) -> n - 1 - i, (i, j) -> n - 1 - j);
    assertPermutation(Warp.identity().quarterTurns(-1), n, (i, j) -> j, (i, j) -> n - 1 - i);
    // The general rotation by 90 degrees agrees to rounding (cos 90 is not 0 in floating point).
    assertPermutation(Warp.identity().rotate(90), n, (i, j) -> n - 1 - j, (i, j) -> i);
    assertPermutation(Warp.identity().rotate(-270), n, (i, j) -> n - 1 - j, (i, j) -> i);
  }

  @ParameterizedTest
  @MethodSource("sizes")
  void mirrorsAreTheReversedArray(int n) {
    assertPermutation(Warp.identity().mirrorLeftRight(), n, (i, j) -> i, (i, j) -> n - 1 - j);
    assertPermutation(Warp.identity().mirrorUpDown(), n, (i, j) -> n - 1 - i, (i, j) -> j);
    // A turn, then a mirror: the transpose.
    assertPermutation(Warp.identity().quarterTurns(1).mirrorLeftRight(), n, (i, j) -> j, (i, j) -> i);
  }

  static Stream<Integer> sizes() {
    return Stream.of(1, 2, 5, 8, 11);
  }

  @Test
  void integerShiftIsTheShiftedCrop() {
    Sample sample = TestImages.random(20, 17, 1, 5);
    TileShape shape = new TileShape(9, 7, 5, 3);
    int top = 6;
    int left = 5;
    int dy = 3;
    int dx = -2;
    Tile tile = Warp.identity().shift(dy, dx).resample(sample, shape, top, left, Interpolation.BICUBIC);
    for (int y = 0; y < 9; y++) {
      for (int x = 0; x < 7; x++) {
        assertEquals(sample.image()[(top + y - dy) * 17 + left + x - dx], tile.image()[y * 7 + x]);
      }
    }
    for (int i = 0; i < 5; i++) {
      for (int j = 0; j < 3; j++) {
        int from = (top + 2 + i - dy) * 17 + left + 2 + j - dx;
        assertEquals(sample.labels()[from], tile.labels()[i * 3 + j]);
        assertEquals(sample.weights()[from], tile.weights()[i * 3 + j]);
      }
    }
  }

  @Test
  void interpolationReproducesALinearRampAndAConstant() {
    int h = 30;
    int w = 31;
    float[] ramp = new float[h * w];
    float[] constant = new float[h * w];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        ramp[y * w + x] = 0.25f * y - 0.5f * x + 3;
        constant[y * w + x] = 0.7f;
      }
    }
    Sample rampSample = Sample.unweighted(h, w, 1, ramp, new int[h * w]);
    Sample constantSample = Sample.unweighted(h, w, 1, constant, new int[h * w]);
    // Fractional shift and a small rotation keep every tap inside (tile 11x11 at (10, 10)).
    Warp warp = Warp.identity().shift(0.3, -0.7).rotate(7.5);
    for (Interpolation interpolation : Interpolation.values()) {
      Tile tile = warp.resample(rampSample, TileShape.square(11, 11), 10, 10, interpolation);
      double[] p = new double[2];
      for (int y = 0; y < 11; y++) {
        for (int x = 0; x < 11; x++) {
          p[0] = y - 5;
          p[1] = x - 5;
          warp.mapCentred(p);
          double sy = p[0] + 15;
          double sx = p[1] + 15;
          assertEquals(0.25 * sy - 0.5 * sx + 3, tile.image()[y * 11 + x], 5e-6, interpolation + " " + y + "," + x);
        }
      }
    }
    // A constant stays exactly constant, mirrored border and elastic deformation included.
    Warp wild = Augmenter.of(AugmentationSpec.paper()).warp(TileShape.square(40, 20), 99);
    for (Interpolation interpolation : Interpolation.values()) {
      Tile tile = wild.resample(constantSample, TileShape.square(40, 20), -5, -5, interpolation);
      for (float v : tile.image()) {
        assertEquals(0.7f, v);
      }
    }
  }

  @Test
  void rotationTurnsAPointAboutTheTileCentre() {
    double[] p = {0, 10};
    Warp.identity().rotate(30).mapCentred(p);
    // Backward map of a clockwise turn by 30 degrees: the source is 30 degrees anticlockwise.
    assertEquals(-10 * Math.sin(Math.toRadians(30)), p[0], 1e-12);
    assertEquals(10 * Math.cos(Math.toRadians(30)), p[1], 1e-12);
    double[] q = {4, -6};
    Warp.identity().scale(2).shift(1, 2).mapCentred(q);
    assertEquals(1.5, q[0], 1e-15);
    assertEquals(-4, q[1], 1e-15);
  }

  @Test
  void rejectsBadArguments() {
    assertEquals("scale factor must be positive, got 0.0",
        assertThrows(IllegalArgumentException.class, () -> Warp.identity().scale(0)).getMessage());
    assertEquals("degrees must be finite, got NaN",
        assertThrows(IllegalArgumentException.class, () -> Warp.identity().rotate(Double.NaN)).getMessage());
    assertEquals("label crop 5x4 is larger than the image tile 4x4",
        assertThrows(IllegalArgumentException.class, () -> new TileShape(4, 4, 5, 4)).getMessage());
    assertEquals("image of a 2x3 sample with 1 channels needs 6 values, got 5",
        assertThrows(IllegalArgumentException.class,
            () -> new Sample(2, 3, 1, new float[5], new int[6], new float[6])).getMessage());
    assertEquals("labels of a 2x3 sample need 6 values, got 7",
        assertThrows(IllegalArgumentException.class,
            () -> new Sample(2, 3, 1, new float[6], new int[7], new float[6])).getMessage());
  }
}
