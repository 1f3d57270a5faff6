package org.unet4j.recipes.bench;

import static com.google.common.base.Preconditions.checkNotNull;

import java.io.PrintWriter;
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
import org.unet4j.dsl.model.Size3;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.dsl.recipe.Recipes;
import org.unet4j.layers.CompiledModel;
import org.unet4j.layers.ConvolutionForm;
import org.unet4j.layers.Devices;
import org.unet4j.layers.ModelCompiler;
import org.unet4j.layers.Sessions;
import org.unet4j.recipes.data.Batch;
import org.unet4j.recipes.train.LearningRate;
import org.unet4j.recipes.train.ProcessMemory;
import org.unet4j.recipes.train.TrainingGraph;

/**
 * Measures a 3D net on this machine through the code paths unet4j uses: forward passes of one block
 * through {@link ModelCompiler} and {@link Sessions}, then training steps through
 * {@link TrainingGraph} (the recipe's loss, gradients and optimizer update), with the peak resident
 * memory of the process after each phase. The inputs are seeded noise: speed does not depend on
 * the voxel values. The forward phase comes first, so its peak is its own; the training step's
 * peak is that of the whole run.
 */
public final class VolumeBenchmark {
  private final VolumeBenchOptions options;
  private final PrintWriter progress;

  private VolumeBenchmark(VolumeBenchOptions options, PrintWriter progress) {
    this.options = options;
    this.progress = progress;
  }

  /** Runs both phases, printing one progress line per phase to {@code progress}. */
  public static VolumeBenchReport run(VolumeBenchOptions options, PrintWriter progress) {
    checkNotNull(options, "options");
    checkNotNull(progress, "progress");
    return new VolumeBenchmark(options, progress).run();
  }

  private VolumeBenchReport run() {
    long began = System.nanoTime();
    Machine machine = Machine.probe();
    String version = TensorFlow.version();
    Recipe recipe = options.recipe();
    Size3 block = options.block();
    Size3 output = recipe.model().volumeGeometry().outputSize(block);
    double gflop = recipe.model().volumeGeometry().forwardFlops(block) / 1e9;
    note("%s at %s (z, y, x) -> %s on %s, TensorFlow %s, load %.2f", recipe.name(), block, output, machine.cpu(),
        version, machine.loadAverage());
    Map<String, Object> settings = new LinkedHashMap<>(Sessions.describe(options.threads()));
    settings.put("convolution", ModelCompiler.defaultVolumeLowering().name().toLowerCase(Locale.ROOT));
    settings.put("devices", Devices.types());

    Timings forward;
    Map<String, ConvolutionForm> forms;
    try (CompiledModel model = ModelCompiler.compile(recipe.model(), block, recipe.training().seed());
        Session session = Sessions.open(model.graph(), options.threads())) {
      session.initialize();
      forms = model.convolutionForms();
      note("convolutions: %s", ConvolutionForm.describe(forms));
      note("forward passes of a %s block ...", block);
      forward = forward(model, session, block);
      note("forward: median %.1f ms (%.1f GFLOP/s), %.1f ms CPU", forward.median(), gflop / forward.median() * 1e3,
          forward.cpuMean());
    }
    long forwardPeak = ProcessMemory.peakResidentMb().orElse(-1);

    note("training steps at %s, batch 1 ...", block);
    boolean[] finite = {true};
    Timings train = train(recipe, block, output, finite);
    note("training step: median %.1f ms, %.1f ms CPU", train.median(), train.cpuMean());
    long peak = ProcessMemory.peakResidentMb().orElse(-1);
    return new VolumeBenchReport(options, machine, version, block, output, gflop, forward, train, finite[0],
        forwardPeak, peak, settings, forms, (System.nanoTime() - began) / 1e9);
  }

  private Timings forward(CompiledModel model, Session session, Size3 block) {
    int channels = model.spec().inputChannels();
    float[] voxels = Benchmark.noise((int) block.voxels() * channels, 3);
    try (TFloat32 input = TFloat32.tensorOf(Shape.of(1, block.z(), block.y(), block.x(), channels),
        DataBuffers.of(voxels, true, false))) {
      return Timings.of(options.warmups(), options.runs(), () -> {
        try (Result result = session.runner().feed(model.input(), input).fetch(model.probabilities()).run()) {
          // Only the time counts.
        }
      });
    }
  }

  /** Training steps through {@link TrainingGraph#step}, the trainer's own step, on one noise block. */
  private Timings train(Recipe recipe, Size3 block, Size3 output, boolean[] finite) {
    Recipe single = Recipes.withOverrides(recipe, List.of("training.batchSize=1"));
    int channels = recipe.model().inputChannels();
    int classes = recipe.model().classes();
    SplittableRandom random = new SplittableRandom(4);
    int[] labels = new int[(int) output.voxels()];
    float[] weights = new float[labels.length];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = random.nextInt(classes);
      weights[i] = 1 + 9 * (float) random.nextDouble();
    }
    Batch batch = new Batch(1, block.y(), channels, output.y(), Benchmark.noise((int) block.voxels() * channels, 5), labels,
        weights, block.z(), output.z());
    try (TrainingGraph graph = TrainingGraph.build(single, options.threads())) {
      graph.session().initialize();
      long[] step = {0};
      return Timings.of(options.warmups(), options.runs(), () -> {
        finite[0] &= graph.step(batch, LearningRate.at(single.training(), step[0]), step[0]).finite();
        step[0]++;
      });
    }
  }

  private void note(String format, Object... args) {
    progress.println("bench: " + String.format(Locale.ROOT, format, args));
    progress.flush();
  }
}
