package org.unet4j.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.unet4j.dsl.geometry.Tiling;
import org.unet4j.dsl.geometry.VolumeTiling;
import org.unet4j.dsl.recipe.InferenceSpec;
import org.unet4j.dsl.recipe.InstanceMethod;
import org.unet4j.recipes.data.FilePattern;
import org.unet4j.recipes.model.ModelMismatchException;
import org.unet4j.recipes.infer.PredictedImage;
import org.unet4j.recipes.infer.PredictionInputs;
import org.unet4j.recipes.infer.Predictor;
import org.unet4j.recipes.infer.TileProgress;
import org.unet4j.recipes.model.CheckpointException;
import org.unet4j.recipes.model.ModelSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code unet4j predict --model MODEL --out DIR [--tile N] [--tta MODE] [--threshold T] [--instances METHOD]
 * [--rois] [--measurements] IMAGES...}:
 * overlap-tile prediction of every image, written as {@code NAME_prob.tif}, {@code NAME_labels.tif}
 * and {@code NAME_overlay.png}, with {@code NAME_rois.zip} and {@code NAME_objects.csv} on request
 * ({@link org.unet4j.recipes.infer.PredictionFiles}); with a 3D net every TIFF stack is one volume
 * ({@link org.unet4j.recipes.infer.VolumePredictor}).
 */
@Command(name = "predict", description = "Segment images with a trained model: probability map, instance labels"
    + " and an overlay per image (overlap-tile prediction, paper Fig. 2); with a 3D net, each TIFF stack as one"
    + " volume.")
final class PredictCommand implements Callable<Integer> {
  /** Progress lines on a pipe or file at most this often. */
  private static final long LINE_INTERVAL_NANOS = 10_000_000_000L;

  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "MODEL", description = "A run directory (its best"
      + " checkpoint when training.selectBy keeps one, else its newest good checkpoint), a checkpoint folder"
      + " RUN/checkpoints/ckpt-NNNNNNNNN, or a model export (unet4j export).")
  Path model;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "The folder for the outputs (created"
      + " when missing; earlier outputs of the same names are replaced, an input never is).")
  Path out;

  @Mixin InferenceOverrides overrides = new InferenceOverrides();

  @Mixin ObjectOutputOptions objectOutputs = new ObjectOutputOptions();

  @Parameters(paramLabel = "IMAGES", arity = "1..*", description = "Image files (TIFF, PNG; a multi-page TIFF is"
      + " predicted page by page), folders or glob patterns such as 'data/*.tif'.")
  List<String> images = new ArrayList<>();

  @Override
  public Integer call() {
    ModelSource source = ModelSource.of(model);
    InferenceSpec inference = overrides.applyTo(source.recipe().inference());
    Map<String, Path> inputs = inputs();
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new UserException("--out " + out + " is a file; give a folder for the outputs");
    }
    PrintWriter err = spec.commandLine().getErr();
    for (String reason : source.skipped()) {
      err.println("unet4j predict: warning: skipped " + reason);
    }
    err.flush();
    Predictor predictor;
    try {
      predictor = Predictor.open(source, inference);
    } catch (ModelMismatchException e) {
      throw InferenceOverrides.mismatch(e);
    }
    PrintWriter o = spec.commandLine().getOut();
    try (predictor) {
      Tiling t = predictor.tiling();
      o.printf(Locale.ROOT, "model   %s%n", source.describe());
      if (source.best().isPresent()) {
        o.printf(Locale.ROOT, "using   %s%n", source.choice());
      }
      String output = t.stride() == 1 ? Integer.toString(t.outputSize())
          : t.outputSize() + " (upsampled x" + t.stride() + " to " + t.upsampledOutput() + ")";
      String tiles = t.tile() + " -> " + output + ", step " + t.step() + ", mirrored context " + t.context() + " px";
      if (predictor.predictsVolumes()) {
        VolumeTiling v = predictor.volumes().tiling();
        tiles = v.tile() + " -> " + v.outputSize() + " voxels (z, y, x), step " + v.step() + ", mirrored context "
            + v.context();
      }
      o.printf(Locale.ROOT, "tiles   %s; tta %s; threshold %s%s%n", tiles, inference.tta().name().toLowerCase(Locale.ROOT),
          inference.threshold(), switch (inference.instances()) {
            case WATERSHED -> "; watershed from cores above " + inference.seedThreshold();
            case DISTANCE_WATERSHED -> "; distance watershed from maxima " + inference.seedDepth() + " px deep";
            case COMPONENTS -> "";
          });
      o.flush();
      long began = System.nanoTime();
      for (Map.Entry<String, Path> input : inputs.entrySet()) {
        predictOne(predictor, input.getKey(), input.getValue(), o);
      }
      o.printf(Locale.ROOT, "predicted %d image%s in %.1f s into %s%n", inputs.size(), inputs.size() == 1 ? "" : "s",
          (System.nanoTime() - began) / 1e9, out);
      o.flush();
    }
    return 0;
  }

  private void predictOne(Predictor predictor, String name, Path file, PrintWriter o) {
    PredictedImage done = predictor.predictFile(file, name, out, objectOutputs.outputs(),
        task -> new ProgressLines(task, spec.commandLine().getErr()));
    o.printf(Locale.ROOT, "%s  %dx%d%s  %d object%s  %d tiles  %.1f s  -> %s%n", name, done.width(), done.height(),
        done.pages() > 1 ? " x " + done.pages() + (predictor.predictsVolumes() ? " planes" : " pages") : "",
        done.objects(), done.objects() == 1 ? "" : "s",
        done.tiles(), done.seconds(), done.files().probabilities().getFileName());
    o.flush();
  }

  /**
   * Every input file by output name, in the order given ({@link PredictionInputs}: files, folders,
   * patterns and list files): earlier outputs among them are skipped with a warning, a name used
   * twice is refused.
   */
  private Map<String, Path> inputs() {
    PredictionInputs selected = PredictionInputs.resolve("IMAGES", images, Path.of(""), out);
    PrintWriter err = spec.commandLine().getErr();
    for (String reason : selected.skipped()) {
      err.println("unet4j predict: warning: skipped " + reason);
    }
    err.flush();
    return selected.inputs();
  }

  /** A progress line every few seconds on standard error, for images that take long. */
  private static final class ProgressLines implements TileProgress {
    private final String task;
    private final PrintWriter err;
    private final long started = System.nanoTime();
    private long lastLine = System.nanoTime();

    ProgressLines(String task, PrintWriter err) {
      this.task = task;
      this.err = err;
    }

    @Override
    public void update(long done, long total) {
      long now = System.nanoTime();
      if (now - lastLine < LINE_INTERVAL_NANOS || done == total) {
        return;
      }
      lastLine = now;
      double seconds = (now - started) / 1e9;
      double eta = seconds / done * (total - done);
      err.printf(Locale.ROOT, "unet4j predict: %s: %d/%d tiles (%.1f tiles/s, %.0f s left)%n", task, done, total,
          done / seconds, eta);
      err.flush();
    }
  }
}
