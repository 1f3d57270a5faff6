package org.unet4j.recipes.train;

import java.util.List;
import org.unet4j.dsl.model.UNet;
import org.unet4j.dsl.recipe.AdamOptimizer;
import org.unet4j.dsl.recipe.AugmentationSpec;
import org.unet4j.dsl.recipe.ConstantSchedule;
import org.unet4j.dsl.recipe.DataSpec;
import org.unet4j.dsl.recipe.InferenceSpec;
import org.unet4j.dsl.recipe.OptimizerSpec;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.dsl.recipe.Recipes;
import org.unet4j.dsl.recipe.TestTimeAugmentation;
import org.unet4j.dsl.recipe.TrainingSpec;
import org.unet4j.dsl.recipe.WeightedCrossEntropyLoss;

/** Recipes of tiny nets that train in seconds. */
final class TinyRecipes {
  /** Depth 2, 4 base filters: 60 -> 20. */
  static final int TILE = 60;

  private TinyRecipes() {}

  static Recipe tiny(OptimizerSpec optimizer, double learningRate, int steps, int checkpointEvery) {
    return new Recipe("tiny", "a tiny net for tests",
        UNet.builder().depth(2).baseFilters(4).build(), WeightedCrossEntropyLoss.paper(), AugmentationSpec.none(),
        new TrainingSpec(optimizer, learningRate, new ConstantSchedule(), 0, steps, 2, TILE, 7, checkpointEvery, 0),
        DataSpec.none(), new InferenceSpec(TILE, 1, TestTimeAugmentation.NONE, 0.5, 0, false));
  }

  static Recipe tinyAdam(int steps, int checkpointEvery) {
    return tiny(AdamOptimizer.defaults(), 1e-2, steps, checkpointEvery);
  }

  static Recipe with(Recipe recipe, String... assignments) {
    return Recipes.withOverrides(recipe, List.of(assignments));
  }
}
