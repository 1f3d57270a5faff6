package org.unet4j.recipes.model;

import java.util.OptionalInt;
import org.unet4j.dsl.InvalidInputException;
import org.unet4j.dsl.recipe.InferenceSpec;
import org.unet4j.dsl.recipe.Recipe;

/**
 * A model and what it is asked to do do not fit: a tile size its geometry does not accept, an
 * export compiled for another tile, an image with another channel count than the model reads, a
 * net the runtime cannot train or run yet (3D). The message
 * says what the model accepts instead (the valid tiles near the one asked, the export's tile, the
 * model's channels) or what is supported.
 */
public final class ModelMismatchException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  private final int tile;
  private final int compiledTile;

  public ModelMismatchException(String message) {
    super(message);
    this.tile = 0;
    this.compiledTile = 0;
  }

  public ModelMismatchException(String message, Throwable cause) {
    super(message, cause);
    this.tile = 0;
    this.compiledTile = 0;
  }

  private ModelMismatchException(String message, int tile, int compiledTile) {
    super(message);
    this.tile = tile;
    this.compiledTile = compiledTile;
  }

  /**
   * A tile that differs from the one an export is compiled for: predicting with the export's tile
   * or exporting the run again for the tile asked would both work.
   */
  public static ModelMismatchException exportTile(Object export, int tile, int compiledTile) {
    return new ModelMismatchException("tile " + tile + ": the export " + export + " is compiled for tile "
        + compiledTile + "; predict with that tile, or export the run again with tile " + tile, tile, compiledTile);
  }

  /**
   * Refuses a 3D net ({@code model.dimensions} 3) where the runtime reads 2D images only:
   * benchmarks do not take volumes yet, and a volume handled as a pile of 2D pages
   * by a 3D net would be a silently wrong result.
   *
   * @param activity what was asked, as a verb phrase: {@code "trained"}, {@code "run for prediction"}
   */
  public static void requireImages(Recipe recipe, String activity) {
    if (recipe.model().dimensions() != 2) {
      throw new ModelMismatchException(recipe.name() + ": a 3D net (model.dimensions " + recipe.model().dimensions()
          + ") cannot be " + activity + " yet: this part of the runtime reads 2D images and tiles only. 3D nets can so"
          + " far be declared, measured (ModelSpec.volumeGeometry()), compiled (ModelCompiler.compile(spec, Size3,"
          + " seed)), trained (Training with TrainingData.volumes or the recipe's data) and run for prediction"
          + " (Model.load, VolumePredictor)");
    }
  }

  /**
   * Refuses inference settings that ask for classes the model does not have: an
   * {@code inference.instanceClass} beyond its classes, or {@code inference.instancesPerClass} for a
   * net of fewer than 3 classes (whose one foreground class {@code NAME_labels.tif} already holds).
   * Checked without TensorFlow, so that a batch job's driver fails before any work.
   */
  public static void requireClasses(Recipe recipe, InferenceSpec inference) {
    int classes = recipe.model().classes();
    if (inference.instanceClass() >= classes) {
      throw new ModelMismatchException("inference.instanceClass " + inference.instanceClass() + ": the model of "
          + recipe.name() + " has " + classes + " classes, 0.." + (classes - 1)
          + "; give the class of the objects' interior, or 0 for the foreground");
    }
    if (inference.instancesPerClass() && classes < 3) {
      throw new ModelMismatchException("inference.instancesPerClass: the model of " + recipe.name() + " has "
          + classes + (classes == 1 ? " class" : " classes") + ", but instances per class need a net of 3 or more"
          + " (background and at least two object classes); its objects are the instance labels it writes anyway,"
          + " so leave instancesPerClass false");
    }
  }

  /** The tile that was asked, when the mismatch is {@link #compiledTile()}; empty otherwise. */
  public OptionalInt tile() {
    return compiledTile == 0 ? OptionalInt.empty() : OptionalInt.of(tile);
  }

  /** The tile the export is compiled for, when that is the mismatch; empty otherwise. */
  public OptionalInt compiledTile() {
    return compiledTile == 0 ? OptionalInt.empty() : OptionalInt.of(compiledTile);
  }
}
