package org.unet4j.recipes.train;

import java.lang.management.ManagementFactory;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.dsl.recipe.Recipes;
import org.unet4j.recipes.data.Batch;
import org.unet4j.recipes.data.SyntheticTiles;

/**
 * Peak memory of the paper net's training step at its tile (not a test: run its main, with
 * {@code TF_CPU_ALLOCATOR_USE_BFC=true} as the launcher sets it): builds one {@link TrainingGraph}
 * of the recipe (default {@code paper/isbi2012}), runs 4 steps and prints each step's time and the
 * process's peak resident memory (VmHWM) so far, with the load average at the start.
 */
public final class TrainStepMemoryProbe {
  private TrainStepMemoryProbe() {}

  public static void main(String[] args) {
    Recipe recipe = Recipes.load(args.length > 0 ? args[0] : "paper/isbi2012");
    int tile = recipe.training().tile();
    Batch batch = new SyntheticTiles(recipe.model(), tile, recipe.training().batchSize(), 7).batch(0);
    System.out.printf("load average %.2f%n", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    try (TrainingGraph graph = TrainingGraph.build(recipe)) {
      for (int step = 0; step < 4; step++) {
        long began = System.nanoTime();
        float loss = graph.step(batch, 1e-3, step).loss();
        System.out.printf("step %d: %.0f ms, loss %.4f, VmHWM %d MB%n", step, (System.nanoTime() - began) / 1e6, loss,
            ProcessMemory.peakResidentMb().orElse(-1));
      }
    }
  }
}
