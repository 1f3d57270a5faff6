package org.unet4j.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.unet4j.dsl.recipe.AugmentationSpec;
import org.unet4j.dsl.recipe.GrayValueTransform;
import org.unet4j.dsl.recipe.Interpolation;

class GrayValuesTest {

  @Test
  void brightnessAddsAnOffset() {
    float[] image = {0f, 0.5f, 1f, -0.25f};
    GrayValues.brightness(image, 0.1);
    assertArrayEquals(new float[] {0.1f, 0.6f, 1.1f, -0.15f}, image, 1e-7f);
  }

  @Test
  void contrastScalesAboutEachChannelsMean() {
    // Two channels: (0, 1, 2) with mean 1, (10, 10, 40) with mean 20.
    float[] image = {0f, 10f, 1f, 10f, 2f, 40f};
    GrayValues.contrast(image, 2, 2.0);
    assertArrayEquals(new float[] {-1f, 0f, 1f, 0f, 3f, 60f}, image, 1e-6f);
  }

  @Test
  void gammaBendsWithinTheRange() {
    float[] unit = {0f, 0.5f, 1f, 0.25f};
    GrayValues.gamma(unit, 1, 2.0);
    assertArrayEquals(new float[] {0f, 0.25f, 1f, 0.0625f}, unit, 1e-7f);
    // Range [1, 3]: 2 is half way and becomes 1 + 2 * 0.5^2 = 1.5.
    float[] shifted = {1f, 2f, 3f};
    GrayValues.gamma(shifted, 1, 2.0);
    assertArrayEquals(new float[] {1f, 1.5f, 3f}, shifted, 1e-6f);
    float[] flat = {4f, 4f};
    GrayValues.gamma(flat, 1, 0.5);
    assertArrayEquals(new float[] {4f, 4f}, flat);
  }

  @Test
  void noiseHasTheRequestedStandardDeviation() {
    float[] image = new float[200_000];
    GrayValues.noise(image, 0.05, new SplitMix64(7));
    double sum = 0;
    double sumSquares = 0;
    for (float v : image) {
      sum += v;
      sumSquares += (double) v * v;
    }
    double mean = sum / image.length;
    assertEquals(0, mean, 0.001);
    assertEquals(0.05, Math.sqrt(sumSquares / image.length - mean * mean), 0.0005);
  }

  @Test
  void brightnessOnlyMovesEveryValueByTheSameOffsetWithinRange() {
    Sample sample = TestImages.random(9, 8, 2, 1);
    Augmenter augmenter = Augmenter.of(new AugmentationSpec(
        List.of(new GrayValueTransform(1, 0.1, 0, 0, 0)), Interpolation.BICUBIC));
    double lowest = 1;
    double highest = -1;
    for (int seed = 0; seed < 200; seed++) {
      Sample out = augmenter.apply(sample, seed);
      double offset = out.image()[0] - sample.image()[0];
      for (int i = 0; i < sample.image().length; i++) {
        assertEquals(offset, out.image()[i] - sample.image()[i], 1e-6);
      }
      assertTrue(Math.abs(offset) <= 0.1 + 1e-6);
      lowest = Math.min(lowest, offset);
      highest = Math.max(highest, offset);
      // Gray values never touch labels or weights.
      assertArrayEquals(sample.labels(), out.labels());
      assertArrayEquals(sample.weights(), out.weights());
    }
    assertTrue(lowest < -0.09 && highest > 0.09, "offsets span [" + lowest + ", " + highest + "]");
  }

  @Test
  void contrastOnlyKeepsTheMeanAndScalesTheSpreadWithinRange() {
    Sample sample = TestImages.random(7, 9, 1, 2);
    Augmenter augmenter = Augmenter.of(new AugmentationSpec(
        List.of(new GrayValueTransform(1, 0, 0.2, 0, 0)), Interpolation.BILINEAR));
    double mean = 0;
    for (float v : sample.image()) {
      mean += v / 63.0;
    }
    for (int seed = 0; seed < 50; seed++) {
      Sample out = augmenter.apply(sample, seed);
      double factor = (out.image()[1] - out.image()[0]) / (double) (sample.image()[1] - sample.image()[0]);
      assertTrue(factor >= 0.8 - 1e-4 && factor <= 1.2 + 1e-4, "factor " + factor);
      for (int i = 0; i < 63; i++) {
        assertEquals(mean + factor * (sample.image()[i] - mean), out.image()[i], 1e-5);
      }
    }
  }
}
