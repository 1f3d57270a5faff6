package org.unet4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.unet4j.dsl.SpecException;
import org.unet4j.recipes.model.BioimageioOptions;
import org.unet4j.recipes.model.BioimageioPackage;
import org.unet4j.recipes.model.CheckpointException;
import org.unet4j.recipes.model.ExportedModel;
import org.unet4j.recipes.model.ModelExport;
import org.unet4j.recipes.model.ModelInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code unet4j export RUN --out DIR [--tile N]}: the run's best checkpoint when it keeps one, else
 * its newest good checkpoint (or one checkpoint folder) as a TensorFlow SavedModel for prediction, with its recipe; with
 * {@code --format bioimageio}, as a bioimage.io model package ({@link BioimageioPackage}).
 */
@Command(name = "export", description = "Export a trained model as a TensorFlow SavedModel or a bioimage.io model"
    + " package.")
final class ExportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "RUN", description = "A run directory (its best checkpoint when training.selectBy keeps"
      + " one, else its newest good checkpoint, is exported) or one of its checkpoint folders,"
      + " RUN/checkpoints/ckpt-NNNNNNNNN.")
  Path source;

  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "The export folder; it must not exist or be empty (bioimageio: the package zip, which must not"
          + " exist).")
  Path out;

  @Option(names = "--tile", paramLabel = "N",
      description = "Input tile size of the exported graph (default: the recipe's inference.tile; for bioimageio:"
          + " every valid size).")
  @Nullable Integer tile;

  /** What {@code --format} selects. */
  enum Format { SAVEDMODEL, BIOIMAGEIO }

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "savedmodel",
      converter = FormatConverter.class,
      description = "savedmodel (a SavedModel folder, the default) or bioimageio (a bioimage.io model package zip"
          + " for deepImageJ, ilastik, QuPath and the model zoo).")
  Format format;

  @Option(names = "--author", paramLabel = "NAME", description = "bioimageio: an author (repeatable; default: the"
      + " user name).")
  List<String> authors = new ArrayList<>();

  @Option(names = "--license", paramLabel = "SPDX",
      description = "bioimageio: the licence, an SPDX identifier (default: CC-BY-4.0).")
  @Nullable String license;

  @Option(names = "--name", paramLabel = "NAME", description = "bioimageio: the model's name (default: the recipe's"
      + " name followed by U-Net).")
  @Nullable String name;

  @Option(names = "--test-image", paramLabel = "FILE", description = "bioimageio: the image whose centre becomes"
      + " the test input (default: a generated image).")
  @Nullable Path testImage;

  static final class FormatConverter implements ITypeConverter<Format> {
    @Override
    public Format convert(String value) {
      for (Format f : Format.values()) {
        if (f.name().equalsIgnoreCase(value)) {
          return f;
        }
      }
      throw new TypeConversionException("expected savedmodel or bioimageio, got " + value);
    }
  }

  @Override
  public Integer call() {
    if (format == Format.BIOIMAGEIO) {
      return bioimageio();
    }
    if (!authors.isEmpty() || license != null || name != null || testImage != null) {
      throw new UserException("--author, --license, --name and --test-image describe a bioimage.io package;"
          + " add --format bioimageio");
    }
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
    o.printf(Locale.ROOT, "signature %s: %s %s -> %s, %s %s (tag %s)%n", ExportedModel.SIGNATURE,
        ExportedModel.INPUT, exported.input(), ExportedModel.PROBABILITIES, ExportedModel.LOGITS, exported.output(),
        ExportedModel.TAG);
    o.printf(Locale.ROOT, "size      %s in %s (%.1f s)%n", humanBytes(exported.bytes()), exported.directory(),
        exported.seconds());
    o.flush();
    return 0;
  }

  private int bioimageio() {
    BioimageioOptions.Builder options = BioimageioOptions.builder(System.getProperty("user.name", "unknown"));
    if (license != null) {
      options.license(license);
    }
    if (!authors.isEmpty()) {
      options.authors(authors);
    }
    if (name != null) {
      options.name(name);
    }
    if (tile != null) {
      options.tile(tile);
    }
    if (testImage != null) {
      options.testImage(testImage);
    }
    BioimageioOptions built;
    try {
      built = options.build();
    } catch (SpecException e) {
      String flag = e.path().equals("authors") ? "--author" : "--" + e.path().replace("testImage", "test-image");
      throw new UserException(flag + ": " + e.problem());
    }
    BioimageioPackage.Written written = BioimageioPackage.write(source, out, built);
    PrintWriter err = spec.commandLine().getErr();
    for (String reason : written.skipped()) {
      err.println("unet4j export: warning: skipped " + reason);
    }
    err.flush();
    PrintWriter o = spec.commandLine().getOut();
    o.printf(Locale.ROOT, "packaged  step %d as bioimage.io model %s%n", written.step(),
        BioimageioPackage.FORMAT_VERSION);
    o.printf(Locale.ROOT, "test      %d x %d input with its output%n", written.testHeight(), written.testWidth());
    o.printf(Locale.ROOT, "size      %s in %s%n", humanBytes(written.bytes()), written.file());
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
