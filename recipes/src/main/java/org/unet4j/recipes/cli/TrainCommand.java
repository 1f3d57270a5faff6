package org.unet4j.recipes.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.recipes.train.CheckpointException;
import org.unet4j.recipes.train.MetricsLog;
import org.unet4j.recipes.train.RunDirectory;
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

  @Override
  public Integer call() {
    Recipe r = resolveRecipe();
    PrintWriter out = spec.commandLine().getOut();
    RunDirectory run = new RunDirectory(directory);
    try {
      TrainingResult result = Training.of(r).data(TrainingData.fromRecipe()).resume(resume).console(System.err)
          .run(directory);
      List<MetricsLog.Row> rows = MetricsLog.read(run.metrics());
      out.printf(Locale.ROOT, "trained %s: %d steps (%d in this run, %.1f s), loss %.4f -> %.4f%n", r.name(),
          result.steps(), result.stepsThisRun(), result.seconds(), rows.isEmpty() ? Double.NaN : rows.get(0).loss(),
          result.lastLoss());
      out.printf("checkpoint  %s%nloss curve  %s%nmetrics     %s%n", result.checkpoint().directory(),
          run.lossCurve(), run.metrics());
      out.flush();
      return 0;
    } catch (CheckpointException | IllegalArgumentException e) {
      throw new UserException(e.getMessage());
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
