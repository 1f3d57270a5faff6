package org.unet4j.recipes.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.unet4j.dsl.model.Padding;
import org.unet4j.dsl.model.UNet;
import org.unet4j.dsl.recipe.InferenceSpec;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.dsl.recipe.TestTimeAugmentation;
import org.unet4j.recipes.data.Image;
import org.unet4j.recipes.data.Normalizer;
import org.unet4j.recipes.model.ModelSource;

/**
 * Overlap-tile prediction of nets whose output is coarser than their input (issue 19): the tiles'
 * outputs, upsampled bilinearly, give what one pass over the whole mirror-extended image gives
 * after upsampling, on odd sizes and an image smaller than a tile.
 */
class StridePredictionTest {
  /** Depth 2, one expanding stage: stride 2, output (tile - 36) / 2, margin 18, step 20 at 60. */
  private static final Recipe STRIDE2 = TinyModels.recipe("stride2",
      UNet.builder().depth(2).baseFilters(4).expanding(e -> e.stage(8)).build(), 60);
  /** Depth 3, one expanding stage: stride 4, 4 output pixels at 92, step 8. */
  private static final Recipe STRIDE4 = TinyModels.recipe("stride4",
      UNet.builder().depth(3).baseFilters(4).expanding(e -> e.stage(16)).build(), 92);
  /** Padded, depth 2, one expanding stage: stride 2 with border pixels dropped in whole blocks. */
  private static final Recipe PADDED2 = TinyModels.recipe("padded2",
      UNet.builder().depth(2).baseFilters(4).padding(Padding.SAME).expanding(e -> e.stage(8)).build(), 120);

  @TempDir static Path runs;

  @BeforeAll
  static void makeRuns() {
    for (Recipe r : List.of(STRIDE2, STRIDE4, PADDED2)) {
      TinyModels.untrainedRun(r, runs.resolve(r.name()));
    }
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(STRIDE2, 150, 97),
        Arguments.of(STRIDE2, 1, 1),
        Arguments.of(STRIDE4, 97, 150),
        Arguments.of(PADDED2, 150, 97));
  }

  @ParameterizedTest(name = "{0}, {1}x{2} image")
  @MethodSource("cases")
  void tiledPredictionEqualsOneUpsampledWholeImagePass(Recipe recipe, int width, int height) {
    Path run = runs.resolve(recipe.name());
    Image image = TinyModels.blobs(width, height, 3);
    InferenceSpec inference = new InferenceSpec(recipe.training().tile(), 2, TestTimeAugmentation.NONE, 0.5, 0,
        false);
    try (Predictor predictor = Predictor.open(ModelSource.of(run), inference)) {
      ProbabilityMap map = predictor.predict(image);
      assertEquals(width, map.width());
      assertEquals(height, map.height());
      float[] expected = TinyModels.wholeImage(recipe, run, Normalizer.apply(image, recipe.data().normalization()),
          width, height, predictor.tiling().context());
      double diff = TinyModels.maxDiff(expected, map.values());
      assertTrue(diff <= 1e-5, "max difference " + diff);
      for (int i = 0; i < map.values().length; i += 2) {
        assertEquals(1.0, map.values()[i] + map.values()[i + 1], 1e-5, "interpolated soft-max still sums to 1");
      }
    }
  }
}
