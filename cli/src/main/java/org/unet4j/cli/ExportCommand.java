package org.unet4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.unet4j.recipes.model.CheckpointException;
import org.unet4j.recipes.model.ExportedModel;
import org.unet4j.recipes.model.ModelExport;
import org.unet4j.recipes.model.ModelInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code unet4j export RUN --out DIR [--tile N]}: the run's newest good checkpoint (or one
 * checkpoint folder) as a TensorFlow SavedModel for prediction, with its recipe.
 */
@Command(name = "export", description = "Export a trained model as a TensorFlow SavedModel for prediction.")
final class ExportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "RUN", description = "A run directory (its newest good checkpoint is exported) or one of"
      + " its checkpoint folders, RUN/checkpoints/ckpt-NNNNNNNNN.")
  Path source;

  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "The export folder; it must not exist or be empty.")
  Path out;

  @Option(names = "--tile", paramLabel = "N",
      description = "Input tile size of the exported graph (default: the recipe's inference.tile).")
  @Nullable Integer tile;

  @Override
  public Integer call() {
    ModelExport.Exported exported =
        ModelExport.export(source, out, tile == null ? OptionalInt.empty() : OptionalInt.of(tile));
    PrintWriter err = spec.commandLine().getErr();
    for (String reason : exported.skipped()) {
      err.println("unet4j export: warning: skipped " + reason);
    }
    err.flush();
    ModelInfo info = exported.info();
    PrintWriter o = spec.commandLine().getOut();
    o.printf(Locale.ROOT, "exported  %s at step %d from %s%n", info.recipe(), info.step(), info.checkpoint());
    o.printf(Locale.ROOT, "tile      %d -> %d (margin %d px per side)%n", info.tile(), info.outputSize(),
        info.margin());
    o.printf(Locale.ROOT, "signature %s: %s [-1, %d, %d, %d] -> %s, %s [-1, %d, %d, %d] (tag %s)%n",
        ExportedModel.SIGNATURE, ExportedModel.INPUT, info.tile(), info.tile(), info.inputChannels(),
        ExportedModel.PROBABILITIES, ExportedModel.LOGITS, info.outputSize(), info.outputSize(), info.classes(),
        ExportedModel.TAG);
    o.printf(Locale.ROOT, "size      %s in %s (%.1f s)%n", humanBytes(exported.bytes()), exported.directory(),
        exported.seconds());
    o.flush();
    return 0;
  }

  private static String humanBytes(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    if (bytes < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }
    if (bytes < 1024L * 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
    return String.format(Locale.ROOT, "%.2f GiB", bytes / (1024.0 * 1024 * 1024));
  }
}
