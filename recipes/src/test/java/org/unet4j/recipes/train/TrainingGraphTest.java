package org.unet4j.recipes.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.dsl.recipe.SgdOptimizer;
import org.unet4j.recipes.data.Batch;
import org.unet4j.recipes.data.SyntheticTiles;

/**
 * {@link TrainingGraph#step} reuses its input tensors: every step must still see its own batch,
 * also when the batch size changes between steps. With learning rate 0 the weights never move,
 * so a step's loss depends only on its batch and its step number (the dropout masks), and a
 * graph that ran other steps before must give the loss a fresh graph gives.
 */
class TrainingGraphTest {
  private static final Recipe RECIPE = TinyRecipes.with(TinyRecipes.tiny(new SgdOptimizer(0.99), 0.01, 10, 10),
      "model.bottleneck.dropout=0.5");

  @Test
  void reusedInputsCarryEachStepsOwnBatch() {
    Batch first = tiles(2, 1).batch(0);
    Batch second = tiles(2, 2).batch(0);
    Batch single = tiles(1, 3).batch(0);
    float afterOthers;
    float singleAfterOthers;
    try (TrainingGraph graph = TrainingGraph.build(RECIPE, 1)) {
      graph.session().initialize();
      float firstLoss = graph.step(first, 0, 0).loss();
      afterOthers = graph.step(second, 0, 1).loss();
      assertNotEquals(firstLoss, afterOthers, "two different batches gave the same loss");
      singleAfterOthers = graph.step(single, 0, 2).loss();
    }
    try (TrainingGraph fresh = TrainingGraph.build(RECIPE, 1)) {
      fresh.session().initialize();
      assertEquals(fresh.step(second, 0, 1).loss(), afterOthers);
      assertEquals(fresh.step(single, 0, 2).loss(), singleAfterOthers);
    }
  }

  private static SyntheticTiles tiles(int batchSize, long seed) {
    return new SyntheticTiles(RECIPE.model(), RECIPE.training().tile(), batchSize, seed);
  }
}
