package org.unet4j.recipes.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unet4j.dsl.model.Activation;
import org.unet4j.dsl.model.ModelSpec;
import org.unet4j.dsl.model.UNet;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.recipes.infer.Segmentation;
import org.unet4j.recipes.infer.Model;

/** A residual U-Net with attention-gated skips, group norm and GELU trains and predicts through the public API. */
class BlockKindsTrainingTest {
  @TempDir
  Path dir;

  @Test
  void aResidualAttentionUNetTrainsThreeStepsAndPredicts() throws Exception {
    // Depth 2, 4 base filters, unpadded: the blocks keep the plain net's geometry, so tile 60 gives 20.
    ModelSpec net = UNet.builder().depth(2).baseFilters(4).residual().attentionSkips().groupNorm(2)
        .activation(Activation.GELU).build();
    Recipe tiny = TinyRecipes.tinyAdam(3, 3);
    Recipe recipe = new Recipe("tiny-blocks", tiny.description(), net, tiny.loss(), tiny.augmentation(),
        tiny.training(), tiny.data(), tiny.inference());
    List<StepEvent> steps = new ArrayList<>();
    TrainingResult result = Training.of(recipe).data(TrainingData.of(List.of(TrainingTest.discs(0),
        TrainingTest.discs(1)))).listener(TrainingListener.onEveryStep(steps::add)).threads(1).run(dir);
    assertEquals(3, result.steps());
    assertEquals(3, steps.size());
    for (StepEvent step : steps) {
      assertTrue(Double.isFinite(step.loss()) && step.loss() > 0, "loss " + step.loss());
    }
    assertNotEquals(steps.get(0).loss(), steps.get(2).loss(), "the weights moved");
    try (Model model = Model.load(dir)) {
      assertEquals(recipe, model.recipe());
      Segmentation s = model.predict(TrainingTest.discs(3).image());
      assertEquals(64, s.probabilities().width());
      for (float p : s.probabilities().foreground()) {
        assertTrue(p >= 0 && p <= 1, "probability " + p);
      }
    }
  }
}
