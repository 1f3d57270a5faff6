package org.unet4j.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.recipes.data.AugmentationPreview;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code unet4j augment RECIPE --count N --out DIR [--seed S] [--set path=value]...}: a contact
 * sheet of the augmented tiles training feeds the net (paper Sec. 3.1), drawn by
 * {@link AugmentationPreview} into one PNG, {@code DIR/augment-contact-sheet.png}. Loads no TensorFlow.
 */
@Command(name = "augment",
    description = {"Draw N augmented training tiles exactly as training draws them (paper Sec. 3.1) and write a"
        + " contact sheet, DIR/" + AugmentationPreview.SHEET + ", one row per tile:",
        "  the image tile (1st..99th percentile as black..white) with the deformation grid in cyan (a regular grid"
            + " mapped through the tile's own warp) and the label crop outlined in yellow;",
        "  the class labels (black background, orange cells);",
        "  the loss weights (viridis from 0 to the largest weight on the sheet).",
        "The same recipe and seed give a byte-identical file."})
final class AugmentCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "RECIPE", description = "A bundled recipe name (nuclei-demo) or a .json file.")
  String recipe;

  @Option(names = "--count", required = true, paramLabel = "N",
      description = "Tiles to draw, 1.." + AugmentationPreview.MAX_COUNT + ".")
  int count;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for " + AugmentationPreview.SHEET + ".")
  Path directory;

  @Option(names = "--seed", paramLabel = "S", description = "Run seed; default: the recipe's training.seed, so the"
      + " rows are the first N tiles the recipe's training run sees.")
  @Nullable Long seed;

  @Option(names = "--set", paramLabel = "PATH=VALUE",
      description = "Override a recipe field by its JSON path, e.g. --set augmentation.transforms[1].sigma=20"
          + " (repeatable).")
  List<String> overrides = new ArrayList<>();

  @Override
  public Integer call() {
    long start = System.nanoTime();
    if (count < 1 || count > AugmentationPreview.MAX_COUNT) {
      throw new UserException("--count " + count + ": draw 1 to " + AugmentationPreview.MAX_COUNT + " tiles per sheet");
    }
    Recipe r = RecipeArgument.loadWithData(recipe, overrides);
    AugmentationPreview preview = AugmentationPreview.draw(r, Path.of(""), seed != null ? seed : r.training().seed(),
        count);
    Path sheet;
    try {
      sheet = preview.write(directory);
    } catch (UncheckedIOException e) {
      throw new UserException(e.getMessage());
    }

    PrintWriter out = spec.commandLine().getOut();
    int images = preview.trainingImages();
    out.printf(Locale.ROOT, "%s: %d augmented training tile%s of seed %d (batch %d, %d training image%s), tile %d ->"
            + " labels %d%n", r.name(), count, count == 1 ? "" : "s", preview.seed(), r.training().batchSize(), images,
        images == 1 ? "" : "s", preview.shape().imageHeight(), preview.shape().labelHeight());
    for (int n = 0; n < count; n++) {
      out.printf(Locale.ROOT, "  row %2d  %s%n", n + 1, preview.rowNames().get(n));
    }
    out.printf(Locale.ROOT, "columns: image (1st..99th percentile) with deformation grid (cyan) and label crop"
        + " (yellow) | labels (black background, orange cells) | weights (viridis 0..%.2f)%n", preview.maxWeight());
    out.printf(Locale.ROOT, "contact sheet %s (%.1f s)%n", sheet.toAbsolutePath(), (System.nanoTime() - start) / 1e9);
    out.flush();
    return 0;
  }
}
