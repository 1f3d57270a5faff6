package org.unet4j.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.unet4j.dsl.SpecException;
import org.unet4j.dsl.model.Axis;
import org.unet4j.dsl.model.Geometry;
import org.unet4j.dsl.json.JsonNames;
import org.unet4j.dsl.json.RecipeFormat;
import org.unet4j.dsl.model.LayerShape;
import org.unet4j.dsl.model.ModelSpec;
import org.unet4j.dsl.model.Size3;
import org.unet4j.dsl.model.VolumeGeometry;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.dsl.recipe.Recipes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code unet4j inspect RECIPE [--tile N] [--json]}: the model layer by layer with shapes,
 * parameters and FLOPs at a tile, the totals and the valid tiles around it. Loads no TensorFlow.
 */
@Command(name = "inspect", description = "Show a recipe's model layer by layer, its size arithmetic and valid tiles.")
final class InspectCommand implements Callable<Integer> {
  /** How many valid tiles to list on each side of the inspected one. */
  private static final int NEIGHBOURS = 3;

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "RECIPE", description = "A bundled recipe name (see `unet4j recipes`) or a .json file.")
  String recipe;

  @Option(names = "--tile", paramLabel = "N", description = "Input tile size to inspect (default: the recipe's training tile).")
  @Nullable Integer tile;

  @Option(names = "--json", description = "Print the resolved recipe, every default written out, as JSON.")
  boolean json;

  @Override
  public Integer call() {
    Recipe r = RecipeArgument.load(recipe);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.print(Recipes.toJson(r));
      out.flush();
      return 0;
    }
    ModelSpec model = r.model();
    Geometry geometry = model.geometry();
    int n = tile != null ? tile : r.training().tile();
    if (model.dimensions() == 3) {
      return inspectVolume(out, r, n);
    }
    SpecException invalid = geometry.whyInvalid(n);
    if (invalid != null) {
      throw new UserException("tile " + n + " does not fit " + r.name() + ": " + invalid.getMessage());
    }
    printHeader(out, r);
    printLayers(out, geometry.layers(n), geometry.convKernels());
    printTotals(out, model, geometry, n);
    out.flush();
    return 0;
  }

  /** A 3D net at the volume its tile stands for ({@link VolumeGeometry#inputForTile}): shapes z first. */
  private int inspectVolume(PrintWriter out, Recipe r, int n) {
    VolumeGeometry g = r.model().volumeGeometry();
    Size3 input;
    try {
      input = g.inputForTile(n);
    } catch (SpecException e) {
      throw new UserException("tile " + n + " does not fit " + r.name() + ": " + e.getMessage());
    }
    printHeader(out, r);
    printLayers(out, g.layers(input), g.along(Axis.Y).convKernels());
    out.printf(Locale.ROOT, "Parameters       %,d%n", r.model().parameterCount());
    out.printf(Locale.ROOT, "Forward          %.3f GFLOP at %s (z, y, x), batch 1%n", g.forwardFlops(input) / 1e9,
        input);
    out.printf(Locale.ROOT, "Tile             %s -> %s (margin %s voxels per side, output stride %s)%n", input,
        g.outputSize(input), g.margin(), g.outputStride());
    out.printf(Locale.ROOT, "Receptive field  %s voxels%n", g.receptiveField());
    for (Axis axis : List.of(Axis.Z, Axis.Y)) {
      Geometry along = g.along(axis);
      out.printf(Locale.ROOT, "Valid %-10s %s (every %d; smallest %d)%n", axis == Axis.Z ? "z sizes" : "y/x sizes",
          along.validInputs(Math.max(1, input.along(axis) - 3 * along.period()), input.along(axis) + 3 * along.period())
              .stream().map(String::valueOf).collect(Collectors.joining(", ")),
          along.period(), along.smallestValidInput());
    }
    out.flush();
    return 0;
  }

  private static void printHeader(PrintWriter out, Recipe r) {
    ModelSpec m = r.model();
    out.printf("Recipe   %s (format version %d)%n", r.name(), RecipeFormat.CURRENT_VERSION);
    if (!r.description().isEmpty()) {
      for (String line : wrap(r.description(), 90)) {
        out.printf("         %s%n", line);
      }
    }
    int p = m.pooling().size();
    List<String> windows = new ArrayList<>();
    for (int level = 0; level < m.depth(); level++) {
      windows.add(m.dimensions() == 3 ? m.poolingAlong(level, Axis.Z) + "x" + p + "x" + p : p + "x" + p);
    }
    out.printf("Model    %sdepth %d, %d convolution layers, %d input channel%s, %d classes (%s), %s pooling %s%n",
        m.dimensions() == 3 ? "3D (z, y, x), " : "", m.depth(), m.convolutionLayers(), m.inputChannels(),
        m.inputChannels() == 1 ? "" : "s", m.classes(), JsonNames.of(m.head().activation()),
        JsonNames.of(m.pooling().kind()), m.dimensions() == 3 ? String.join(", ", windows) : windows.get(0));
    out.println();
  }

  /** The layers as a table; a convolution's kind says its kernel ({@code conv 3x3}). */
  private static void printLayers(PrintWriter out, List<LayerShape> layers, Map<String, String> kernels) {
    int width = Math.max(24, layers.stream().mapToInt(l -> l.path().length()).max().orElse(0) + 2);
    String row = "%-" + width + "s %-12s %16s %14s %10s%n";
    out.printf(row, "layer", "kind", "output", "parameters", "GFLOP");
    for (LayerShape l : layers) {
      String kernel = kernels.get(l.path());
      out.printf(row, l.path(), JsonNames.of(l.kind()) + (kernel == null ? "" : " " + kernel), l.shape(),
          l.parameters() == 0 ? "-" : String.format(Locale.ROOT, "%,d", l.parameters()),
          l.flops() == 0 ? "-" : String.format(Locale.ROOT, "%.3f", l.flops() / 1e9));
    }
    out.println();
  }

  private static void printTotals(PrintWriter out, ModelSpec model, Geometry g, int tile) {
    out.printf(Locale.ROOT, "Parameters       %,d%n", model.parameterCount());
    out.printf(Locale.ROOT, "Forward          %.3f GFLOP at tile %d, batch 1%n", g.forwardFlops(tile) / 1e9, tile);
    out.printf(Locale.ROOT, "Tile             %d -> %d (margin %d px per side, output stride %d)%n",
        tile, g.outputSize(tile), g.margin(), g.outputStride());
    out.printf(Locale.ROOT, "Receptive field  %d px%n", g.receptiveField());
    List<String> around = new ArrayList<>();
    int below = tile;
    List<String> lower = new ArrayList<>();
    for (int i = 0; i < NEIGHBOURS; i++) {
      var next = g.validInputBelow(below);
      if (next.isEmpty()) {
        break;
      }
      below = next.getAsInt();
      lower.add(0, Integer.toString(below));
    }
    around.addAll(lower);
    around.add("[" + tile + "]");
    int above = tile;
    for (int i = 0; i < NEIGHBOURS; i++) {
      var next = g.validInputAbove(above);
      if (next.isEmpty()) {
        break;
      }
      above = next.getAsInt();
      around.add(Integer.toString(above));
    }
    out.printf("Valid tiles      %s (every %d px; smallest %d)%n", String.join(", ", around), g.period(),
        g.smallestValidInput());
  }

  private static List<String> wrap(String text, int width) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.split("\\s+")) {
      if (line.length() > 0 && line.length() + 1 + word.length() > width) {
        lines.add(line.toString());
        line.setLength(0);
      }
      line.append(line.length() == 0 ? "" : " ").append(word);
    }
    if (line.length() > 0) {
      lines.add(line.toString());
    }
    return lines;
  }
}
