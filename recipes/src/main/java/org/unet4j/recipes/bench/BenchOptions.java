package org.unet4j.recipes.bench;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import com.google.common.primitives.Ints;
import java.util.List;
import org.unet4j.dsl.InvalidInputException;
import org.unet4j.dsl.geometry.Tiling;
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
 * @param imageSide the side of the square image predicted whole, with the recipe's inference settings
 * @param imageTile that prediction's input tile: a valid tile of the model (the factories take the
 *     recipe's {@code inference.tile}), or {@link #COVERING_TILE} for the smallest tile that
 *     predicts the image in one tile
 */
public record BenchOptions(Recipe recipe, int tile, int threads, boolean quick, List<Integer> matmulSizes,
    int matmulWarmups, int matmulRuns, int warmups, int runs, int trainWarmups, int trainRuns, int smallImage,
    int largeImage, int imageSide, int imageTile) {
  /** The yardstick sizes: TensorFlow's kernel is slow at some sizes (exactly 4096 on some CPUs). */
  public static final List<Integer> MATMUL_SIZES = List.of(2048, 3072, 4000, 5120);
  /** The side of the image whose overlap-tile prediction is timed. */
  public static final int LARGE_IMAGE = 2048;
  /** The side of the image predicted first, the baseline of the memory growth. */
  public static final int SMALL_IMAGE = 1024;
  /** The side of the image predicted whole: an ISBI 2012 slice (unet4j issue 18's "512x512 image"). */
  public static final int IMAGE = 512;
  /** The quick run's image predicted whole: 2 x 2 tiles of the quick net's inference tile 92 (step 52). */
  public static final int QUICK_IMAGE = 100;
  /** {@link #imageTile} for the smallest tile that predicts the image in one tile ({@link Tiling#covering}). */
  public static final int COVERING_TILE = 0;

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
    imageTiling(recipe, imageSide, imageTile);
  }

  /**
   * The full benchmark of {@code recipe} at {@code tile}: the yardstick at 2048, 3072, 4000 and
   * 5120 (best of 4 after a warm-up), forward passes and training steps as the median of 5 after
   * 2 warm-ups, prediction of a 1024x1024 and then a 2048x2048 image at {@code tile}, and of a
   * 512x512 image at the recipe's inference tile.
   */
  public static BenchOptions full(Recipe recipe, int tile, int threads) {
    return new BenchOptions(recipe, tile, threads, false, MATMUL_SIZES, 1, 4, 2, 5, 2, 5, SMALL_IMAGE, LARGE_IMAGE,
        IMAGE, recipe.inference().tile());
  }

  /**
   * The smoke test: {@code recipe} (or, when null, {@link #quickRecipe()}) at {@code tile} (or the
   * recipe's training tile), small matrices and images, 3 runs of everything.
   */
  public static BenchOptions quick(Recipe recipe, int tile, int threads) {
    return new BenchOptions(recipe, tile, threads, true, List.of(512, 768, 1024), 1, 3, 1, 5, 1, 3, 256, 512,
        QUICK_IMAGE, recipe.inference().tile());
  }

  /**
   * These options with another image predicted whole: {@code side} pixels square, at {@code tile}
   * ({@link #COVERING_TILE} for the smallest tile that predicts it in one tile).
   *
   * @throws InvalidInputException when the side is not positive, the tile does not fit the model or
   *     is too small to step, or no tile covers the image
   */
  public BenchOptions withImage(int side, int tile) {
    return new BenchOptions(recipe, this.tile, threads, quick, matmulSizes, matmulWarmups, matmulRuns, warmups, runs,
        trainWarmups, trainRuns, smallImage, largeImage, side, tile);
  }

  /** The layout of the whole-image prediction: {@link #imageTile}'s, or the covering tile's. */
  public Tiling imageTiling() {
    return imageTiling(recipe, imageSide, imageTile);
  }

  /**
   * The layout {@code recipe}'s model predicts a {@code side x side} image with at {@code tile}, or
   * at the smallest tile that covers it when {@code tile} is {@link #COVERING_TILE}.
   *
   * @throws InvalidInputException as {@link #withImage}
   */
  public static Tiling imageTiling(Recipe recipe, int side, int tile) {
    if (side < 1) {
      throw new InvalidInputException("an image of " + side + "x" + side + " pixels: give a positive side");
    }
    if (tile == COVERING_TILE) {
      return Tiling.covering(recipe.model(), side);
    }
    recipe.model().geometry().requireValid(tile, recipe.name());
    return Tiling.of(recipe.model(), tile);
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
