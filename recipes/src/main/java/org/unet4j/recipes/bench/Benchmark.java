package org.unet4j.recipes.bench;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.io.MoreFiles;
import com.google.common.io.RecursiveDeleteOption;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.TensorFlow;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.unet4j.dsl.geometry.Tiling;
import org.unet4j.dsl.recipe.InferenceSpec;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.dsl.recipe.Recipes;
import org.unet4j.dsl.recipe.TestTimeAugmentation;
import org.unet4j.layers.CompiledModel;
import org.unet4j.layers.ConvolutionForm;
import org.unet4j.layers.Devices;
import org.unet4j.layers.ModelCompiler;
import org.unet4j.layers.Sessions;
import org.unet4j.layers.WinogradOps;
import org.unet4j.augment.Augmenter;
import org.unet4j.augment.Sample;
import org.unet4j.recipes.data.DatasetTiles;
import org.unet4j.recipes.data.OutputGrid;
import org.unet4j.recipes.data.Image;
import org.unet4j.recipes.data.PixelType;
import org.unet4j.recipes.model.ModelSource;
import org.unet4j.recipes.infer.Predictor;
import org.unet4j.recipes.data.Batch;
import org.unet4j.recipes.model.Checkpoints;
import org.unet4j.recipes.train.LearningRate;
import org.unet4j.recipes.train.ProcessMemory;
import org.unet4j.recipes.model.RunDirectory;
import org.unet4j.recipes.train.TrainingGraph;

/**
 * Measures a recipe's model on this machine through the code paths unet4j really uses: the
 * matrix-multiply yardstick, forward passes of one tile through {@link ModelCompiler} and
 * {@link Sessions}, training steps through {@link TrainingGraph} (the recipe's loss, gradients and
 * optimizer update), and overlap-tile prediction through {@link Predictor} of a checkpoint written
 * by {@link Checkpoints}, and what a user waits for per image: one image predicted whole with the
 * recipe's inference settings, without and with dihedral test-time augmentation. The inputs are
 * synthetic (seeded noise): speed does not depend on the pixel values.
 *
 * <p>The phases run in this order: yardstick, forward, prediction of the small and then the large
 * image at the forward pass's tile (resident memory is read after each, and the peak after both),
 * the whole image at the inference tile (its predictors opened and closed in turn), augmentation,
 * training steps. Prediction comes before training so that its memory figures are not hidden by the
 * training step's larger buffers.
 */
public final class Benchmark {
  /** Timed predictions of the whole image after its warm-up, without TTA and with the copies (see wholeImage). */
  private static final int IMAGE_RUNS = 3;
  private static final int DIHEDRAL_RUNS = 2;

  private final BenchOptions options;
  private final PrintWriter progress;
  private final Map<String, Object> settings = new LinkedHashMap<>();

  private Benchmark(BenchOptions options, PrintWriter progress) {
    this.options = options;
    this.progress = progress;
  }

  /** Runs every phase, printing one progress line per phase to {@code progress}. */
  public static BenchReport run(BenchOptions options, PrintWriter progress) {
    checkNotNull(options, "options");
    checkNotNull(progress, "progress");
    return new Benchmark(options, progress).run();
  }

