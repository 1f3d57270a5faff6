package org.unet4j.recipes.train;

import java.nio.file.Path;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.recipes.data.SyntheticTiles;

/** A training process for {@link KillDuringCheckpointTest} to kill: a checkpoint after every step. */
public final class TrainingChild {
  private TrainingChild() {}

  public static void main(String[] args) {
    Recipe recipe = TinyRecipes.tinyAdam(100_000, 1);
    Trainer.of(recipe, Path.of(args[0]), new SyntheticTiles(recipe.model(), TinyRecipes.TILE, 2, 7))
        .resume(args.length > 1).train();
  }
}
