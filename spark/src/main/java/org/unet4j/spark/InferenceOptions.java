package org.unet4j.spark;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.io.Serializable;
import org.jspecify.annotations.Nullable;
import org.unet4j.dsl.geometry.Tiling;
import org.unet4j.dsl.geometry.VolumeTiling;
import org.unet4j.dsl.recipe.InferenceSpec;
import org.unet4j.dsl.recipe.InstanceMethod;
import org.unet4j.dsl.recipe.TestTimeAugmentation;
import org.unet4j.dsl.recipe.ThinningMethod;
import org.unet4j.recipes.infer.VolumePredictor;
import org.unet4j.recipes.model.ModelMismatchException;
import org.unet4j.recipes.model.ModelSource;

/**
 * The inference settings given to a job (on the command line, or as a Spark ML stage's params),
 * each overriding the model recipe's ({@code inference.*}) when set. They travel to the executors,
 * which apply them to the recipe they read themselves, so that driver and executors agree without
 * shipping the recipe.
 *
 * @param tile the input tile size, or null for the recipe's
 * @param batchSize tiles predicted together, or null for the recipe's
 * @param tta test-time augmentation, or null for the recipe's
 * @param threshold the foreground threshold 0..1, or null for the recipe's
 * @param instances how instances are cut from the foreground, or null for the recipe's
 * @param seedThreshold the watershed's seed threshold 0..1, or null for the recipe's
 * @param instancesPerClass whether a net of 3 or more classes also writes each class's instances
 *     ({@code NAME_class_labels.tif}), or null for the recipe's
 * @param thinBoundaries whether and how the boundaries between the regions above the threshold are thinned to
 *     one-pixel dams ({@code inference.thinBoundaries}: none, border or ridge), or null for the recipe's
 */
public record InferenceOptions(@Nullable Integer tile, @Nullable Integer batchSize,
    @Nullable TestTimeAugmentation tta, @Nullable Double threshold, @Nullable InstanceMethod instances,
    @Nullable Double seedThreshold, @Nullable Boolean instancesPerClass, @Nullable ThinningMethod thinBoundaries)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  public InferenceOptions {
    checkArgument(tile == null || tile >= 1, "a tile is at least 1 pixel, got %s", tile);
    checkArgument(batchSize == null || batchSize >= 1, "a batch holds at least 1 tile, got %s", batchSize);
    checkArgument(threshold == null || (threshold >= 0 && threshold <= 1), "a threshold is a probability 0..1, got %s",
        threshold);
    checkArgument(seedThreshold == null || (seedThreshold >= 0 && seedThreshold <= 1),
        "a seed threshold is a probability 0..1, got %s", seedThreshold);
  }

  /** These overrides, the boundaries thinned or not as the recipe says. */
  public InferenceOptions(@Nullable Integer tile, @Nullable Integer batchSize, @Nullable TestTimeAugmentation tta,
      @Nullable Double threshold, @Nullable InstanceMethod instances, @Nullable Double seedThreshold,
      @Nullable Boolean instancesPerClass) {
    this(tile, batchSize, tta, threshold, instances, seedThreshold, instancesPerClass, null);
  }

  /** These overrides, instances per class and thinned boundaries as the recipe says. */
  public InferenceOptions(@Nullable Integer tile, @Nullable Integer batchSize, @Nullable TestTimeAugmentation tta,
      @Nullable Double threshold, @Nullable InstanceMethod instances, @Nullable Double seedThreshold) {
    this(tile, batchSize, tta, threshold, instances, seedThreshold, null, null);
  }

  /** No overrides: the recipe's settings. */
  public static InferenceOptions none() {
    return new InferenceOptions(null, null, null, null, null, null, null, null);
  }

  /** The recipe's settings with these overrides. */
  public InferenceSpec applyTo(InferenceSpec recipe) {
    checkNotNull(recipe, "recipe");
    InferenceSpec.Builder changed =
        recipe.overriddenBy(tile, batchSize, tta, threshold, instances, seedThreshold).toBuilder();
    if (instancesPerClass != null) {
      changed.instancesPerClass(instancesPerClass);
    }
    if (thinBoundaries != null) {
      changed.thinBoundaries(thinBoundaries);
    }
    return changed.build();
  }

  /**
   * The settings {@code source} predicts with (its recipe's, with these overrides), checked
   * against the model without TensorFlow, so that a driver fails at once rather than on every
   * executor.
   *
   * @throws org.unet4j.dsl.InvalidInputException when the tile does not fit the net (naming the
   *     nearest valid tiles; for a 3D net, along each axis)
   * @throws ModelMismatchException when the tile differs from the one an export was compiled for, the
   *     settings ask for classes the model lacks ({@link ModelMismatchException#requireClasses}), or, for a 3D
   *     net, for what volumes do not have ({@link VolumePredictor#checkSettings}: watershed instances)
   */
  public InferenceSpec checkedFor(ModelSource source) {
    checkNotNull(source, "source");
    InferenceSpec inference = applyTo(source.recipe().inference());
    ModelMismatchException.requireClasses(source.recipe(), inference);
    Tiling.of(source.recipe().model(), inference.tile());
    if (source.recipe().model().dimensions() == 3) {
      VolumeTiling.of(source.recipe().model(), inference.tile(), inference.tileZ());
      // What else the executors' VolumePredictor.open would refuse (watershed instances).
      VolumePredictor.checkSettings(source, inference);
    }
    if (source.fixedTile().isPresent() && source.fixedTile().getAsInt() != inference.tile()) {
      throw ModelMismatchException.exportTile(source.directory(), inference.tile(), source.fixedTile().getAsInt());
    }
    return inference;
  }
}