  private BenchReport run() {
    long began = System.nanoTime();
    Machine machine = Machine.probe();
    String version = TensorFlow.version();
    Recipe recipe = options.recipe();
    int tile = options.tile();
    int output = recipe.model().geometry().outputSize(tile);
    double gflop = recipe.model().geometry().forwardFlops(tile) / 1e9;
    note("%s on %s, TensorFlow %s, load %.2f", recipe.name(), machine.cpu(), version, machine.loadAverage());
    settings.putAll(Sessions.describe(options.threads()));
    settings.put("convolution", ModelCompiler.defaultLowering().name().toLowerCase(Locale.ROOT));
    settings.put("winogradTransforms", WinogradOps.describe());
    settings.put("devices", Devices.types());
    settings.put("patchLimitBytes", ModelCompiler.PATCH_LIMIT_BYTES);

    Map<Integer, Timings> matmul = MatmulRate.measure(options.matmulSizeArray(), options.matmulWarmups(),
        options.matmulRuns(), options.threads(), n -> note("matmul %dx%d ...", n, n));
    matmul.forEach((n, t) -> note("matmul %d: %.1f GFLOP/s (best of %d: %.1f ms; %.1f ms CPU per run)", n,
        BenchReport.matmulGflops(n, t), t.millis().length, t.best(), t.cpuMean()));

    Path folder = temporaryFolder();
    try {
      Timings forward;
      Map<String, ConvolutionForm> forms;
      // Compiled for prediction: the Winograd kernels are transformed in the first (warm-up) pass only.
      try (CompiledModel model = ModelCompiler.compileForInference(recipe.model(), tile, recipe.training().seed());
          Session session = Sessions.open(model.graph(), options.threads())) {
        session.initialize();
        forms = model.convolutionForms();
        note("convolutions: %s", ConvolutionForm.describe(forms));
        note("forward passes of a %dx%d tile ...", tile, tile);
        forward = forward(model, session);
        note("forward: median %.1f ms (%.1f GFLOP/s), %.1f ms CPU", forward.median(), gflop / forward.median() * 1e3,
            forward.cpuMean());
        writeRun(folder, recipe, session, model);
      }

      long[] rss = new long[4];
      Timings tiled;
      double tiledMs;
      long tiles;
      Recipe inference = Recipes.withOverrides(recipe, List.of("inference.tile=" + tile, "inference.batchSize=1",
          "inference.tta=none"));
      try (Predictor predictor = Predictor.open(ModelSource.of(folder), inference.inference())) {
        int small = options.smallImage();
        note("predicting a %dx%d image (%d tiles) ...", small, small, predictor.tileCount(small, small));
        predictor.predict(image(small, 1));
        rss[0] = ProcessMemory.residentMb().orElse(-1);
        rss[2] = residentAfterGc();
        int large = options.largeImage();
        tiles = predictor.tileCount(large, large);
        note("predicting a %dx%d image (%d tiles) ...", large, large, tiles);
        tiled = predictOnce(predictor, large);
        tiledMs = tiled.best();
        rss[1] = ProcessMemory.residentMb().orElse(-1);
        rss[3] = residentAfterGc();
        note("tiled: %.1f ms for %d tiles (%.1f ms per tile); resident memory %d MB -> %d MB (%d MB -> %d MB after"
            + " a garbage collection)", tiledMs, tiles, tiledMs / tiles, rss[0], rss[1], rss[2], rss[3]);
      }
      long predictPeak = ProcessMemory.peakResidentMb().orElse(-1);
      WholeImageTimes whole = wholeImage(folder);

      note("augmenting training tiles of %dx%d ...", tile, tile);
      Timings augment = augmentation(recipe, tile);
      note("augmentation: median %.1f ms per tile", augment.median());

      note("training steps at tile %d, batch 1 ...", tile);
      TrainResult train = train(recipe, tile, output);
      note("training step: median %.1f ms, %.1f ms CPU, %,d bytes allocated per step", train.timings().median(),
          train.timings().cpuMean(), train.allocatedBytes());
      long peak = ProcessMemory.peakResidentMb().orElse(-1);
      return new BenchReport(options, machine, version, matmul, gflop, output, forward, train.timings(),
          train.allocatedBytes(), train.lossFinite(), augment, tiledMs, tiled.cpuMean(), tiles, rss[0], rss[1],
          rss[2], rss[3], predictPeak, whole, peak, settings, forms, (System.nanoTime() - began) / 1e9);
    } finally {
      delete(folder);
    }
  }

  /**
   * The whole-image phase alone, from a run folder holding a recipe and a checkpoint: what
   * {@link #run} measures after the tiled predictions.
   */
  static WholeImageTimes wholeImage(BenchOptions options, Path run, PrintWriter progress) {
    return new Benchmark(options, progress).wholeImage(run);
  }

