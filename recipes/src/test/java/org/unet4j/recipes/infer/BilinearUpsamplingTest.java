package org.unet4j.recipes.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link BilinearUpsampling}: small cases by hand, any size against the bilinear formula. */
class BilinearUpsamplingTest {

  /**
   * Stride 2, a row of 0 and 4: the coarse values sit at fine coordinates 0.5 and 2.5, so fine
   * pixels 1 and 2 are 1/4 and 3/4 of the way (1 and 3) and pixels 0 and 3 repeat the edges.
   */
  @Test
  void strideTwoByHand() {
    // both axes are upsampled: the one row becomes two equal rows
    assertArrayEquals(new float[] {0, 1, 3, 4, 0, 1, 3, 4},
        new BilinearUpsampling(2).upsample(new float[] {0, 4}, 2, 1));
  }

  /**
   * Stride 3, a column of 0, 3, 9 (odd stride and sizes): the values sit on fine pixels 1, 4 and
   * 7; between them the steps are 1 and 2.
   */
  @Test
  void strideThreeByHand() {
    float[] fine = new BilinearUpsampling(3).upsample(new float[] {0, 3, 9}, 1, 3);
    // 3 columns per row, all equal: read the first column
    float[] column = new float[9];
    for (int v = 0; v < 9; v++) {
      column[v] = fine[v * 3];
      assertEquals(fine[v * 3], fine[v * 3 + 2]);
    }
    assertArrayEquals(new float[] {0, 0, 1, 2, 3, 5, 7, 9, 9}, column);
  }

  /**
   * 2x2 by stride 2: the 4x4 result's inner 2x2 mixes all four values with weights 9/16, 3/16,
   * 3/16, 1/16: for a = 0, b = 16, c = 32, d = 48 pixel (1, 1) is 0.75 (0.75 a + 0.25 b) + 0.25
   * (0.75 c + 0.25 d) = 12.
   */
  @Test
  void twoByTwoByHand() {
    float[] fine = new BilinearUpsampling(2).upsample(new float[] {0, 16, 32, 48}, 2, 2);
    assertEquals(12, fine[1 * 4 + 1]);
    assertEquals(20, fine[1 * 4 + 2]); // 0.75 (0.25 a + 0.75 b) + 0.25 (0.25 c + 0.75 d) = 9 + 11
    assertEquals(0, fine[0]);
    assertEquals(48, fine[15]);
  }

  @ParameterizedTest(name = "{0}x{1} by {2}")
  @CsvSource({"1,1,2", "1,1,3", "5,3,2", "3,7,3", "4,4,4", "6,5,5", "2,9,8", "7,7,1"})
  void matchesTheBilinearFormula(int width, int height, int stride) {
    SplittableRandom random = new SplittableRandom(width * 100L + height * 10L + stride);
    float[] coarse = new float[width * height];
    for (int i = 0; i < coarse.length; i++) {
      coarse[i] = (float) random.nextDouble();
    }
    float[] fine = new BilinearUpsampling(stride).upsample(coarse, width, height);
    assertEquals(width * stride * height * stride, fine.length);
    for (int v = 0; v < height * stride; v++) {
      for (int u = 0; u < width * stride; u++) {
        assertEquals(reference(coarse, width, height, stride, u, v), fine[v * width * stride + u], 1e-6,
            "pixel (" + u + ", " + v + ")");
      }
    }
  }

  @Test
  void refusesAWrongLength() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new BilinearUpsampling(2).upsample(new float[5], 2, 3));
    assertEquals("expected 2x3 = 6 values, got 5", e.getMessage());
  }

  /**
   * The bilinear formula with half-pixel centres, one fine pixel at a time: fine pixel u has its
   * centre at u + 1/2, which is (u + 1/2) / s in coarse units, coarse pixel j's centre at j + 1/2;
   * outside the outermost centres the edge value.
   */
  static double reference(float[] coarse, int width, int height, int stride, int u, int v) {
    double tx = Math.min(Math.max((u + 0.5) / stride - 0.5, 0), width - 1);
    double ty = Math.min(Math.max((v + 0.5) / stride - 0.5, 0), height - 1);
    int x0 = (int) Math.floor(tx);
    int y0 = (int) Math.floor(ty);
    int x1 = Math.min(x0 + 1, width - 1);
    int y1 = Math.min(y0 + 1, height - 1);
    double fx = tx - x0;
    double fy = ty - y0;
    return (1 - fy) * ((1 - fx) * coarse[y0 * width + x0] + fx * coarse[y0 * width + x1])
        + fy * ((1 - fx) * coarse[y1 * width + x0] + fx * coarse[y1 * width + x1]);
  }
}
