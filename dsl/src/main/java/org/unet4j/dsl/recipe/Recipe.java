package org.unet4j.dsl.recipe;

import static com.google.common.base.Preconditions.checkNotNull;

import org.unet4j.dsl.Default;
import org.unet4j.dsl.Doc;
import org.unet4j.dsl.SpecException;
import org.unet4j.dsl.model.ModelSpec;

/**
 * A whole experiment in one value: the model with its loss, augmentation, training, data and
 * inference specs. Written as a versioned JSON envelope by {@link Recipes}. Every part has validated
 * its own ranges when it was built; the constructor adds what needs two parts at once: that the
 * training and inference tiles are valid for the model.
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
}