  /**
   * One image through {@link Predictor#predict} with the recipe's inference settings at the
   * options' image tile, without TTA and then with the dihedral copies, each from its own
   * predictor (the copies are a setting of the predictor). The first prediction of each is timed
   * on its own as the warm-up, then the median of 3 runs without TTA and of 2 with. The paper's net
   * takes 1-1.5 s a pass of a 700 tile on 2 cores and a dihedral run 8 passes, about 10 s, so these
   * counts keep the phase near 45 s: 3 runs give a median that one disturbed run does not move, and
   * a dihedral run already sums 8 passes, so the median of 2 (their mean) rests on 16.
   */
  private WholeImageTimes wholeImage(Path run) {
    Tiling tiling = options.imageTiling();
    int side = options.imageSide();
    Image image = image(side, 8);
    long tiles = tiling.tileCount(side, side);
    InferenceSpec recipe = options.recipe().inference();
    InferenceSpec none = recipe.toBuilder().tile(tiling.tile()).tta(TestTimeAugmentation.NONE).build();
    InferenceSpec dihedral = recipe.toBuilder().tile(tiling.tile()).tta(TestTimeAugmentation.DIHEDRAL).build();
    note("opening a predictor at tile %d ...", tiling.tile());
    Predictor[] opened = new Predictor[1];
    Timings load = Timings.of(0, 1, () -> opened[0] = Predictor.open(ModelSource.of(run), none));
    note("model loaded in %.1f ms (%.1f ms CPU): graph and checkpoint", load.median(), load.cpuMean());
    Timings first;
    Timings plain;
    int tilesPerBatch;
    try (Predictor predictor = opened[0]) {
      tilesPerBatch = predictor.tilesPerBatch();
      note("predicting a %dx%d image whole: %d tile(s) of %d, no TTA ...", side, side, tiles, tiling.tile());
      first = Timings.of(0, 1, () -> predictor.predict(image));
      plain = Timings.of(0, IMAGE_RUNS, () -> predictor.predict(image));
    }
    note("whole image: median %.1f ms, %.1f ms CPU (first %.1f ms)", plain.median(), plain.cpuMean(),
        first.median());
    Timings dihedralFirst;
    Timings copies;
    int dihedralTilesPerBatch;
    try (Predictor predictor = Predictor.open(ModelSource.of(run), dihedral)) {
      dihedralTilesPerBatch = predictor.tilesPerBatch();
      note("predicting it with the 8 dihedral copies ...");
      dihedralFirst = Timings.of(0, 1, () -> predictor.predict(image));
      copies = Timings.of(0, DIHEDRAL_RUNS, () -> predictor.predict(image));
    }
    WholeImageTimes times = new WholeImageTimes(side, tiling.tile(), tiles, tilesPerBatch, dihedralTilesPerBatch,
        load, first, plain, dihedralFirst, copies);
    note("dihedral: median %.1f ms, %.1f ms CPU (first %.1f ms): %.2f times no TTA", copies.median(),
        copies.cpuMean(), dihedralFirst.median(), times.dihedralRatio());
    return times;
  }

  /**
   * One prediction of a {@code side x side} image, timed; the image and the probabilities are
   * garbage when this returns, so memory read afterwards is what the predictor keeps.
   */
  private Timings predictOnce(Predictor predictor, int side) {
    Image image = image(side, 2);
    return Timings.of(0, 1, () -> predictor.predict(image));
  }

  /**
   * Resident memory once the garbage of the prediction is collected: what the predictor keeps,
   * rather than what the collector has not yet reclaimed.
   */
  private static long residentAfterGc() {
    System.gc();
    return ProcessMemory.residentMb().orElse(-1);
  }

  /** Forward passes of one tile, batch 1, through a model compiled as training and prediction do. */
  private Timings forward(CompiledModel model, Session session) {
    int tile = options.tile();
    int channels = model.spec().inputChannels();
    float[] pixels = noise(tile * tile * channels, 3);
    try (TFloat32 input = TFloat32.tensorOf(Shape.of(1, tile, tile, channels), DataBuffers.of(pixels, true, false))) {
      return Timings.of(options.warmups(), options.runs(), () -> {
        try (Result result = session.runner().feed(model.input(), input).fetch(model.probabilities()).run()) {
          // Only the time counts.
        }
      });
    }
  }

  private record TrainResult(Timings timings, long allocatedBytes, boolean lossFinite) {}

