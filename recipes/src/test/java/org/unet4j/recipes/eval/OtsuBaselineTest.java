package org.unet4j.recipes.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.unet4j.labels.InstanceLabels;
import org.unet4j.recipes.data.Image;
import org.unet4j.recipes.data.PixelType;

class OtsuBaselineTest {
  /**
   * Four pixels at 0, two at 100, two at 200. Splitting after 0: w0 = w1 = 1/2, means 0 and 150,
   * between-class variance 1/4 * 150^2 = 5625; after 100: 3/4 * 1/4 * (200 - 100/3)^2 = 5208.3.
   * Every t in 0..99 gives the first split; the smallest, 0, wins.
   */
  @Test
  void thresholdOfAThreeLevelImageByHand() {
    Image image = Image.gray(4, 2, PixelType.UINT8, new float[] {0, 0, 0, 0, 100, 100, 200, 200});
    assertEquals(0, OtsuBaseline.threshold(image));
  }

  /** Every integer candidate scored from the pixel values themselves, the best (first) kept. */
  private static double bruteForce(float[] values) {
    float min = Float.MAX_VALUE;
    float max = -Float.MAX_VALUE;
    for (float v : values) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    double best = -1;
    double bestT = min;
    for (int t = (int) min; t < (int) max; t++) {
      double n0 = 0;
      double s0 = 0;
      double n1 = 0;
      double s1 = 0;
      for (float v : values) {
        if (v <= t) {
          n0++;
          s0 += v;
        } else {
          n1++;
          s1 += v;
        }
      }
      if (n0 == 0 || n1 == 0) {
        continue;
      }
      double d = s0 / n0 - s1 / n1;
      double between = n0 / values.length * (n1 / values.length) * d * d;
      if (between > best + 1e-9 * best) {
        best = between;
        bestT = t;
      }
    }
    return bestT;
  }

  @Test
  void thresholdEqualsABruteForceSearchOnRandom16BitImages() {
    SplittableRandom random = new SplittableRandom(7);
    for (int trial = 0; trial < 20; trial++) {
      int width = 13;
      int height = 7;
      float[] values = new float[width * height];
      for (int i = 0; i < values.length; i++) {
        // Two overlapping populations, as dim background and bright nuclei.
        values[i] = random.nextInt(4) == 0 ? 900 + random.nextInt(400) : 100 + random.nextInt(300);
      }
      Image image = Image.gray(width, height, PixelType.UINT16, values);
      assertEquals(bruteForce(values), OtsuBaseline.threshold(image), "trial " + trial);
    }
  }

  @Test
  void floatImagesSplitBetweenTheirLevels() {
    Image image = Image.gray(3, 2, PixelType.FLOAT32, new float[] {0.1f, 0.1f, 0.9f, 0.1f, 0.9f, 0.1f});
    double t = OtsuBaseline.threshold(image);
    assertTrue(t >= 0.1 && t < 0.9, "threshold " + t);
  }

  /** Two bright blobs touching only at a corner are two objects (4-connectivity); the dim pixels none. */
  @Test
  void segmentLabelsTheComponentsAboveTheThreshold() {
    float[] values = {
        200, 200, 10, 10, 10,
        200, 200, 10, 10, 10,
        10, 10, 200, 10, 10,
        10, 10, 10, 10, 200};
    InstanceLabels labels = OtsuBaseline.segment(Image.gray(5, 4, PixelType.UINT8, values));
    assertEquals(3, labels.cellCount());
    assertEquals(1, labels.label(0, 0));
    assertEquals(1, labels.label(1, 1));
    assertEquals(2, labels.label(2, 2));
    assertEquals(3, labels.label(4, 3));
    assertEquals(0, labels.label(3, 0));
  }

  @Test
  void aFlatImageHasNoObjectsAndNaNIsRefused() {
    assertEquals(0, OtsuBaseline.segment(Image.gray(2, 2, PixelType.UINT8, new float[] {5, 5, 5, 5})).cellCount());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OtsuBaseline.threshold(Image.gray(2, 1, PixelType.FLOAT32, new float[] {1, Float.NaN})));
    assertEquals("the image holds NaN; Otsu's threshold needs numbers", e.getMessage());
  }
}
