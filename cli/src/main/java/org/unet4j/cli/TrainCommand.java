package org.unet4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.recipes.model.CheckpointException;
import org.unet4j.recipes.model.RunDirectory;
import org.unet4j.recipes.model.RunLockedException;
import org.unet4j.recipes.model.RunWriteException;
import org.unet4j.recipes.train.MetricsLog;
import org.unet4j.recipes.train.NoUsableCheckpointException;
import org.unet4j.recipes.train.Training;
import org.unet4j.recipes.train.TrainingData;
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
    try {
      // Training checks the folder before it loads data, which can take minutes.
      TrainingResult result = Training.of(r).data(TrainingData.fromRecipe()).resume(resume).restart(restart)
          .console(System.err).run(directory);
      List<MetricsLog.Row> rows = MetricsLog.read(run.metrics());
      out.printf(Locale.ROOT, "trained %s: %d steps (%d in this run, %.1f s), loss %.4f -> %.4f%n", r.name(),
          result.steps(), result.stepsThisRun(), result.seconds(), rows.isEmpty() ? Double.NaN : rows.get(0).loss(),
          result.lastLoss());
      out.printf("checkpoint  %s%nloss curve  %s%nmetrics     %s%n", result.checkpoint().directory(),
          run.lossCurve(), run.metrics());
      if (result.best() != null) {
        out.printf("best        %s (%s)%n", result.best().checkpoint().directory(), result.best().describe());
      }
      if (result.stoppedEarly() != null) {
        out.printf("stopped     %s%n", result.stoppedEarly());
      }
      out.flush();
      return 0;
    } catch (NoUsableCheckpointException e) {
      throw new UserException(e.getMessage() + " (add --restart)");
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
      return RecipeArgument.loadWithData(run.recipe().toString(), overrides);
    }
    Recipe given = RecipeArgument.loadWithData(recipe, overrides);
    if (resume && run.holdsRun()) {
      Recipe recorded = RecipeArgument.loadWithData(run.recipe().toString(), overrides);
      if (!recorded.equals(given)) {
        throw new UserException("--resume: " + recipe + " differs from the run's " + run.recipe() + "; drop RECIPE to"
            + " continue with the run's recipe, and change settings with --set");
      }
    }
    return given;
  }

}