  /** Training steps through {@link TrainingGraph#step}, the trainer's own step. */
  private TrainResult train(Recipe recipe, int tile, int output) {
    Recipe atTile = Recipes.withOverrides(recipe, List.of("training.tile=" + tile, "training.batchSize=1"));
    int channels = recipe.model().inputChannels();
    int classes = recipe.model().classes();
    SplittableRandom random = new SplittableRandom(4);
    int[] labels = new int[output * output];
    float[] weights = new float[output * output];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = random.nextInt(classes);
      weights[i] = 1 + 9 * (float) random.nextDouble();
    }
    Batch batch = new Batch(1, tile, channels, output, noise(tile * tile * channels, 5), labels, weights);
    AllocationMeter meter = new AllocationMeter();
    try (TrainingGraph graph = TrainingGraph.build(atTile, options.threads())) {
      graph.session().initialize();
      boolean[] finite = {true};
      long[] step = {0};
      long[] allocated = new long[options.trainRuns()];
      int[] timed = {-options.trainWarmups()};
      Timings timings = Timings.of(options.trainWarmups(), options.trainRuns(), () -> {
        long before = meter.allocatedBytes();
        TrainingGraph.StepResult result = graph.step(batch, LearningRate.at(atTile.training(), step[0]), step[0]);
        long after = meter.allocatedBytes();
        finite[0] &= result.finite();
        step[0]++;
        if (timed[0] >= 0) {
          allocated[timed[0]] = after - before;
        }
        timed[0]++;
      });
      java.util.Arrays.sort(allocated);
      return new TrainResult(timings, allocated[allocated.length / 2], finite[0]);
    }
  }

  /**
   * Training tiles as {@code unet4j train} makes them ({@link DatasetTiles} with the recipe's
   * augmentation), from a synthetic 512x512 sample (the size of the ISBI 2012 images), timed on
   * this thread. The trainer makes them on background threads ({@link
   * org.unet4j.recipes.data.PrefetchingTiles}); on a machine with few cores they still take CPU
   * time from the training step, which the report shows as a share of the step.
   */
  private Timings augmentation(Recipe recipe, int tile) {
    int side = Math.max(512, tile);
    int channels = recipe.model().inputChannels();
    SplittableRandom random = new SplittableRandom(6);
    float[] pixels = noise(side * side * channels, 7);
    int[] labels = new int[side * side];
    float[] weights = new float[side * side];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = random.nextInt(recipe.model().classes());
      weights[i] = 1;
    }
    DatasetTiles tiles = new DatasetTiles(List.of(new Sample(side, side, channels, pixels, labels, weights)),
        Augmenter.of(recipe.augmentation()), OutputGrid.of(recipe.model(), tile), 1, recipe.training().seed());
    long[] step = {0};
    return Timings.of(options.warmups(), options.runs(), () -> tiles.batch(step[0]++));
  }

  /** Writes a run folder holding the recipe and the model's initial weights, for the predictor. */
  static void writeRun(Path folder, Recipe recipe, Session session, CompiledModel model) {
    RunDirectory run = new RunDirectory(folder);
    try {
      Files.writeString(run.recipe(), Recipes.toJson(recipe), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + run.recipe(), e);
    }
    run.checkpoints().save(session, Checkpoints.shapes(model), 0, 0);
  }

  /** A square 8-bit image of seeded noise with some structure (the values do not change the speed). */
  private Image image(int side, long seed) {
    int channels = options.recipe().model().inputChannels();
    SplittableRandom random = new SplittableRandom(seed);
    float[] pixels = new float[side * side * channels];
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        float base = 128 + 60 * (float) (Math.sin(x / 17.0) * Math.cos(y / 23.0));
        for (int c = 0; c < channels; c++) {
          pixels[(y * side + x) * channels + c] = Math.round(Math.max(0, Math.min(255,
              base + 20 * random.nextDouble())));
        }
      }
    }
    return new Image(side, side, channels, PixelType.UINT8, pixels);
  }

  /** {@code n} seeded uniform values in [-1, 1): inputs whose values do not change the speed. */
  static float[] noise(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) (random.nextDouble() * 2 - 1);
    }
    return values;
  }

  private void note(String format, Object... args) {
    progress.println("bench: " + String.format(Locale.ROOT, format, args));
    progress.flush();
  }

  private static Path temporaryFolder() {
    try {
      return Files.createTempDirectory("unet4j-bench-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary folder for the benchmark's checkpoint", e);
    }
  }

  private static void delete(Path folder) {
    try {
      MoreFiles.deleteRecursively(folder, RecursiveDeleteOption.ALLOW_INSECURE);
    } catch (IOException e) {
      // A leftover temporary folder is harmless.
    }
  }

  /** Bytes allocated on the Java heap by the current thread, where the JVM counts them. */
  private static final class AllocationMeter {
    private final com.sun.management.ThreadMXBean threads;

    AllocationMeter() {
      this.threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
      if (threads.isThreadAllocatedMemorySupported() && !threads.isThreadAllocatedMemoryEnabled()) {
        threads.setThreadAllocatedMemoryEnabled(true);
      }
    }

    long allocatedBytes() {
      return threads.isThreadAllocatedMemorySupported() ? threads.getCurrentThreadAllocatedBytes() : 0;
    }
  }
}
