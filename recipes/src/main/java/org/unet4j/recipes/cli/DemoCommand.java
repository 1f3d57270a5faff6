package org.unet4j.recipes.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.unet4j.dsl.recipe.DataSpec;
import org.unet4j.dsl.recipe.LabelFormat;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.labels.InstanceLabels;
import org.unet4j.recipes.data.FilePattern;
import org.unet4j.recipes.data.Image;
import org.unet4j.recipes.data.ImageIo;
import org.unet4j.recipes.eval.CellProbabilities;
import org.unet4j.recipes.eval.EvaluationSummary;
import org.unet4j.recipes.eval.Evaluator;
import org.unet4j.recipes.eval.GroundTruth;
import org.unet4j.recipes.eval.ImageEvaluation;
import org.unet4j.recipes.eval.ObjectMetrics;
import org.unet4j.recipes.eval.OtsuBaseline;
import org.unet4j.recipes.eval.Scores;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code unet4j demo}: the main job on the bundled BBBC039 nuclei images, as three commands a user
 * could type: train the {@code nuclei-demo} recipe on the 40 training images, segment the 10
 * held-out ones with overlap-tile prediction, and evaluate them against their masks; then the same
 * scores of the classical baseline (Otsu's threshold and connected components), a table of both,
 * and a one-page summary ({@code summary.md}, {@code summary.png}, {@link DemoReport}).
 */
@Command(name = "demo", description = "Train nuclei-demo on the bundled nuclei images, segment the held-out ones,"
    + " evaluate them and print the scores.")
final class DemoCommand implements Callable<Integer> {
  /** The recipe the demo trains. */
  static final String RECIPE = "nuclei-demo";
  /** The bundled images the demo segments and evaluates, never trained on. */
  static final String TEST = "data/bbbc039/test";

  @Spec CommandSpec spec;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "demo-out",
      description = "Where the run, the predictions and the scores go (default: ${DEFAULT-VALUE}).")
  Path directory;

  @Option(names = "--steps", paramLabel = "N", defaultValue = "900",
      description = "Training steps (default: ${DEFAULT-VALUE}, about five minutes on two cores).")
  int steps;

  @Override
  public Integer call() {
    if (steps < 1) {
      throw new UserException("--steps " + steps + ": train at least 1 step");
    }
    Path home = Path.of(System.getProperty(RecipeArgument.HOME, "")).toAbsolutePath();
    Path test = home.resolve(TEST);
    if (!Files.isDirectory(test.resolve("images")) || !Files.isDirectory(test.resolve("masks"))) {
      throw new UserException("the bundled nuclei images are not in " + test + "; run the demo from the unet4j folder"
          + " (./unet4j demo)");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    long start = System.nanoTime();
    Path run = directory.resolve("run");
    Path predictions = directory.resolve("predictions");
    Path scores = directory.resolve("scores.json");
    boolean resume = Files.isRegularFile(run.resolve("recipe.json"));
    // A short run keeps a warm-up of at most a tenth of its steps.
    Recipe recipe = RecipeArgument.load(RECIPE);
    int warmup = Math.min(recipe.training().warmupSteps(), this.steps / 10);
    // The bundled nuclei images lie in the installation, wherever the demo runs from.
    DataSpec data = recipe.data().resolvedAgainst(home);
    String[] settings = {"--set", "training.steps=" + this.steps, "--set", "training.warmupSteps=" + warmup,
        "--set", "data.images=" + data.images(), "--set", "data.labels=" + data.labels()};
    String[][] steps = {
        resume
            ? concat(new String[] {"train", "--out", run.toString(), "--resume"}, settings)
            : concat(new String[] {"train", RECIPE, "--out", run.toString()}, settings),
        {"predict", "--model", run.toString(), "--out", predictions.toString(), test.resolve("images").toString()},
        {"evaluate", "--truth", test.resolve("masks").toString(), "--pred", predictions.toString(), "--labels",
            "color-components", "--json", scores.toString()},
    };
    double[] seconds = new double[steps.length];
    for (int i = 0; i < steps.length; i++) {
      String[] step = steps[i];
      out.println();
      out.println("$ unet4j " + String.join(" ", step));
      out.flush();
      long began = System.nanoTime();
      int status = Unet4j.run(step, out, err);
      seconds[i] = (System.nanoTime() - began) / 1e9;
      if (status != 0) {
        err.println("unet4j demo: stopped: `unet4j " + step[0] + "` failed (status " + status + ")");
        return status;
      }
    }
    long began = System.nanoTime();
    Scores otsu = otsuBaseline(test);
    double evaluateSeconds = seconds[2] + (System.nanoTime() - began) / 1e9;
    JsonNode unet;
    try {
      unet = new ObjectMapper().readTree(scores.toFile());
    } catch (IOException e) {
      throw new UserException("cannot read the scores " + scores + ": " + e.getMessage());
    }
    DemoReport report = new DemoReport(directory, unet, otsu, this.steps, seconds[0], seconds[1], evaluateSeconds,
        (System.nanoTime() - start) / 1e9);
    report.write();
    out.println();
    for (String line : report.table()) {
      out.println(line);
    }
    out.println();
    out.printf(Locale.ROOT, "demo done in %.1f min. Summary: %s (and summary.png); scores: %s (and .csv); pictures:"
        + " %s/*_overlay.png%n", (System.nanoTime() - start) / 60e9, directory.resolve("summary.md"), scores,
        predictions);
    out.flush();
    return 0;
  }

  /**
   * The classical baseline on the held-out images: Otsu's threshold and connected components
   * ({@link OtsuBaseline}), scored as the predictions are (the mask as the probability map, its
   * components as the instances).
   */
  private static Scores otsuBaseline(Path test) {
    List<ImageEvaluation> evaluations = new ArrayList<>();
    for (Path file : FilePattern.resolve("images", test.resolve("images").toString(), Path.of(""))) {
      String name = FilePattern.stem(file);
      Image image = ImageIo.read(file);
      Image mask = ImageIo.read(test.resolve("masks").resolve(name + ".png"));
      InstanceLabels objects = OtsuBaseline.segment(image);
      int[] labels = objects.toArray();
      float[] foreground = new float[labels.length];
      for (int i = 0; i < labels.length; i++) {
        foreground[i] = labels[i] == 0 ? 0 : 1;
      }
      evaluations.add(Evaluator.evaluate(name, List.of(GroundTruth.decode(mask, LabelFormat.COLOR_COMPONENTS)),
          List.of(new CellProbabilities(image.width(), image.height(), foreground)), ObjectMetrics.DEFAULT_THRESHOLD,
          List.of(GroundTruth.of(objects))));
    }
    return EvaluationSummary.of(evaluations).mean();
  }

  private static String[] concat(String[] first, String[] second) {
    String[] all = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, all, first.length, second.length);
    return all;
  }
}
