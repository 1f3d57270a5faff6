package org.unet4j.dsl.recipe;

import static com.google.common.base.Preconditions.checkNotNull;

import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.unet4j.dsl.Default;
import org.unet4j.dsl.Doc;
import org.unet4j.dsl.SpecException;
import org.unet4j.dsl.model.Axis;
import org.unet4j.dsl.model.ModelBuilder;
import org.unet4j.dsl.model.ModelSpec;
import org.unet4j.dsl.model.UNet;

/**
 * A whole experiment in one value: the model with its loss, augmentation, training, data and
 * inference specs. Written as a versioned JSON envelope by {@link Recipes}. Every part has validated
 * its own ranges when it was built; the constructor adds what needs two parts at once: that the
 * training and inference tiles (and a 3D net's training block along z) are valid for the model.
 */
@Doc("A whole unet4j experiment.")
public record Recipe(
    @Doc("short name, e.g. paper/isbi2012") String name,
    @Doc("what this recipe is for") @Default("\"\"") String description,
    ModelSpec model,
    @Default("{\"type\": \"weighted-cross-entropy\"}") LossSpec loss,
    AugmentationSpec augmentation,
    TrainingSpec training,
    DataSpec data,
    InferenceSpec inference) {

  public Recipe {
    checkNotNull(name, "name");
    checkNotNull(description, "description");
    checkNotNull(model, "model");
    checkNotNull(loss, "loss");
    checkNotNull(augmentation, "augmentation");
    checkNotNull(training, "training");
    checkNotNull(data, "data");
    checkNotNull(inference, "inference");
    if (name.isBlank()) {
      throw new SpecException("name", "expected a non-empty name");
    }
    checkTile("training.tile", model, training.tile());
    checkTile("inference.tile", model, inference.tile());
    checkTileZ(model, training.tileZ());
  }

  /** A 3D net's training block along z, when the recipe gives one. */
  private static void checkTileZ(ModelSpec model, int tileZ) {
    if (tileZ == 0) {
      return;
    }
    if (model.dimensions() != 3) {
      throw new SpecException("training.tileZ", "tileZ " + tileZ + " is for 3D nets (model.dimensions 3), this"
          + " net is 2D: leave it 0");
    }
    SpecException problem = model.volumeGeometry().along(Axis.Z).whyInvalid(tileZ);
    if (problem != null) {
      throw new SpecException("training.tileZ", "tileZ " + tileZ + " does not fit the model: " + problem.getMessage()
          .replaceFirst("^(\\S+): ", "model.$1: "));
    }
  }

  private static void checkTile(String path, ModelSpec model, int tile) {
    SpecException problem = model.geometry().whyInvalid(tile);
    if (problem != null) {
      throw new SpecException(path, "tile " + tile + " does not fit the model: " + problem.getMessage()
          .replaceFirst("^(\\S+): ", "model.$1: "));
    }
  }

  /** This recipe under another name. */
  public Recipe withName(String newName) {
    return new Recipe(newName, description, model, loss, augmentation, training, data, inference);
  }

  /**
   * A builder for a recipe named {@code name}: everything but the model starts from the recipe
   * format's defaults (no description, the paper's weighted cross-entropy, no augmentation, and the
   * training, data and inference defaults of their builders).
   */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** A builder that starts from this recipe, to build a changed copy. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Builds a recipe part by part. The parts declared through their own builders
   * ({@code training(t -> t.steps(2000))}) start from the part's current value and report a
   * problem with the recipe path, as a recipe file would: {@code training.steps: expected
   * 1..1000000000, got -5}. {@link #build()} checks what needs two parts (the tiles against the
   * model).
   */
  public static final class Builder {
    private String name;
    private String description;
    private @Nullable ModelSpec model;
    private LossSpec loss;
    private AugmentationSpec augmentation;
    private TrainingSpec training;
    private DataSpec data;
    private InferenceSpec inference;

    private Builder(String name) {
      this.name = checkNotNull(name, "name");
      this.description = "";
      this.loss = WeightedCrossEntropyLoss.builder().build();
      this.augmentation = AugmentationSpec.builder().build();
      this.training = TrainingSpec.builder().build();
      this.data = DataSpec.builder().build();
      this.inference = InferenceSpec.builder().build();
    }

    private Builder(Recipe from) {
      this.name = from.name;
      this.description = from.description;
      this.model = from.model;
      this.loss = from.loss;
      this.augmentation = from.augmentation;
      this.training = from.training;
      this.data = from.data;
      this.inference = from.inference;
    }

    /** Short name, e.g. {@code paper/isbi2012}. */
    public Builder name(String name) {
      this.name = checkNotNull(name, "name");
      return this;
    }

    public String name() {
      return name;
    }

    /** What this recipe is for. */
    public Builder description(String description) {
      this.description = checkNotNull(description, "description");
      return this;
    }

    public String description() {
      return description;
    }

    /** The net, e.g. from {@code UNet.builder()}. */
    public Builder model(ModelSpec model) {
      this.model = checkNotNull(model, "model");
      return this;
    }

    /** The net declared on a fresh {@code UNet.builder()}; a problem is reported under {@code model}. */
    public Builder model(Consumer<ModelBuilder> model) {
      ModelBuilder b = UNet.builder();
      model.accept(b);
      return model(part("model", b::build));
    }

    /** The net declared so far, null before one is. */
    public @Nullable ModelSpec model() {
      return model;
    }

    /** The training loss. */
    public Builder loss(LossSpec loss) {
      this.loss = checkNotNull(loss, "loss");
      return this;
    }

    public LossSpec loss() {
      return loss;
    }

    public Builder augmentation(AugmentationSpec augmentation) {
      this.augmentation = checkNotNull(augmentation, "augmentation");
      return this;
    }

    /** Changes the augmentation declared so far; a problem is reported under {@code augmentation}. */
    public Builder augmentation(Consumer<AugmentationSpec.Builder> change) {
      AugmentationSpec.Builder b = augmentation.toBuilder();
      return augmentation(part("augmentation", () -> {
        change.accept(b);
        return b.build();
      }));
    }

    public AugmentationSpec augmentation() {
      return augmentation;
    }

    public Builder training(TrainingSpec training) {
      this.training = checkNotNull(training, "training");
      return this;
    }

    /** Changes the training declared so far; a problem is reported under {@code training}. */
    public Builder training(Consumer<TrainingSpec.Builder> change) {
      TrainingSpec.Builder b = training.toBuilder();
      change.accept(b);
      return training(part("training", b::build));
    }

    public TrainingSpec training() {
      return training;
    }

    public Builder data(DataSpec data) {
      this.data = checkNotNull(data, "data");
      return this;
    }

    /** Changes the data declared so far; a problem is reported under {@code data}. */
    public Builder data(Consumer<DataSpec.Builder> change) {
      DataSpec.Builder b = data.toBuilder();
      change.accept(b);
      return data(part("data", b::build));
    }

    public DataSpec data() {
      return data;
    }

    public Builder inference(InferenceSpec inference) {
      this.inference = checkNotNull(inference, "inference");
      return this;
    }

    /** Changes the inference settings declared so far; a problem is reported under {@code inference}. */
    public Builder inference(Consumer<InferenceSpec.Builder> change) {
      InferenceSpec.Builder b = inference.toBuilder();
      change.accept(b);
      return inference(part("inference", b::build));
    }

    public InferenceSpec inference() {
      return inference;
    }

    /** The recipe; a {@link SpecException} names the offending recipe path. */
    public Recipe build() {
      if (model == null) {
        throw new SpecException("model", "no model declared; set one with model(UNet.builder()...build())"
            + " or model(m -> m.depth(4).baseFilters(64))");
      }
      return new Recipe(name, description, model, loss, augmentation, training, data, inference);
    }

    private static <T> T part(String path, Supplier<T> build) {
      try {
        return build.get();
      } catch (SpecException e) {
        throw e.under(path);
      }
    }
  }
}
