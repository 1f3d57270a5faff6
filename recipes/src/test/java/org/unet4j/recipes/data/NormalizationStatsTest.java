package org.unet4j.recipes.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.unet4j.dsl.recipe.IntensityScaling;
import org.unet4j.dsl.recipe.NormalizationSpec;

class NormalizationStatsTest {
  /** A page of random samples of {@code type}; floats span signs and magnitudes, with ties and -0.0. */
  private static Image random(PixelType type, int width, int height, int channels, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] pixels = new float[width * height * channels];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = switch (type) {
        case UINT8 -> random.nextInt(256);
        case UINT16 -> random.nextInt(3) == 0 ? random.nextInt(20) : random.nextInt(65536);
        case FLOAT32 -> switch (random.nextInt(6)) {
          case 0 -> -0.0f;
          case 1 -> 0.0f;
          case 2 -> (float) (random.nextGaussian() * 1e-30);
          case 3 -> (float) random.nextInt(5);
          default -> (float) (random.nextGaussian() * 1000);
        };
      };
    }
    return new Image(width, height, channels, type, pixels);
  }

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (IntensityScaling scaling : IntensityScaling.values()) {
      for (PixelType type : PixelType.values()) {
        for (int[] size : new int[][] {{1, 1, 1}, {37, 23, 1}, {16, 40, 3}}) {
          cases.add(Arguments.of(scaling, type, size[0], size[1], size[2]));
        }
      }
    }
    return cases.stream();
  }

  /**
   * Statistics gathered by bands of a few rows normalise every sample to the very float that
   * {@link Normalizer} gives from the whole image.
   */
  @ParameterizedTest(name = "{0}, {1}, {2}x{3}x{4}")
  @MethodSource("cases")
  void bandsGiveTheWholeImageNormalisation(IntensityScaling scaling, PixelType type, int width, int height,
      int channels) {
    Image image = random(type, width, height, channels, width * 31L + height);
    NormalizationSpec spec = new NormalizationSpec(scaling, 2.5, 97);
    float[] expected = Normalizer.apply(image, spec);
    // Bands of 3 rows (or 1 row when a row alone is larger).
    NormalizationStats banded = NormalizationStats.of(PageSource.of(image), spec, 3 * width * channels);
    assertArrayEquals(expected, banded.apply(image.pixels()));
    assertEquals(NormalizationStats.of(image, spec), banded);
  }

  /**
   * 0..99 once each: rank 0.01 * 99 = 0.99 lies between 0 and 1, so the 1st percentile is 0.99;
   * rank 0.998 * 99 = 98.802 gives 98.802. Derived by hand, not by sorting.
   */
  @Test
  void percentilesInterpolateBetweenOrderStatistics() {
    float[] pixels = new float[100];
    for (int i = 0; i < 100; i++) {
      pixels[i] = (i * 37) % 100;
    }
    for (PixelType type : List.of(PixelType.UINT8, PixelType.UINT16, PixelType.FLOAT32)) {
      NormalizationStats stats = NormalizationStats.of(PageSource.of(Image.gray(10, 10, type, pixels)),
          NormalizationSpec.percentile(), 10);
      assertEquals(0.99, stats.offset(), 1e-12, type.toString());
      assertEquals(1 / (98.802 - 0.99), stats.scale(), 1e-12, type.toString());
    }
  }

  /** A constant image keeps its scale 1, as the whole-image normalisation does. */
  @Test
  void constantImageHasUnitScale() {
    float[] pixels = new float[12];
    java.util.Arrays.fill(pixels, 7);
    for (IntensityScaling scaling : List.of(IntensityScaling.PERCENTILE, IntensityScaling.MIN_MAX,
        IntensityScaling.Z_SCORE)) {
      NormalizationStats stats = NormalizationStats.of(Image.gray(4, 3, PixelType.FLOAT32, pixels),
          new NormalizationSpec(scaling, 1, 99.8));
      assertEquals(new NormalizationStats(7, 1), stats, scaling.toString());
    }
  }

  /** The float keys order as Float.compare does, and map back to the same float. */
  @Test
  void floatKeysOrderAsFloatCompare() {
    float[] values = {Float.NEGATIVE_INFINITY, -3e38f, -1f, -Float.MIN_VALUE, -0.0f, 0.0f, Float.MIN_VALUE, 1e-30f,
        1f, 3e38f, Float.POSITIVE_INFINITY, Float.NaN};
    for (int i = 0; i < values.length; i++) {
      assertEquals(Float.floatToIntBits(values[i]), Float.floatToIntBits(NormalizationStats.value(
          NormalizationStats.key(values[i]))));
      for (int j = 0; j < values.length; j++) {
        assertEquals(Integer.signum(Float.compare(values[i], values[j])), Integer.signum(Integer.compareUnsigned(
            NormalizationStats.key(values[i]), NormalizationStats.key(values[j]))), values[i] + " vs " + values[j]);
      }
    }
  }
}
