package org.unet4j.recipes.demo;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.unet4j.dsl.recipe.LabelFormat;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.dsl.recipe.Recipes;
import org.unet4j.recipes.data.AtomicFiles;
import org.unet4j.recipes.data.DataException;
import org.unet4j.recipes.data.FilePattern;
import org.unet4j.recipes.eval.EvaluationReport;
import org.unet4j.recipes.eval.FileEvaluation;
import org.unet4j.recipes.eval.OtsuBaseline;
import org.unet4j.recipes.eval.Scores;
import org.unet4j.recipes.infer.Model;
import org.unet4j.recipes.model.RunDirectory;
import org.unet4j.recipes.train.Training;
import org.unet4j.recipes.train.TrainingResult;

/**
 * The main job on the bundled BBBC039 nuclei images, from code: train the {@value #RECIPE} recipe
 * on the 40 training images, segment the 10 held-out ones with overlap-tile prediction, evaluate
 * them against their masks, score the classical baseline (Otsu's threshold and connected
 * components, {@link OtsuBaseline}) the same way, and write a one-page summary
 * ({@link DemoReport}). A folder that holds a run already continues it (to more steps, say).
 *
 * <pre>{@code
 * DemoReport report = NucleiDemo.in(Path.of(".")).run(Path.of("demo-out"));
 * System.out.print(report.format());
 * }</pre>
 */
public final class NucleiDemo {
  /** The recipe the demo trains. */
  public static final String RECIPE = "nuclei-demo";
  /** The bundled images the demo segments and evaluates, never trained on, under the unet4j folder. */
  public static final String TEST = "data/bbbc039/test";

  private final Path home;
  private final int steps;
  private final @Nullable PrintStream console;

  private NucleiDemo(Path home, int steps, @Nullable PrintStream console) {
    this.home = home;
    this.steps = steps;
    this.console = console;
  }

  /**
   * The demo on the images bundled in the unet4j folder {@code home} (where {@code data/bbbc039}
   * lies), with the recipe's own number of steps.
   *
   * @throws DataException if the held-out images or their masks are not there
   */
  public static NucleiDemo in(Path home) {
    Path absolute = home.toAbsolutePath().normalize();
    Path test = absolute.resolve(TEST);
    if (!Files.isDirectory(test.resolve("images")) || !Files.isDirectory(test.resolve("masks"))) {
      throw new DataException("the bundled nuclei images are not in " + test + " (images/ and masks/); the demo"
          + " runs from the unet4j folder, where data/bbbc039 lies");
    }
    return new NucleiDemo(absolute, Recipes.load(RECIPE).training().steps(), null);
  }

  /** Trains {@code count} steps (at least 1); the warm-up is kept to at most a tenth of them. */
  public NucleiDemo steps(int count) {
    checkArgument(count >= 1, "steps: expected at least 1, got %s", count);
    return new NucleiDemo(home, count, console);
  }

  /** Shows training's progress (steps/s, loss, ETA) on {@code out}. */
  public NucleiDemo console(PrintStream out) {
    return new NucleiDemo(home, steps, checkNotNull(out, "out"));
  }

  /** The recipe trained: {@value #RECIPE} with this demo's steps and its data paths under the unet4j folder. */
  public Recipe recipe() {
    Recipe bundled = Recipes.load(RECIPE);
    int warmup = Math.min(bundled.training().warmupSteps(), steps / 10);
    // The bundled nuclei images lie in the unet4j folder, wherever the demo runs from.
    return bundled.toBuilder()
        .training(t -> t.steps(steps).warmupSteps(warmup))
        .data(bundled.data().resolvedAgainst(home))
        .build();
  }

  /**
   * Runs the demo into {@code folder}: {@code run/} (the training run), {@code predictions/}
   * ({@code NAME_prob.tif}, {@code NAME_labels.tif}, {@code NAME_overlay.png}),
   * {@code scores.json} and {@code scores.csv}, {@code summary.md} and {@code summary.png}.
   */
  public DemoReport run(Path folder) {
    long start = System.nanoTime();
    Path run = folder.resolve("run");
    Path test = home.resolve(TEST);
    Training training = Training.of(recipe()).resume(new RunDirectory(run).holdsRun());
    if (console != null) {
      training = training.console(console);
    }
    TrainingResult trained = training.run(run);
    double trainSeconds = (System.nanoTime() - start) / 1e9;

    long began = System.nanoTime();
    Path predictions = folder.resolve("predictions");
    List<Path> images = FilePattern.resolve("images", test.resolve("images").toString(), Path.of(""));
    try (Model model = Model.load(run)) {
      model.predictAll(images, predictions);
    }
    double predictSeconds = (System.nanoTime() - began) / 1e9;

    began = System.nanoTime();
    EvaluationReport scores = FileEvaluation.of(LabelFormat.COLOR_COMPONENTS).evaluate(test.resolve("masks"),
        predictions);
    AtomicFiles.writeString(folder.resolve(DemoReport.SCORES), scores.json());
    AtomicFiles.writeString(folder.resolve("scores.csv"), scores.csv());
    Scores otsu = OtsuBaseline.evaluate(test.resolve("images"), test.resolve("masks"), LabelFormat.COLOR_COMPONENTS)
        .mean();
    double evaluateSeconds = (System.nanoTime() - began) / 1e9;
    DemoReport report = DemoReport.of(folder, scores, otsu, new DemoReport.Timings(trained.steps(), trainSeconds,
        predictSeconds, evaluateSeconds, (System.nanoTime() - start) / 1e9));
    report.write();
    return report;
  }
}
