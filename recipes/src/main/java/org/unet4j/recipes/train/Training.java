package org.unet4j.recipes.train;

import static com.google.common.base.Preconditions.checkArgument;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.unet4j.augment.Augmentation;
import org.unet4j.augment.Augmenter;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.losses.Loss;
import org.unet4j.recipes.data.PrefetchingTiles;
import org.unet4j.recipes.model.ModelMismatchException;
import org.unet4j.recipes.model.RunDirectory;

/**
 * Trains a recipe's model from code, as {@code unet4j train} does from the command line:
 *
 * <pre>{@code
 * TrainingResult result = Training.of(recipe)
 *     .data(TrainingData.of(images))          // default: the recipe's data spec
 *     .loss((tf, in) -> myLoss(tf, in))        // default: the recipe's loss
 *     .augmentation((tile, random) -> ...)     // after the recipe's augmentation
 *     .listener(EarlyStopping.on(ValidationMetric.IOU, 5))
 *     .run(Path.of("runs/nuclei"));
 * }</pre>
 *
 * <p>The run directory gets what the command line's does: the recipe, checkpoints, metrics, loss
 * curve and log; {@link org.unet4j.recipes.infer.Model#load} opens it. Tiles are drawn and augmented
 * on background threads while the graph trains.
 */
public final class Training {
  private final Recipe recipe;
  private TrainingData data = TrainingData.fromRecipe();
  private @Nullable Loss loss;
  private final List<Augmentation> augmentations = new ArrayList<>();
  private final List<TrainingListener> listeners = new ArrayList<>();
  private @Nullable PrintStream console;
  private int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
  private boolean resume;
  private boolean restart;

  private Training(Recipe recipe) {
    this.recipe = recipe;
  }

  /** A training of {@code recipe}'s model with its data, loss, augmentation and schedule. */
  public static Training of(Recipe recipe) {
    return new Training(recipe);
  }

  /** Where the images and labels come from (the recipe's data spec by default). */
  public Training data(TrainingData source) {
    this.data = source;
    return this;
  }

  /**
   * Minimise {@code objective} instead of the recipe's loss; the recipe's loss still decides whether
   * the batches carry the paper's weight map (weighted cross-entropy) or weight 1.
   */
  public Training loss(Loss objective) {
    this.loss = objective;
    return this;
  }

  /** A user augmentation applied to every tile after the recipe's (repeatable, in order). */
  public Training augmentation(Augmentation augmentation) {
    augmentations.add(augmentation);
    return this;
  }

  /** Observes steps and validations (repeatable); see {@link EarlyStopping}. */
  public Training listener(TrainingListener listener) {
    listeners.add(listener);
    return this;
  }

  /** Progress lines (steps/s, loss, time left) go to {@code out}; none by default. */
  public Training console(PrintStream out) {
    this.console = out;
    return this;
  }

  /** Threads that load images and draw tiles (all cores by default). */
  public Training threads(int count) {
    checkArgument(count >= 1, "threads: expected >= 1, got %s", count);
    this.threads = count;
    return this;
  }

  /** Continue the run in the directory from its newest good checkpoint instead of starting one. */
  public Training resume(boolean resumeRun) {
    this.resume = resumeRun;
    return this;
  }

  /**
   * With {@link #resume}: when every checkpoint of the run is damaged, start it again at step 0
   * instead of refusing with {@link NoUsableCheckpointException}.
   */
  public Training restart(boolean restartRun) {
    this.restart = restartRun;
    return this;
  }

  public Recipe recipe() {
    return recipe;
  }

  /**
   * Trains into {@code runDirectory} up to {@code training.steps} (or until a listener stops it).
   * The folder is checked before any data loads, and again under the run's lock before anything in
   * it changes (see {@link Trainer#train} for what is refused).
   */
  public TrainingResult run(Path runDirectory) {
    if (recipe.model().dimensions() == 3 && !augmentations.isEmpty()) {
      throw new ModelMismatchException(recipe.name() + ": an Augmentation changes 2D image tiles, and this recipe's"
          + " net is 3D (model.dimensions 3); volumes are augmented by the recipe's augmentation spec only");
    }
    RunDirectory directory = new RunDirectory(runDirectory);
    if (resume) {
      directory.checkCanResume();
    } else {
      directory.checkCanStart();
    }
    Augmenter augmenter = Augmenter.of(recipe.augmentation());
    for (Augmentation a : augmentations) {
      augmenter = augmenter.andThen(a);
    }
    TrainingData.Prepared prepared = data.prepare(recipe, augmenter, threads, console);
    try (PrefetchingTiles prefetch = new PrefetchingTiles(prepared.training(), threads, 2 * threads)) {
      Trainer trainer = Trainer.of(recipe, runDirectory, prefetch).resume(resume)
          .restartWhenNoCheckpointIsUsable(restart);
      if (console != null) {
        trainer.console(console);
      }
      if (loss != null) {
        trainer.loss(loss);
      }
      if (prepared.validation() != null) {
        trainer.validation(prepared.validation());
      }
      listeners.forEach(trainer::listener);
      return trainer.train();
    }
  }
}
