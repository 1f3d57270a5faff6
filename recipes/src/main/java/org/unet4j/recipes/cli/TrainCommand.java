package org.unet4j.recipes.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.unet4j.augment.Augmenter;
import org.unet4j.augment.Sample;
import org.unet4j.dsl.recipe.AugmentationSpec;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.losses.weights.WeightMapCache;
import org.unet4j.recipes.data.Dataset;
import org.unet4j.recipes.data.DatasetTiles;
import org.unet4j.recipes.data.PrefetchingTiles;
import org.unet4j.recipes.train.CheckpointException;
import org.unet4j.recipes.train.MetricsLog;
import org.unet4j.recipes.train.NoUsableCheckpointException;
import org.unet4j.recipes.train.RunDirectory;
import org.unet4j.recipes.train.RunLockedException;
import org.unet4j.recipes.train.RunWriteException;
import org.unet4j.recipes.train.Trainer;
import org.unet4j.recipes.train.TrainingResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code unet4j train RECIPE --out DIR [--set path=value]... [--resume]}: trains the recipe's
 * model on its data into a run directory.
 */
@Command(name = "train", description = "Train a recipe's model on its data into a run directory.")
final class TrainCommand implements Callable<Integer> {
  /** Weight maps kept in memory while training (the bundled nuclei set needs about 60 MB). */
  private static final long WEIGHT_MAP_CACHE_BYTES = 1L << 30;

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "RECIPE", arity = "0..1",
      description = "A bundled recipe name or a .json file; with --resume, defaults to the run's own recipe.")
  @Nullable String recipe;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "The run directory.")
  Path directory;

  @Option(names = "--set", paramLabel = "PATH=VALUE",
      description = "Override a recipe field by its JSON path, e.g. --set training.steps=60 (repeatable).")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--resume", description = "Continue the run in DIR from its newest good checkpoint.")
  boolean resume;

  @Option(names = "--restart", description = "With --resume: when every checkpoint of the run is damaged, start it"
      + " again from step 0 instead of stopping.")
  boolean restart;

  @Override
  public Integer call() {
    if (restart && !resume) {
      throw new UserException("--restart applies to --resume only: it lets a resumed run whose checkpoints are all"
          + " damaged start again from step 0");
    }
    Recipe r = resolveRecipe();
    PrintWriter out = spec.commandLine().getOut();
    RunDirectory run = new RunDirectory(directory);
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    try {
      // Before loading data, which can take minutes: a folder that cannot take the run is said at once.
      if (resume) {
        run.checkCanResume();
      } else {
        run.checkCanStart();
      }
      Dataset dataset = Dataset.open(r, Path.of(""));
      WeightMapCache cache = WeightMapCache.inMemory(WEIGHT_MAP_CACHE_BYTES);
      long loading = System.nanoTime();
      List<Sample> training = dataset.load(dataset.training(), cache, threads);
      List<Sample> validation = dataset.load(dataset.validation(), cache, threads);
      int tile = r.training().tile();
      int output = r.model().geometry().outputSize(tile);
      System.err.printf(Locale.ROOT, "unet4j train: %s, %d training and %d validation images (%d samples) loaded with"
          + " weight maps in %.1f s%n", r.name(), dataset.training().size(), dataset.validation().size(),
          training.size() + validation.size(), (System.nanoTime() - loading) / 1e9);
      DatasetTiles tiles = new DatasetTiles(training, Augmenter.of(r.augmentation()), tile, output,
          r.training().batchSize(), r.training().seed());
      try (PrefetchingTiles prefetch = new PrefetchingTiles(tiles, threads, 2 * threads)) {
        Trainer trainer = Trainer.of(r, directory, prefetch).resume(resume).restartWhenNoCheckpointIsUsable(restart)
            .console(System.err);
        if (!validation.isEmpty()) {
          trainer.validation(new DatasetTiles(validation, Augmenter.of(AugmentationSpec.none()), tile, output,
              r.training().batchSize(), r.training().seed() + 1));
        }
        TrainingResult result = trainer.train();
        List<MetricsLog.Row> rows = MetricsLog.read(run.metrics());
        out.printf(Locale.ROOT, "trained %s: %d steps (%d in this run, %.1f s), loss %.4f -> %.4f%n", r.name(),
            result.steps(), result.stepsThisRun(), result.seconds(), rows.isEmpty() ? Double.NaN : rows.get(0).loss(),
            result.lastLoss());
        out.printf("checkpoint  %s%nloss curve  %s%nmetrics     %s%n", result.checkpoint().directory(),
            run.lossCurve(), run.metrics());
        out.flush();
      }
      return 0;
    } catch (NoUsableCheckpointException e) {
      throw new UserException(e.getMessage() + " (add --restart)");
    } catch (CheckpointException | IllegalArgumentException | RunLockedException e) {
      throw new UserException(e.getMessage());
    } catch (RunWriteException e) {
      // Not a mistake in what was asked (a full disk, say), so status 1 as for any failed write.
      spec.commandLine().getErr().println("unet4j train: " + e.getMessage());
      return 1;
    }
  }

  private Recipe resolveRecipe() {
    RunDirectory run = new RunDirectory(directory);
    if (recipe == null) {
      if (!resume) {
        throw new UserException("give a RECIPE (a bundled name such as nuclei-demo, or a .json file), or --resume a"
            + " run");
      }
      if (!run.holdsRun()) {
        throw new UserException("--resume: " + directory + " holds no run (no recipe.json)");
      }
      return RecipeArgument.withOverrides(RecipeArgument.load(run.recipe().toString()), overrides);
    }
    Recipe given = RecipeArgument.resolveData(
        RecipeArgument.withOverrides(RecipeArgument.load(recipe), overrides), RecipeArgument.base(recipe));
    if (resume && run.holdsRun()) {
      Recipe recorded = RecipeArgument.withOverrides(RecipeArgument.load(run.recipe().toString()), overrides);
      if (!recorded.equals(given)) {
        throw new UserException("--resume: " + recipe + " differs from the run's " + run.recipe() + "; drop RECIPE to"
            + " continue with the run's recipe, and change settings with --set");
      }
    }
    return given;
  }

}
