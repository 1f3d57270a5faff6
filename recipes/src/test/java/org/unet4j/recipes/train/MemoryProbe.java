package org.unet4j.recipes.train;

import java.nio.file.Files;
import java.nio.file.Path;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.recipes.data.SyntheticTiles;

/**
 * Measures resident memory over a long run of a tiny net (not a test: run its main). Prints the
 * resident set size every 100 steps; growth after warm-up would mean leaked native tensors.
 */
public final class MemoryProbe {
  private MemoryProbe() {}

  public static void main(String[] args) throws Exception {
    int steps = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    Recipe recipe = TinyRecipes.tinyAdam(steps, 100);
    Path dir = Files.createTempDirectory("unet4j-memory");
    Trainer.of(recipe, dir, new SyntheticTiles(recipe.model(), TinyRecipes.TILE, 2, 7))
        .listener((step, loss) -> {
          if ((step + 1) % 100 == 0) {
            System.out.printf("step %d resident %d MB peak %d MB%n", step + 1,
                ProcessMemory.residentMb().orElse(-1), ProcessMemory.peakResidentMb().orElse(-1));
          }
        }).train();
  }
}
