package org.unet4j.recipes.bench;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import org.unet4j.dsl.model.Size3;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.recipes.model.ModelMismatchException;
import org.unet4j.recipes.train.TrainingGraph;

/**
 * What one benchmark of a 3D net measures: the recipe's model at its training block
 * ({@link TrainingGraph#trainingBlock}: {@code training.tile} in y and x, {@code training.tileZ}
 * along z), batch 1, forward passes and training steps with the recipe's loss and optimizer, each
 * timed {@code runs} times after {@code warmups} untimed ones.
 *
 * @param recipe a recipe of a 3D net (its loss and optimizer are used; its data is not)
 * @param threads threads per TensorFlow op; 0 for TensorFlow's default
 * @param quick whether this is the short smoke-test run
 */
public record VolumeBenchOptions(Recipe recipe, int threads, boolean quick, int warmups, int runs) {
  public VolumeBenchOptions {
    checkNotNull(recipe, "recipe");
    checkArgument(threads >= 0, "threads must be 0 (TensorFlow's default) or positive, got %s", threads);
    checkArgument(warmups >= 0 && runs >= 1, "at least one timed run, got %s warm-ups and %s runs", warmups, runs);
    if (recipe.model().dimensions() != 3) {
      throw new ModelMismatchException(recipe.name() + ": a 2D net (model.dimensions " + recipe.model().dimensions()
          + ") is benchmarked on images, by Benchmark with BenchOptions");
    }
  }

  /** The full run: one warm-up, then the median of 3 forward passes and of 3 training steps. */
  public static VolumeBenchOptions full(Recipe recipe, int threads) {
    return new VolumeBenchOptions(recipe, threads, false, 1, 3);
  }

  /** The smoke test: one warm-up and 2 timed runs of each. */
  public static VolumeBenchOptions quick(Recipe recipe, int threads) {
    return new VolumeBenchOptions(recipe, threads, true, 1, 2);
  }

  /** The block measured, z first. */
  public Size3 block() {
    return TrainingGraph.trainingBlock(recipe);
  }
}
