package org.unet4j.spark.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkException;
import org.apache.spark.sql.SparkSession;
import org.jspecify.annotations.Nullable;
import org.unet4j.dsl.geometry.Tiling;
import org.unet4j.dsl.recipe.InstanceMethod;
import org.unet4j.dsl.recipe.TestTimeAugmentation;
import org.unet4j.cli.InferenceOverrides;
import org.unet4j.cli.ObjectOutputOptions;
import org.unet4j.cli.UserException;
import org.unet4j.recipes.data.DataException;
import org.unet4j.recipes.data.OutputFolderException;
import org.unet4j.recipes.eval.EvaluationInputException;
import org.unet4j.recipes.model.ModelMismatchException;
import org.unet4j.recipes.infer.PredictionInputs;
import org.unet4j.recipes.model.CheckpointException;
import org.unet4j.spark.BatchResult;
import org.unet4j.spark.BatchSettings;
import org.unet4j.spark.ImageRow;
import org.unet4j.spark.InferenceOptions;
import org.unet4j.spark.InputImage;
import org.unet4j.spark.PredictorCache;
import org.unet4j.spark.SparkPrediction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code unet4j spark-predict --model MODEL --out DIR [--master URL] [--truth DIR] [--tile N]
 * [--tta MODE] [--rois] [--measurements] IMAGES...}: {@code unet4j predict} for whole collections on Apache Spark, locally
 * on every core ({@code local[*]}) or on a cluster through {@code spark-submit}
 * ({@link org.unet4j.spark.SparkPrediction}). Writes the outputs {@code unet4j predict} writes and
 * the results table {@code predictions.csv} / {@code predictions.parquet}; a re-run skips the
 * images whose outputs are complete. Exits with 1 when some image failed (its row says why).
 */
@Command(name = "spark-predict", description = {"Segment a whole collection of images on Apache Spark: the outputs"
    + " of unet4j predict for every image, and a results table (predictions.csv, predictions.parquet).",
    "Images are cut into work units (whole images, runs of pages of stacks, bands of tile rows of large pages)"
        + " balanced across the executors; each executor loads the model once. A re-run skips images whose outputs"
        + " are complete and valid."})
