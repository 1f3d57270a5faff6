package org.unet4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.unet4j.recipes.demo.DemoReport;
import org.unet4j.recipes.demo.NucleiDemo;
import org.unet4j.recipes.model.RunWriteException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code unet4j demo}: {@link NucleiDemo} on the bundled BBBC039 nuclei images (train
 * {@code nuclei-demo}, segment the 10 held-out images, evaluate them beside Otsu's baseline), then
 * its score table and where the summary lies.
 */
@Command(name = "demo", description = "Train nuclei-demo on the bundled nuclei images, segment the held-out ones,"
    + " evaluate them and print the scores.")
final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "demo-out",
      description = "Where the run, the predictions and the scores go (default: ${DEFAULT-VALUE}).")
  Path directory;

  @Option(names = "--steps", paramLabel = "N",
      description = "Training steps (default: the recipe's training.steps, 600, about three minutes on two cores).")
  @Nullable Integer steps;

  @Override
  public Integer call() {
    if (steps != null && steps < 1) {
      throw new UserException("--steps " + steps + ": train at least 1 step");
    }
    NucleiDemo demo = NucleiDemo.in(Path.of(System.getProperty(RecipeArgument.HOME, ""))).console(System.err);
    if (steps != null) {
      demo = demo.steps(steps);
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf(Locale.ROOT, "training %s for %d steps into %s, then segmenting and scoring the held-out images in"
        + " %s%n", NucleiDemo.RECIPE, demo.recipe().training().steps(), directory.resolve("run"), NucleiDemo.TEST);
    out.flush();
    DemoReport report;
    try {
      report = demo.run(directory);
    } catch (RunWriteException e) {
      // Not a mistake in what was asked (a full disk, say), so status 1 as for any failed write.
      spec.commandLine().getErr().println("unet4j demo: " + e.getMessage());
      return 1;
    }
    DemoReport.Timings t = report.timings();
    out.printf(Locale.ROOT, "trained %d steps in %.0f s, segmented in %.0f s, scored in %.0f s%n", t.steps(),
        t.trainSeconds(), t.predictSeconds(), t.evaluateSeconds());
    out.println();
    out.print(report.format());
    out.println();
    out.printf(Locale.ROOT, "demo done in %.1f min. Summary: %s (and summary.png); scores: %s (and .csv); pictures:"
        + " %s/*_overlay.png%n", t.totalSeconds() / 60, directory.resolve("summary.md"),
        directory.resolve(DemoReport.SCORES), directory.resolve("predictions"));
    out.flush();
    return 0;
  }
}
