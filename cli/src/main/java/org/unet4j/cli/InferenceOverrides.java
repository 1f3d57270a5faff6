package org.unet4j.cli;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.unet4j.dsl.json.JsonNames;
import org.unet4j.dsl.recipe.InferenceSpec;
import org.unet4j.dsl.recipe.InstanceMethod;
import org.unet4j.dsl.recipe.TestTimeAugmentation;
import org.unet4j.dsl.recipe.ThinningMethod;
import org.unet4j.recipes.model.ModelMismatchException;
import picocli.CommandLine.Option;

/**
 * The options that override a model recipe's {@code inference.*} settings, shared by every
 * command that predicts ({@code predict}, {@code spark-predict}) as a picocli mixin. Each value is
 * null when its option is not given. The accessors check the values and throw a
 * {@link UserException} naming the option and what it accepts.
 */
public final class InferenceOverrides {
  @Option(names = "--tile", paramLabel = "N", description = "Input tile size (default: the recipe's inference.tile).")
  @Nullable Integer tile;

  @Option(names = "--tile-z", paramLabel = "N", description = "A 3D net's input tile along z in planes; 0 for the"
      + " valid size nearest --tile (default: the recipe's inference.tileZ).")
  @Nullable Integer tileZ;

  @Option(names = "--tta", paramLabel = "MODE", description = "Test-time augmentation: none, mirrors (4) or dihedral"
      + " (8 quarter turns and mirrors) (default: the recipe's inference.tta).")
  @Nullable String tta;

  @Option(names = "--threshold", paramLabel = "T", description = "Foreground probability above which a pixel is"
      + " foreground, 0..1 (default: the recipe's inference.threshold).")
  @Nullable Double threshold;

  @Option(names = "--instances", paramLabel = "METHOD", description = "Instance labels from the foreground:"
      + " components (each connected component is an object), watershed (components split by a seeded watershed"
      + " from their cores above the seed threshold) or distance-watershed (components split at the necks of their"
      + " shape, from distance maxima inference.seedDepth deep) (default: the recipe's inference.instances).")
  @Nullable String instances;

  @Option(names = "--seed-threshold", paramLabel = "T", description = "Watershed seeds: object cores with a"
      + " foreground probability above this, 0..1 (default: the recipe's inference.seedThreshold).")
  @Nullable Double seedThreshold;

  @Option(names = "--instances-per-class", description = "A net of 3 or more classes also writes"
      + " NAME_class_labels.tif, one page of instance labels per class k >= 1 (default: the recipe's"
      + " inference.instancesPerClass).")
  @Nullable Boolean instancesPerClass;

  @Option(names = "--thin-boundaries", paramLabel = "METHOD", description = "Thin the boundaries between the"
      + " regions above the threshold to one-pixel dams: ridge (a watershed of the foreground probability, dams on the"
      + " boundary's ridge), border (the ISBI challenge's border thinning, dams halfway between the regions) or"
      + " none. Boundary pixels that join a region are raised just above the threshold (at most + 0.01) in"
      + " NAME_prob.tif and the labels are the thinned regions (for images that cells tile; volumes in 3D). Default: the"
      + " recipe's inference.thinBoundaries.")
  @Nullable String thinBoundaries;

  @Option(names = "--no-thin-boundaries", description = "Keep the boundaries as predicted: --thin-boundaries none.")
  boolean noThinBoundaries;

  @Option(names = "--batch-size", paramLabel = "N", description = "Tiles predicted together (default: the recipe's"
      + " inference.batchSize).")
  @Nullable Integer batchSize;

  /**
   * A model that does not take the tile, said for the command line: an export compiled for another
   * tile gets the command that exports the run again for the tile asked.
   */
  public static UserException mismatch(ModelMismatchException e) {
    if (e.tile().isPresent()) {
      return new UserException(e.getMessage() + " (`unet4j export RUN --tile " + e.tile().getAsInt()
          + " --out DIR`)");
    }
    return new UserException(e.getMessage());
  }

  /** The --tile value as given (the geometry engine says whether it fits a model). */
  public @Nullable Integer tile() {
    return tile;
  }

  /** The --tile-z value: a 3D net's tile along z, 0 for the valid size nearest the tile. */
  public @Nullable Integer tileZ() {
    if (tileZ != null && tileZ < 0) {
      throw new UserException("--tile-z: expected 0 (the valid size nearest --tile) or a number of planes, got "
          + tileZ);
    }
    return tileZ;
  }

  public @Nullable TestTimeAugmentation tta() {
    return constant("--tta", TestTimeAugmentation.class, tta);
  }

  public @Nullable Double threshold() {
    return probability("--threshold", threshold);
  }

  public @Nullable Integer batchSize() {
    if (batchSize != null && batchSize < 1) {
      throw new UserException("--batch-size: expected at least 1 tile, got " + batchSize);
    }
    return batchSize;
  }

  public @Nullable InstanceMethod instances() {
    return constant("--instances", InstanceMethod.class, instances);
  }

  public @Nullable Double seedThreshold() {
    return probability("--seed-threshold", seedThreshold);
  }

  /** Whether --instances-per-class was given (true), or null for the recipe's setting. */
  public @Nullable Boolean instancesPerClass() {
    return instancesPerClass;
  }

  /** --thin-boundaries METHOD or --no-thin-boundaries (none), or null for the recipe's setting. */
  public @Nullable ThinningMethod thinBoundaries() {
    if (noThinBoundaries) {
      if (thinBoundaries != null) {
        throw new UserException("--no-thin-boundaries and --thin-boundaries " + thinBoundaries + " contradict each"
            + " other; give one of them");
      }
      return ThinningMethod.NONE;
    }
    return constant("--thin-boundaries", ThinningMethod.class, thinBoundaries);
  }

  /** The recipe's settings with every option given in place of its value. */
  public InferenceSpec applyTo(InferenceSpec recipe) {
    TestTimeAugmentation mode = tta();
    Double foreground = threshold();
    Integer batch = batchSize();
    InstanceMethod method = instances();
    Double seeds = seedThreshold();
    Integer planes = tileZ();
    ThinningMethod thinning = thinBoundaries();
    InferenceSpec.Builder changed = recipe.overriddenBy(tile(), batch, mode, foreground, method, seeds).toBuilder();
    if (instancesPerClass != null) {
      changed.instancesPerClass(instancesPerClass);
    }
    if (planes != null) {
      changed.tileZ(planes);
    }
    if (thinning != null) {
      changed.thinBoundaries(thinning);
    }
    return changed.build();
  }

  /** The constant of {@code type} whose recipe name is {@code value} in any case, or null when not given. */
  private static <E extends Enum<E>> @Nullable E constant(String option, Class<E> type, @Nullable String value) {
    if (value == null) {
      return null;
    }
    E constant = JsonNames.constant(type, value.toLowerCase(Locale.ROOT));
    if (constant == null) {
      List<String> names = Arrays.stream(type.getEnumConstants()).map(JsonNames::of).toList();
      throw new UserException(option + ": expected " + String.join(", ", names.subList(0, names.size() - 1))
          + " or " + names.get(names.size() - 1) + ", got \"" + value + "\"");
    }
    return constant;
  }

  private static @Nullable Double probability(String option, @Nullable Double value) {
    if (value != null && !(value >= 0 && value <= 1)) {
      throw new UserException(option + ": expected a probability 0..1, got " + value);
    }
    return value;
  }
}
