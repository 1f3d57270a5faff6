package org.unet4j.spark;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.unet4j.dsl.geometry.Tiling;
import org.unet4j.dsl.geometry.VolumeTiling;
import org.unet4j.dsl.json.JsonNames;
import org.unet4j.dsl.recipe.InferenceSpec;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.recipes.data.OutputFolderException;
import org.unet4j.recipes.eval.EvaluationInput;
import org.unet4j.recipes.eval.EvaluationInputException;
import org.unet4j.recipes.infer.DihedralTransform;
import org.unet4j.recipes.infer.VolumePredictor;
import org.unet4j.recipes.model.ModelMismatchException;
import org.unet4j.recipes.model.ModelSource;

/**
 * A batch prediction of image collections on Spark, in four steps:
 * <ol>
 *   <li><b>survey</b> (executors): each image's page sizes from its headers; images whose outputs
 *       are complete and valid from an earlier run are skipped, unreadable ones fail their row;
 *   <li><b>plan</b> (driver): the images to predict become work units of about equal cost
 *       ({@link UnitPlanner}), packed into tasks, the longest first;
 *   <li><b>predict</b> (executors): each executor opens the model once ({@link PredictorCache});
 *       a whole image is predicted and written by {@code Predictor.predictFile}, exactly as
 *       {@code unet4j predict} does; a split image's units write part files (a net of 3 or more
 *       classes keeps every image whole, since its class files need whole pages). With a 3D net each
 *       image is a volume, split (when over the budget) into ranges of whole slabs of planes that
 *       the library predicts with their mirrored context ({@code VolumePredictor.predictPart});
 *   <li><b>finish</b> (executors): split images are assembled into their outputs (a volume by
 *       {@code VolumePredictor.assemble}, exactly as one prediction of it), and predictions
 *       are evaluated against the ground truth when there is some.
 * </ol>
 * The driver then writes the results table ({@link ResultTable}). Every output file is written
 * under a temporary name and renamed, so a retried or speculative task replaces files whole and a
 * killed job leaves no partial file under an output name; stale temporary files and part folders
 * are removed when the next run starts, and the images whose outputs are complete are skipped.
 *
 * <p>Everything the driver checks about the model happens in {@link #prepare}, without
 * TensorFlow and before any Spark work, so a wrong model fails at once.
 */
public final class SparkPrediction {
  private final BatchSettings settings;
  private final ModelSource source;
  private final InferenceSpec inference;
  private final Tiling tiling;
  private final ImmutableList<InputImage> inputs;

  private SparkPrediction(BatchSettings settings, ModelSource source, InferenceSpec inference, Tiling tiling,
      List<InputImage> inputs) {
    this.settings = settings;
    this.source = source;
    this.inference = inference;
    this.tiling = tiling;
    this.inputs = ImmutableList.copyOf(inputs);
  }