public final class SparkPredictCommand implements Callable<Integer> {
  /** The time between two progress lines. */
  private static final long PROGRESS_MILLIS = 5_000;
  /** Spark's INFO lines would bury the progress; warnings and errors still show. */
  static final String QUIET_LOGGING = "org/unet4j/spark/log4j2-quiet.properties";

  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "MODEL", description = "A run directory (its best"
      + " checkpoint when training.selectBy keeps one, else its newest good checkpoint), a checkpoint folder or a model export (unet4j export), on a path every executor sees (a"
      + " relative path resolves in each executor's working directory, where spark-submit --archives unpacks).")
  Path model;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "The folder for the outputs and the"
      + " results table, on a file system every executor sees (created when missing).")
  Path out;

  @Option(names = "--master", paramLabel = "URL", description = "The Spark master: local[*] (every core of this"
      + " machine), local[N], spark://HOST:PORT, yarn, k8s://... (default: spark-submit's, else local[*]).")
  @Nullable String master;

  @Option(names = "--truth", paramLabel = "DIR", description = "A folder of ground-truth images NAME.tif/.tiff/.png:"
      + " each prediction is evaluated as unet4j evaluate does, and the scores go into the table.")
  @Nullable Path truth;

  @Option(names = "--labels", paramLabel = "FORMAT", description = "Label format of the truth: "
      + BatchSettings.CELLS_ABOVE_ZERO + " (cell = value > 0), instance, color-components, binary or isbi-membrane"
      + " (default: the model recipe's data.labelFormat).")
  @Nullable String labels;

  @Mixin InferenceOverrides overrides = new InferenceOverrides();

  @Mixin ObjectOutputOptions objectOutputs = new ObjectOutputOptions();

  @Option(names = "--overwrite", description = "Predict every image again, even those whose outputs are complete.")
  boolean overwrite;

  @Option(names = "--unit-tiles", paramLabel = "N", description = "Split an image into work units when it needs more"
      + " than N tiles (default: chosen so that each task slot gets about 4 units).")
  @Nullable Long unitTiles;

  @Parameters(paramLabel = "IMAGES", arity = "1..*", description = "Image files (TIFF, PNG; multi-page TIFFs are"
      + " stacks), folders, glob patterns such as 'plates/*.tif', or list files (one file, folder or pattern per"
      + " line, relative to the list).")
  List<String> images = new ArrayList<>();

  @Override
  public Integer call() {
    // Before Spark first logs; a log4j2 configuration given by the user wins.
    if (System.getProperty("log4j2.configurationFile") == null) {
      System.setProperty("log4j2.configurationFile", QUIET_LOGGING);
    }
    BatchSettings settings = settings();
    PredictionInputs selected = PredictionInputs.resolve("IMAGES", images, Path.of(""), settings.outFolder());
    List<InputImage> inputs = InputImage.of(selected);
    SparkPrediction job;
    try {
      job = SparkPrediction.prepare(settings, inputs);
    } catch (ModelMismatchException e) {
      throw InferenceOverrides.mismatch(e);
    } catch (OutputFolderException e) {
      throw new UserException("--out " + e.getMessage());
    } catch (EvaluationInputException e) {
      throw new UserException("--truth " + e.getMessage());
    }
    PrintWriter o = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    for (String reason : selected.skipped()) {
      err.println("unet4j spark-predict: warning: skipped " + reason);
    }
    for (String reason : job.source().skipped()) {
      err.println("unet4j spark-predict: warning: skipped " + reason);
    }
    Tiling t = job.tiling();
    o.printf(Locale.ROOT, "model   %s%n", job.source().describe());
    o.printf(Locale.ROOT, "tiles   %d -> %d, step %d, mirrored context %d px; tta %s; threshold %s%s%n", t.tile(),
        t.outputSize(), t.step(), t.context(), job.inference().tta().name().toLowerCase(Locale.ROOT),
        job.inference().threshold(), job.inference().instances() == InstanceMethod.WATERSHED
            ? "; watershed from cores above " + job.inference().seedThreshold() : "");
    o.flush();

    SparkConf conf = new SparkConf().setAppName("unet4j spark-predict");
    if (master != null) {
      conf.setMaster(master);
    } else {
      conf.setIfMissing("spark.master", "local[*]");
    }
    boolean local = conf.get("spark.master").startsWith("local");
    if (local) {
      // One JVM on this machine: no web UI to serve, and the predictors are closed at the end.
      conf.setIfMissing("spark.ui.enabled", "false");
    }
    conf.setIfMissing("spark.ui.showConsoleProgress", "false");
    BatchResult result;
    // A session that runs already (a notebook, an embedding program) is used and left running.
    boolean ours = SparkSession.getDefaultSession().isEmpty() && SparkSession.getActiveSession().isEmpty();
    SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
    try {
      o.printf(Locale.ROOT, "spark   %s, %d task slots, application %s%n", spark.sparkContext().master(),
          spark.sparkContext().defaultParallelism(), spark.sparkContext().applicationId());
      o.flush();
      result = job.run(spark, err, PROGRESS_MILLIS);
    } catch (Exception e) {
      // Spark throws SparkException (checked) through its Scala API: catch everything.
      throw failure(e);
    } finally {
      if (ours) {
        spark.stop();
        if (local) {
          PredictorCache.closeAll();
        }
      }
    }
    long predicted = result.count(ImageRow.Status.PREDICTED);
    long skipped = result.count(ImageRow.Status.SKIPPED);
    long failed = result.count(ImageRow.Status.FAILED);
    for (ImageRow row : result.rows()) {
      if (row.status() == ImageRow.Status.FAILED) {
        err.printf(Locale.ROOT, "unet4j spark-predict: %s failed: %s%n", row.name(), row.error());
      }
    }
    err.flush();
    o.printf(Locale.ROOT, "predicted %d, skipped %d, failed %d of %d image%s in %.1f s (%.2f images/s) into %s%n",
        predicted, skipped, failed, result.rows().size(), result.rows().size() == 1 ? "" : "s", result.seconds(),
        predicted / Math.max(1e-9, result.seconds()), job.settings().out());
    o.printf(Locale.ROOT, "table   %s, %s%n", result.csv(), result.parquet());
    o.flush();
    return failed > 0 ? 1 : 0;
  }

  private BatchSettings settings() {
    TestTimeAugmentation mode = overrides.tta();
    Integer tile = overrides.tile();
    if (tile != null && tile < 1) {
      throw new UserException("--tile: expected a tile of at least 1 pixel, got " + tile);
    }
    Double threshold = overrides.threshold();
    InstanceMethod method = overrides.instances();
    Double seedThreshold = overrides.seedThreshold();
    InferenceOptions inference = new InferenceOptions(tile, overrides.batchSize(), mode, threshold, method,
        seedThreshold, overrides.instancesPerClass(), overrides.thinBoundaries());
    if (unitTiles != null && unitTiles < 1) {
      throw new UserException("--unit-tiles: expected at least 1 tile, got " + unitTiles);
    }
    if (labels != null && truth == null) {
      throw new UserException("--labels says how to read the ground truth; give the truth folder with --truth");
    }
    try {
      return new BatchSettings(model.toString(),
          inference,
          out.toAbsolutePath().normalize().toString(),
          truth == null ? null : truth.toAbsolutePath().normalize().toString(), labels, overwrite,
          unitTiles == null ? 0 : unitTiles, objectOutputs.outputs());
    } catch (DataException e) {
      // The only thing given here that the settings check against what exists is the label format.
      throw new UserException("--labels " + e.getMessage());
    }
  }

  /**
   * A failed Spark job as one readable failure: the reason the executors gave (such as a model
   * that an executor cannot open) rather than Spark's stage report.
   */
  private static RuntimeException failure(Exception e) {
    Throwable cause = e;
    while (cause != null) {
      if (cause instanceof IllegalStateException && cause.getMessage() != null
          && cause.getMessage().startsWith("cannot open the model ")) {
        return new IllegalStateException(cause.getMessage(), e);
      }
      cause = cause.getCause();
    }
    if (e instanceof RuntimeException r && !(e.getCause() instanceof SparkException)) {
      return r;
    }
    String message = String.valueOf(e.getMessage());
    int newline = message.indexOf('\n');
    return new IllegalStateException("the Spark job failed: " + (newline < 0 ? message : message.substring(0,
        newline)), e);
  }
}
