package org.unet4j.recipes.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unet4j.augment.Augmenter;
import org.unet4j.dsl.model.Geometry;
import org.unet4j.dsl.model.UNet;
import org.unet4j.dsl.recipe.AugmentationSpec;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.dsl.recipe.Recipes;
import org.unet4j.recipes.bench.BenchOptions;
import org.unet4j.recipes.data.Batch;
import org.unet4j.recipes.infer.Model;
import org.unet4j.recipes.infer.Segmentation;

/**
 * Issue 19: a net with fewer expanding than contracting stages (output stride 2 here) trains on
 * the labels of the blocks its output pixels stand for, downsampled by majority, and predicts
 * maps of the image's size.
 */
class StrideTrainingTest {
  /** Two contracting stages, one expanding stage: output stride 2. */
  private static final Recipe STRIDE = TinyRecipes.tinyAdam(4, 4).toBuilder()
      .name("tiny-stride").model(UNet.builder().depth(2).baseFilters(4).expanding(e -> e.stage(8)).build()).build();

  @TempDir Path dir;

  @Test
  void theNetsGeometryByHand() {
    Geometry g = STRIDE.model().geometry();
    // By hand at tile 60: 58, 56, pool 28; 26, 24, pool 12; bottleneck 10, 8; up-conv 16, the skip
    // (24) cropped to 16; 14, 12; 1x1 head 12. The margin is (60 - 2 x 12) / 2 = 18.
    assertEquals(2, g.outputStride());
    assertEquals(12, g.outputSize(TinyRecipes.TILE));
    assertEquals(18, g.margin());
    assertEquals(18, g.outputOrigin());
    assertEquals(STRIDE, Recipes.fromJson(Recipes.toJson(STRIDE)));
  }

  /**
   * The discs of {@link TrainingTest#discs} are bright exactly where their labels are cells, so a
   * batch's image tile says which targets it needs: output pixel (i, j) is the majority of the 2x2
   * block of tile pixels from (18 + 2i, 18 + 2j), a tie going to background.
   */
  @Test
  void targetsAreTheMajorityOfEachBlockOfTheImageTile() {
    TrainingData.Prepared prepared = TrainingData.of(List.of(TrainingTest.discs(0), TrainingTest.discs(1)))
        .prepare(STRIDE, Augmenter.of(AugmentationSpec.none()), 1, null);
    int tile = TinyRecipes.TILE;
    int cells = 0;
    int targets = 0;
    for (long step = 0; step < 3; step++) {
      Batch batch = prepared.training().batch(step);
      assertEquals(12, batch.output());
      for (int b = 0; b < batch.size(); b++) {
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (int p = 0; p < tile * tile; p++) {
          min = Math.min(min, batch.images()[b * tile * tile + p]);
          max = Math.max(max, batch.images()[b * tile * tile + p]);
        }
        float threshold = (min + max) / 2;
        for (int i = 0; i < 12; i++) {
          for (int j = 0; j < 12; j++) {
            int bright = 0;
            for (int dy = 0; dy < 2; dy++) {
              for (int dx = 0; dx < 2; dx++) {
                int y = 18 + 2 * i + dy;
                int x = 18 + 2 * j + dx;
                bright += batch.images()[b * tile * tile + y * tile + x] > threshold ? 1 : 0;
              }
            }
            int expected = bright > 2 ? 1 : 0;
            cells += expected;
            targets++;
            assertEquals(expected, batch.labels()[(b * 12 + i) * 12 + j],
                "step " + step + " slot " + b + " output pixel (" + j + ", " + i + ")");
            assertTrue(batch.weights()[(b * 12 + i) * 12 + j] > 0, "a positive weight");
          }
        }
      }
    }
    assertTrue(cells > 0 && cells < targets, cells + " of " + targets + " targets are cells: both classes are seen");
  }

  @Test
  void aStrideTwoNetTrainsAFewStepsAndPredictsMapsOfTheImagesSize() throws Exception {
    TrainingResult result = Training.of(STRIDE).data(TrainingData.of(List.of(TrainingTest.discs(0),
        TrainingTest.discs(1)))).threads(1).run(dir);
    assertEquals(4, result.steps());
    try (Model model = Model.load(dir)) {
      Segmentation s = model.predict(TrainingTest.discs(2).image());
      assertEquals(64, s.probabilities().width());
      assertEquals(64, s.probabilities().height());
      for (float p : s.probabilities().foreground()) {
        assertTrue(p >= 0 && p <= 1, "probability " + p);
      }
    }
  }

  @Test
  void benchmarksAcceptTheNet() {
    assertEquals(60, BenchOptions.quick(STRIDE, 60, 1).tile());
  }
}