  /**
   * Checks the model, its recipe and the inference settings on the driver.
   *
   * @throws org.unet4j.recipes.model.CheckpointException when the model is missing or not a model,
   *     its recipe is missing or invalid, or a run has no usable checkpoint
   * @throws ModelMismatchException when the tile does not fit the model or its export
   * @throws OutputFolderException when the output folder is a file
   * @throws EvaluationInputException when the truth folder does not exist
   */
  public static SparkPrediction prepare(BatchSettings settings, List<InputImage> inputs) {
    checkNotNull(settings, "settings");
    checkNotNull(inputs, "inputs");
    checkArgument(!inputs.isEmpty(), "no input images");
    ModelSource source = ModelSource.of(settings.modelPath());
    Recipe recipe = source.recipe();
    InferenceSpec inference = settings.inference().checkedFor(source);
    Tiling tiling = Tiling.of(recipe.model(), inference.tile());
    Path out = settings.outFolder();
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new OutputFolderException(out, out + " is a file; give a folder for the outputs");
    }
    Path truth = settings.truthFolder();
    if (truth != null && !Files.isDirectory(truth)) {
      throw new EvaluationInputException(EvaluationInput.TRUTH, truth + ": no such folder; give the folder of"
          + " ground-truth images NAME.tif/.tiff/.png");
    }
    BatchSettings resolved = truth != null && settings.truthLabels() == null
        ? settings.withTruthLabels(JsonNames.of(recipe.data().labelFormat())) : settings;
    return new SparkPrediction(resolved, source, inference, tiling, inputs);
  }

  /**
   * The tiles of one work unit: {@code unitTiles} when given (above 0), else about
   * {@link UnitPlanner#automaticBudget} of the {@code total}. A net of 3 or more classes keeps every
   * image whole: the parts of a split image are assembled from their foreground alone, while its
   * class map, class probabilities and class-seeded or per-class instances need whole pages.
   */
  static long unitBudget(int classes, long unitTiles, long total, int slots) {
    if (classes >= 3) {
      return Long.MAX_VALUE;
    }
    return unitTiles > 0 ? unitTiles : UnitPlanner.automaticBudget(total, slots);
  }

  /** The settings, with the truth's label format resolved. */
  public BatchSettings settings() {
    return settings;
  }

  public ModelSource source() {
    return source;
  }

  /** The inference settings in use: the recipe's with the overrides. */
  public InferenceSpec inference() {
    return inference;
  }

  public Tiling tiling() {
    return tiling;
  }

  public List<InputImage> inputs() {
    return inputs;
  }

  /**
   * Runs the job on {@code spark} and writes the results table.
   *
   * @param log where the plan, progress lines every {@code progressMillis} and warnings go
   */
  public BatchResult run(SparkSession spark, PrintWriter log, long progressMillis) {
    checkNotNull(spark, "spark");
    checkNotNull(log, "log");
    long began = System.nanoTime();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int slots = Math.max(1, jsc.defaultParallelism());
    BatchSettings s = settings;
    Path out = s.outFolder();
    try {
      Files.createDirectories(out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the output folder " + out + ": " + e.getMessage(), e);
    }
    int stale = StaleFiles.remove(out);
    if (stale > 0) {
      log.printf(Locale.ROOT, "unet4j spark-predict: removed %d temporary file%s of an interrupted run%n", stale,
          stale == 1 ? "" : "s");
    }

    List<ImageSurvey> surveys = jsc.parallelize(inputs, slices(inputs.size(), slots))
        .map(image -> ImageSurvey.of(image, s)).collect();
    List<ImageSurvey> pending = ImageSurvey.inState(surveys, ImageSurvey.State.PENDING);
    for (ImageSurvey survey : pending) {
      new PartFiles(out, survey.image().name()).delete();
    }
    Recipe recipe = source.recipe();
    UnitPlanner planner = recipe.model().dimensions() == 3
        ? new UnitPlanner(tiling, VolumePredictor.copiesAtMost(inference.tta()), inference.batchSize(), false,
            VolumeTiling.of(recipe.model(), inference.tile(), inference.tileZ()))
        : new UnitPlanner(tiling, DihedralTransform.of(inference.tta()).size(), inference.batchSize(), true);
    long total = pending.stream().mapToLong(planner::imageCost).sum();
    long budget = unitBudget(source.recipe().model().classes(), s.unitTiles(), total, slots);
    List<WorkUnit> planned = planner.plan(pending, budget);
    long skipped = ImageSurvey.inState(surveys, ImageSurvey.State.COMPLETE).size();
    long unreadable = ImageSurvey.inState(surveys, ImageSurvey.State.UNREADABLE).size();
    log.printf(Locale.ROOT, "unet4j spark-predict: %d image%s: %d to predict in %d unit%s on %d task slot%s,"
        + " %d skipped (outputs complete), %d unreadable%n", inputs.size(), inputs.size() == 1 ? "" : "s",
        pending.size(), planned.size(), planned.size() == 1 ? "" : "s", slots, slots == 1 ? "" : "s", skipped,
        unreadable);
    log.flush();
    List<UnitResult> unreadablePages = new ArrayList<>();
    List<WorkUnit> units = normalized(jsc, slots, planned, unreadablePages);
    List<List<WorkUnit>> tasks = UnitPlanner.tasks(units, slots * UnitPlanner.TASKS_PER_SLOT);

    JobCounters counters = new JobCounters(jsc);
    List<ImageRow> rows;
    try (ProgressReporter progress = new ProgressReporter(log, counters, pending.size(), progressMillis)) {
      progress.start();
      List<UnitResult> results = new ArrayList<>(unreadablePages);
      if (!tasks.isEmpty()) {
        results.addAll(jsc.parallelize(tasks, tasks.size()).flatMap(task -> UnitWork.run(task, s, counters).iterator())
            .collect());
      }
      Map<String, List<UnitResult>> byImage = new LinkedHashMap<>();
      for (UnitResult result : results) {
        byImage.computeIfAbsent(result.unit().image().name(), k -> new ArrayList<>()).add(result);
      }
      progress.atLeast(results.stream().filter(r -> r.unit().whole()).count(),
          results.stream().filter(r -> r.unit().whole() && !r.succeeded()).count());
      Map<String, ImageRow> byName = new LinkedHashMap<>();
      List<Finishing> finishing = new ArrayList<>();
      for (ImageSurvey survey : surveys) {
        InputImage image = survey.image();
        switch (survey.state()) {
          case UNREADABLE:
            byName.put(image.name(), ImageRow.failed(image, null, null, survey.seconds(),
                Objects.requireNonNull(survey.error())));
            break;
          case COMPLETE:
            finishing.add(new Finishing(survey, ImageRow.Status.SKIPPED, survey.stats(), survey.seconds()));
            break;
          default:
            List<UnitResult> parts = byImage.getOrDefault(image.name(), List.of());
            double seconds = survey.seconds() + parts.stream().mapToDouble(UnitResult::seconds).sum();
            UnitResult firstFailure = parts.stream().filter(r -> !r.succeeded()).findFirst().orElse(null);
            if (parts.isEmpty() || firstFailure != null) {
              String error = firstFailure == null ? "no work unit of it ran" : firstFailure.error();
              byName.put(image.name(), ImageRow.failed(image, survey.firstPage(), survey.pages().size(), seconds,
                  Objects.requireNonNull(error)));
              if (!(parts.size() == 1 && parts.get(0).unit().whole())) {
                // Units of a split image count nothing on the executors: count the image once here.
                counters.imageDone(false);
                new PartFiles(out, image.name()).delete();
              }
            } else if (parts.size() == 1 && parts.get(0).unit().whole()) {
              finishing.add(new Finishing(survey, ImageRow.Status.PREDICTED, parts.get(0).stats(), seconds));
            } else {
              finishing.add(new Finishing(survey, ImageRow.Status.PREDICTED, null, seconds));
            }
        }
      }
      List<Finishing> remote = s.truth() != null ? finishing
          : finishing.stream().filter(Finishing::assembles).toList();
      double threshold = inference.threshold();
      if (s.truth() != null) {
        progress.evaluating(remote.size());
      }
      List<ImageRow> finished = remote.isEmpty() ? List.of()
          : jsc.parallelize(remote, slices(remote.size(), slots)).map(f -> f.run(s, threshold, counters))
              .collect();
      for (ImageRow row : finished) {
        byName.put(row.name(), row);
      }
      for (Finishing f : finishing) {
        if (!byName.containsKey(f.survey().image().name())) {
          byName.put(f.survey().image().name(), ImageRow.done(f.survey(), f.status(),
              Objects.requireNonNull(f.stats()), f.seconds(), null, null));
        }
      }
      rows = new ArrayList<>(inputs.size());
      for (InputImage image : inputs) {
        rows.add(Objects.requireNonNull(byName.get(image.name()), image.name()));
      }
      progress.report();
    }
    PartFiles.deleteTree(out.resolve(PartFiles.WORK_FOLDER));
    boolean scores = s.truth() != null;
    Path csv = out.resolve(ResultTable.CSV);
    Path parquet = out.resolve(ResultTable.PARQUET);
    ResultTable.writeCsv(csv, rows, scores);
    ResultTable.writeParquet(spark, parquet, rows, scores);
    return new BatchResult(ImmutableList.copyOf(rows), planned.size(), csv, parquet, ImageSurvey.since(began));
  }

  /**
   * {@code units} with the normalisation of each page split into row bands and of each volume split
   * into plane ranges, computed once per page or volume on the executors; the parts of one that
   * cannot be read become failed results.
   */
  private List<WorkUnit> normalized(JavaSparkContext jsc, int slots, List<WorkUnit> units, List<UnitResult> failed) {
    BatchSettings s = settings;
    Map<String, WorkUnit> firstParts = new LinkedHashMap<>();
    for (WorkUnit unit : units) {
      if (unit.splitsNormalization()) {
        firstParts.putIfAbsent(PageNormalization.key(unit), unit);
      }
    }
    if (firstParts.isEmpty()) {
      return units;
    }
    List<WorkUnit> pages = List.copyOf(firstParts.values());
    List<PageNormalization> stats = jsc.parallelize(pages, slices(pages.size(), slots))
        .map(band -> PageNormalization.of(band, s)).collect();
    Map<String, PageNormalization> byPage = new LinkedHashMap<>();
    for (PageNormalization n : stats) {
      byPage.put(n.key(), n);
    }
    List<WorkUnit> ready = new ArrayList<>(units.size());
    for (WorkUnit unit : units) {
      if (!unit.splitsNormalization()) {
        ready.add(unit);
        continue;
      }
      PageNormalization n = Objects.requireNonNull(byPage.get(PageNormalization.key(unit)));
      BandNormalization normalization = n.normalization();
      if (normalization != null) {
        ready.add(unit.withNormalization(normalization));
      } else {
        failed.add(new UnitResult(unit, n.error(), null, 0));
      }
    }
    return ready;
  }

  /** Partitions for {@code items} (images to survey or finish): many per slot, at least one item each. */
  private static int slices(int items, int slots) {
    return Math.max(1, Math.min(items, slots * UnitPlanner.TASKS_PER_SLOT));
  }
}
