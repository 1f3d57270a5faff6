package org.unet4j.recipes.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code unet4j demo}: the main job on the bundled BBBC039 nuclei images, as three commands a user
 * could type: train the {@code nuclei-demo} recipe on the 40 training images, segment the 10
 * held-out ones with overlap-tile prediction, and evaluate them against their masks.
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

  @Option(names = "--steps", paramLabel = "N", defaultValue = "600",
      description = "Training steps (default: ${DEFAULT-VALUE}, about four minutes on two cores).")
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
    int warmup = Math.min(RecipeArgument.load(RECIPE).training().warmupSteps(), this.steps / 10);
    String[] settings = {"--set", "training.steps=" + this.steps, "--set", "training.warmupSteps=" + warmup};
    String[][] steps = {
        resume
            ? concat(new String[] {"train", "--out", run.toString(), "--resume"}, settings)
            : concat(new String[] {"train", RECIPE, "--out", run.toString()}, settings),
        {"predict", "--model", run.toString(), "--out", predictions.toString(), test.resolve("images").toString()},
        {"evaluate", "--truth", test.resolve("masks").toString(), "--pred", predictions.toString(), "--labels",
            "color-components", "--json", scores.toString()},
    };
    for (String[] step : steps) {
      out.println();
      out.println("$ unet4j " + String.join(" ", step));
      out.flush();
      int status = Unet4j.run(step, out, err);
      if (status != 0) {
        err.println("unet4j demo: stopped: `unet4j " + step[0] + "` failed (status " + status + ")");
        return status;
      }
    }
    out.println();
    out.printf(Locale.ROOT, "demo done in %.1f min. Scores: %s (and .csv); pictures: %s/*_overlay.png; loss curve:"
        + " %s%n", (System.nanoTime() - start) / 60e9, scores, predictions, run.resolve("loss.png"));
    out.flush();
    return 0;
  }

  private static String[] concat(String[] first, String[] second) {
    String[] all = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, all, first.length, second.length);
    return all;
  }
}
