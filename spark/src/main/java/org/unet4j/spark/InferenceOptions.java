package org.unet4j.spark;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.io.Serializable;
import org.jspecify.annotations.Nullable;
import org.unet4j.dsl.recipe.InferenceSpec;
import org.unet4j.dsl.recipe.InstanceMethod;
import org.unet4j.dsl.recipe.TestTimeAugmentation;

/**
 * The inference settings given on the command line, each overriding the model recipe's
 * ({@code inference.*}) when set. They travel to the executors, which apply them to the recipe they
 * read themselves, so that driver and executors agree without shipping the recipe.
 *
 * @param tile the input tile size, or null for the recipe's
 * @param batchSize tiles predicted together, or null for the recipe's
 * @param tta test-time augmentation, or null for the recipe's
 * @param threshold the foreground threshold 0..1, or null for the recipe's
 * @param instances how instances are cut from the foreground, or null for the recipe's
 * @param seedThreshold the watershed's seed threshold 0..1, or null for the recipe's
 */
public record InferenceOptions(@Nullable Integer tile, @Nullable Integer batchSize,
    @Nullable TestTimeAugmentation tta, @Nullable Double threshold, @Nullable InstanceMethod instances,
    @Nullable Double seedThreshold) implements Serializable {
  private static final long serialVersionUID = 1L;

  public InferenceOptions {
    checkArgument(tile == null || tile >= 1, "a tile is at least 1 pixel, got %s", tile);
    checkArgument(batchSize == null || batchSize >= 1, "a batch holds at least 1 tile, got %s", batchSize);
    checkArgument(threshold == null || (threshold >= 0 && threshold <= 1), "a threshold is a probability 0..1, got %s",
        threshold);
    checkArgument(seedThreshold == null || (seedThreshold >= 0 && seedThreshold <= 1),
        "a seed threshold is a probability 0..1, got %s", seedThreshold);
  }

  /** No overrides: the recipe's settings. */
  public static InferenceOptions none() {
    return new InferenceOptions(null, null, null, null, null, null);
  }

  /** The recipe's settings with these overrides. */
  public InferenceSpec applyTo(InferenceSpec recipe) {
    checkNotNull(recipe, "recipe");
    return recipe.overriddenBy(tile, batchSize, tta, threshold, instances, seedThreshold);
  }
}
