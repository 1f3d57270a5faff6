package org.unet4j.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.unet4j.dsl.InvalidInputException;
import org.unet4j.dsl.SpecException;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.dsl.recipe.Recipes;
import org.unet4j.recipes.bench.BenchOptions;
import org.unet4j.recipes.bench.BenchReport;
import org.unet4j.recipes.bench.Benchmark;
import org.unet4j.recipes.bench.VolumeBenchOptions;
import org.unet4j.recipes.bench.VolumeBenchReport;
import org.unet4j.recipes.bench.VolumeBenchmark;
import org.unet4j.recipes.data.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code unet4j bench [--json FILE] [--quick] [--recipe RECIPE] [--tile N] [--tile-z N] [--threads N]
 * [--image-size N] [--image-tile N]}: how close forward passes and training steps come to this
 * machine's matrix-multiply rate, the cost of overlap-tile prediction and the memory it needs, the
 * time of one image predicted whole with and without dihedral TTA; for a 3D net, the time and peak memory
 * of forward passes and training steps at its training block. A table on standard output, progress
 * on standard error, every figure in the JSON file.
 */
@Command(name = "bench", description = "Measure forward, training and tiled-prediction speed against this machine's"
    + " matrix-multiply rate (the paper's net at tile 572 by default; several minutes), and one 512x512 image predicted"
    + " whole at the recipe's inference tile without and with dihedral TTA; for a 3D recipe, forward and training time"
    + " and peak memory at its training block.")
final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write every figure to this JSON file.")
  @Nullable Path json;

  @Option(names = "--quick", description = "A small net, small matrices and images: under a minute, for smoke tests.")
  boolean quick;

  @Option(names = "--recipe", paramLabel = "RECIPE",
      description = "A bundled recipe name or a .json file (default: paper/isbi2012; with --quick a small net).")
  @Nullable String recipe;

  @Option(names = "--tile", paramLabel = "N", description = "Input tile size (default: the recipe's training tile).")
  @Nullable Integer tile;

  @Option(names = "--tile-z", paramLabel = "N",
      description = "3D nets: the block along z (default: the recipe's training.tileZ; --tile is its y and x).")
  @Nullable Integer tileZ;

  @Option(names = "--threads", paramLabel = "N",
      description = "Threads per TensorFlow op, one op at a time (default 0: TensorFlow's own thread pools).")
  int threads;

  @Option(names = "--image-size", paramLabel = "N",
      description = "The side of the image predicted whole (default 512; with --quick 100).")
  @Nullable Integer imageSize;

  @Option(names = "--image-tile", paramLabel = "N", description = "Its input tile (default: the recipe's"
      + " inference.tile; 0: the smallest tile that predicts the image in one tile).")
  @Nullable Integer imageTile;

  @Override
  public Integer call() {
    if (threads < 0) {
      throw new UserException("--threads " + threads + ": give 0 (TensorFlow's default) or a positive number");
    }
    Recipe r = recipe != null ? RecipeArgument.load(recipe)
        : quick ? BenchOptions.quickRecipe() : RecipeArgument.load("paper/isbi2012");
    if (json != null && json.getParent() != null && !Files.isDirectory(json.getParent())) {
      throw new UserException("--json " + json + ": the folder " + json.getParent() + " does not exist");
    }
    if (r.model().dimensions() == 3) {
      return volume(r);
    }
    if (tileZ != null) {
      throw new UserException("--tile-z " + tileZ + ": " + r.name() + " is a 2D net; --tile-z is for 3D nets");
    }
    int n = tile != null ? tile : r.training().tile();
    SpecException invalid = r.model().geometry().whyInvalid(n);
    if (invalid != null) {
      throw new UserException("--tile " + n + " does not fit " + r.name() + ": " + invalid.getMessage());
    }
    BenchOptions options = withImage(quick ? BenchOptions.quick(r, n, threads) : BenchOptions.full(r, n, threads));
    BenchReport report = Benchmark.run(options, spec.commandLine().getErr());
    report.printTable(spec.commandLine().getOut());
    return written(report.toJsonText());
  }

  /** The options with the whole image --image-size and --image-tile ask for. */
  private BenchOptions withImage(BenchOptions options) {
    if (imageSize == null && imageTile == null) {
      return options;
    }
    try {
      return options.withImage(imageSize != null ? imageSize : options.imageSide(),
          imageTile != null ? imageTile : options.imageTile());
    } catch (InvalidInputException e) {
      throw new UserException(imageFlags() + ": " + e.getMessage());
    }
  }

  private String imageFlags() {
    return String.join(" ", (imageSize != null ? "--image-size " + imageSize : ""),
        (imageTile != null ? "--image-tile " + imageTile : "")).strip();
  }

  /** A 3D net at its training block, which --tile and --tile-z change as the recipe's fields would. */
  private int volume(Recipe r) {
    if (imageSize != null || imageTile != null) {
      throw new UserException(imageFlags() + ": " + r.name() + " is a 3D net; the whole image is measured for 2D"
          + " nets");
    }
    List<String> overrides = new ArrayList<>();
    if (tile != null) {
      overrides.add("training.tile=" + tile);
    }
    if (tileZ != null) {
      overrides.add("training.tileZ=" + tileZ);
    }
    Recipe atBlock;
    try {
      atBlock = Recipes.withOverrides(r, overrides);
    } catch (SpecException e) {
      throw new UserException((tile != null ? "--tile " + tile + " " : "") + (tileZ != null ? "--tile-z " + tileZ + " "
          : "") + "does not fit " + r.name() + ": " + e.getMessage());
    }
    VolumeBenchOptions options = quick ? VolumeBenchOptions.quick(atBlock, threads)
        : VolumeBenchOptions.full(atBlock, threads);
    VolumeBenchReport report = VolumeBenchmark.run(options, spec.commandLine().getErr());
    report.printTable(spec.commandLine().getOut());
    return written(report.toJsonText());
  }

  private int written(String jsonText) {
    PrintWriter out = spec.commandLine().getOut();
    if (json != null) {
      // An output that cannot be written fails with status 1, as in every command.
      AtomicFiles.writeString(json, jsonText);
      out.println("figures written to " + json);
    }
    out.flush();
    return 0;
  }
}
