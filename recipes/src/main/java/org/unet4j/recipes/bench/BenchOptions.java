package org.unet4j.recipes.bench;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import com.google.common.primitives.Ints;
import java.util.List;
import org.unet4j.dsl.model.ModelSpec;
import org.unet4j.dsl.model.UNet;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.dsl.recipe.Recipes;
import org.unet4j.recipes.model.ModelMismatchException;

/**
 * What one benchmark measures: a recipe's model at one tile, batch 1, trained with the recipe's
 * loss and optimizer, and how often each thing is repeated.
 *
 * @param recipe the recipe (its loss, optimizer and inference normalization are used; its data is not)
 * @param tile the input tile of the forward pass, the training step and the tiled prediction
 * @param threads threads per TensorFlow op; 0 for TensorFlow's default
 * @param quick whether this is the short smoke-test run
 * @param matmulSizes the square sizes of the yardstick
 * @param smallImage, largeImage the sides of the two predicted images (memory growth between them)
 */
public record BenchOptions(Recipe recipe, int tile, int threads, boolean quick, List<Integer> matmulSizes,
    int matmulWarmups, int matmulRuns, int warmups, int runs, int trainWarmups, int trainRuns, int smallImage,
    int largeImage) {
  /** The yardstick sizes: TensorFlow's kernel is slow at some sizes (exactly 4096 on some CPUs). */
  public static final List<Integer> MATMUL_SIZES = List.of(2048, 3072, 4000, 5120);
  /** The side of the image whose overlap-tile prediction is timed. */
  public static final int LARGE_IMAGE = 2048;
  /** The side of the image predicted first, the baseline of the memory growth. */
  public static final int SMALL_IMAGE = 1024;

  public BenchOptions {
    checkNotNull(recipe, "recipe");
    matmulSizes = ImmutableList.copyOf(matmulSizes);
    checkArgument(!matmulSizes.isEmpty(), "at least one matmul size");
    checkArgument(threads >= 0, "threads must be 0 (TensorFlow's default) or positive, got %s", threads);
    checkArgument(runs >= 1 && trainRuns >= 1 && matmulRuns >= 1, "at least one timed run");
    checkArgument(smallImage >= 1 && largeImage >= smallImage, "images %s and %s", smallImage, largeImage);
    if (recipe.model().dimensions() != 2) {
      throw new ModelMismatchException(recipe.name() + ": a 3D net (model.dimensions " + recipe.model().dimensions()
          + ") is benchmarked on volumes, by VolumeBenchmark with VolumeBenchOptions");
    }
    recipe.model().geometry().requireValid(tile, recipe.name());
  }

  /**
   * The full benchmark of {@code recipe} at {@code tile}: the yardstick at 2048, 3072, 4000 and
   * 5120 (best of 4 after a warm-up), forward passes and training steps as the median of 5 after
   * 2 warm-ups, prediction of a 1024x1024 and then a 2048x2048 image.
   */
  public static BenchOptions full(Recipe recipe, int tile, int threads) {
    return new BenchOptions(recipe, tile, threads, false, MATMUL_SIZES, 1, 4, 2, 5, 2, 5, SMALL_IMAGE, LARGE_IMAGE);
  }

  /**
   * The smoke test: {@code recipe} (or, when null, {@link #quickRecipe()}) at {@code tile} (or the
   * recipe's training tile), small matrices and images, 3 runs of everything.
   */
  public static BenchOptions quick(Recipe recipe, int tile, int threads) {
    return new BenchOptions(recipe, tile, threads, true, List.of(512, 768, 1024), 1, 3, 1, 5, 1, 3, 256, 512);
  }

  /**
   * The quick run's net: the paper's recipe with a depth-2 net of 16 base filters, trained at tile
   * 92 (output 52).
   */
  public static Recipe quickRecipe() {
    Recipe paper = Recipes.load("paper/isbi2012");
    ModelSpec small = UNet.builder().depth(2).baseFilters(16).build();
    Recipe recipe = new Recipe("bench-quick", "a small net for `unet4j bench --quick`", small, paper.loss(),
        paper.augmentation(), paper.training(), paper.data(), paper.inference());
    return Recipes.withOverrides(recipe, List.of("training.tile=92", "inference.tile=92"));
  }

  int[] matmulSizeArray() {
    return Ints.toArray(matmulSizes);
  }
}
