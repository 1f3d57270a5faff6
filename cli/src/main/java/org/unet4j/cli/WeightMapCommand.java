package org.unet4j.cli;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.unet4j.dsl.json.JsonNames;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.dsl.recipe.WeightedCrossEntropyLoss;
import org.unet4j.recipes.data.Image;
import org.unet4j.recipes.data.ImageIo;
import org.unet4j.recipes.data.ImageReadException;
import org.unet4j.recipes.data.WeightMapPicture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code unet4j weight-map MASK --out W.tif [--recipe RECIPE] [--png W.png]}: the paper's loss
 * weight map (Sec. 3, eq. 2) of one label image, as the trainer computes it, to look at before
 * training ({@link WeightMapPicture}). Loads no TensorFlow.
 */
@Command(name = "weight-map",
    description = "Compute the paper's loss weight map (eq. 2) of a label image, as training uses it:"
        + " w(x) = w_c(x) + w0 exp(-(d1 + d2)^2 / (2 sigma^2)), with separation borders between touching cells."
        + " Writes a 32-bit float TIFF and, with --png, a false-colour picture.")
final class WeightMapCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "MASK",
      description = "Label image (TIFF or PNG), decoded with the recipe's data.labelFormat; of an RGB(A) mask the"
          + " red channel (channel 0) is read.")
  Path mask;

  @Option(names = "--out", required = true, paramLabel = "W.tif", description = "Where to write the weight map"
      + " (32-bit float TIFF, opens in Fiji/ImageJ).")
  Path out;

  @Option(names = "--recipe", paramLabel = "RECIPE", defaultValue = "nuclei-demo",
      description = "Bundled recipe name or .json file giving data.labelFormat and the weighted-cross-entropy loss"
          + " (w0, sigma, class balance); default: ${DEFAULT-VALUE}.")
  String recipe;

  @Option(names = "--png", paramLabel = "W.png", description = "Also write a picture: viridis from 0 (dark purple)"
      + " to the largest weight (yellow), separation borders in red.")
  @Nullable Path png;

  @Option(names = "--page", paramLabel = "N", defaultValue = "1",
      description = "Page of a multi-page TIFF label stack, counted from 1; default: ${DEFAULT-VALUE}.")
  int page;

  @Override
  public Integer call() {
    long start = System.nanoTime();
    checkExtension(out, "--out", ".tif or .tiff", "the weight map is a 32-bit float TIFF; use --png for a picture",
        "tif", "tiff");
    if (png != null) {
      checkExtension(png, "--png", ".png", "the picture is a PNG", "png");
    }
    Recipe r = RecipeArgument.load(recipe);
    WeightMapPicture map = WeightMapPicture.of(readLabels(), mask.toString(), r);
    write(() -> ImageIo.writeTiff(out, map.weights()));
    if (png != null) {
      Path picturePath = png;
      write(() -> ImageIo.writePng(picturePath, map.picture()));
    }
    WeightedCrossEntropyLoss loss = map.loss();
    double seconds = (System.nanoTime() - start) / 1e9;
    spec.commandLine().getOut().printf(Locale.ROOT,
        "%s (%dx%d%s): %d cells, %d border pixels, weight min %.3f mean %.3f max %.3f (w0 %s, sigma %s px, %s)"
            + " -> %s%s in %.2f s%n",
        mask, map.width(), map.height(), page > 1 ? ", page " + page : "", map.cells(), map.borderPixels(), map.min(),
        map.mean(), map.max(), number(loss.w0()), number(loss.sigma()), JsonNames.of(loss.classBalance()), out,
        png != null ? ", " + png : "", seconds);
    spec.commandLine().getOut().flush();
    return 0;
  }

  private Image readLabels() {
    try {
      if (page < 1) {
        throw new UserException("--page " + page + ": pages are counted from 1");
      }
      if (page == 1) {
        return ImageIo.read(mask);
      }
      List<Image> pages = ImageIo.readPages(mask);
      if (page > pages.size()) {
        throw new UserException("--page " + page + ": " + mask + " has " + pages.size() + " page"
            + (pages.size() == 1 ? "" : "s"));
      }
      return pages.get(page - 1);
    } catch (ImageReadException e) {
      throw new UserException(e.getMessage());
    }
  }

  private static void checkExtension(Path file, String option, String expected, String why, String... extensions) {
    String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
    for (String extension : extensions) {
      if (name.endsWith("." + extension)) {
        return;
      }
    }
    throw new UserException(option + " " + file + ": name it " + expected + " (" + why + ")");
  }

  private static void write(Runnable writing) {
    try {
      writing.run();
    } catch (UncheckedIOException e) {
      throw new UserException(e.getMessage());
    }
  }

  private static String number(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }
}
