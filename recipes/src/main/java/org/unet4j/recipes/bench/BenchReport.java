package org.unet4j.recipes.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.unet4j.layers.ConvolutionForm;

/**
 * The figures of one benchmark. The ratios divide the net's rate by the matrix-multiply rate
 * measured in the same run, so they compare machines and survive some of the noise of a shared
 * one: {@code forwardRatio = forwardGflop / forwardSeconds / matmulGflops} and
 * {@code trainRatio = 3 forwardGflop / trainStepSeconds / matmulGflops} (a training step costs
 * about three forward passes: forward, gradients of the activations, gradients of the weights).
 *
 * @param matmulBySize the multiplications of each yardstick size n (2 n^3 floating-point operations)
 * @param forward the forward passes of one tile (batch 1), ms
 * @param trainStep the training steps (batch 1: forward, backward, optimizer update), ms
 * @param allocatedBytesPerStep Java heap bytes the training thread allocates per step (median)
 * @param augment making one augmented training tile with the recipe's augmentation, ms
 * @param tiledMs, tiledCpuMs the overlap-tile prediction of a {@code largeImage} square image, ms
 *     of wall-clock and of the process's CPU time
 * @param tiles the tiles that prediction ran
 * @param rssSmallMb, rssLargeMb resident memory after predicting the small and then the large image
 * @param rssSmallAfterGcMb, rssLargeAfterGcMb the same after a garbage collection
 * @param predictPeakRssMb peak resident memory after the tiled predictions, before the whole image and training
 * @param image the whole image's prediction without and with the dihedral copies, and the model's loading
 * @param peakRssMb peak resident memory of the whole run
 * @param convolutionForms the form each convolution of the forward pass got, by layer path
 */
public record BenchReport(BenchOptions options, Machine machine, String tensorflowVersion,
    Map<Integer, Timings> matmulBySize, double forwardGflop, int outputSize, Timings forward, Timings trainStep,
    long allocatedBytesPerStep, boolean trainLossFinite, Timings augment, double tiledMs, double tiledCpuMs,
    long tiles, long rssSmallMb, long rssLargeMb, long rssSmallAfterGcMb, long rssLargeAfterGcMb,
    long predictPeakRssMb, WholeImageTimes image, long peakRssMb, Map<String, Object> settings,
    Map<String, ConvolutionForm> convolutionForms, double secondsTotal) {
  /** Targets of the CPU build on a 2-core machine (unet4j issue 8). */
  public static final double FORWARD_TARGET = 0.90;
  public static final double TRAIN_TARGET = 0.80;
  public static final double TILED_TARGET = 1.10;

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** The yardstick: the best rate over all sizes, GFLOP per second. */
  public double matmulGflops() {
    return matmulBySize.entrySet().stream().mapToDouble(e -> matmulGflops(e.getKey(), e.getValue())).max()
        .orElseThrow();
  }

  /**
   * The yardstick per CPU second of the process (all threads): the best over the sizes of their
   * runs' mean CPU time rather than their best wall time.
   */
  public double matmulGflopsPerCpuSecond() {
    return matmulBySize.entrySet().stream().filter(e -> e.getValue().cpuMean() > 0)
        .mapToDouble(e -> flop(e.getKey()) / e.getValue().cpuMean()).max().orElse(Double.NaN) / 1e6;
  }

  /** {@link #forwardRatio()} per CPU second: how well the work itself runs, whatever else shares the CPU. */
  public double forwardCpuRatio() {
    return forwardGflop / (forward.cpuMean() / 1e3) / matmulGflopsPerCpuSecond();
  }

  /** {@link #trainRatio()} per CPU second. */
  public double trainCpuRatio() {
    return 3 * forwardGflop / (trainStep.cpuMean() / 1e3) / matmulGflopsPerCpuSecond();
  }

  /** The rate of the best of {@code runs} multiplications of two {@code n x n} matrices, GFLOP per second. */
  static double matmulGflops(int n, Timings runs) {
    return flop(n) / runs.best() / 1e6;
  }

  private static double flop(int n) {
    return 2.0 * n * n * n;
  }

  public double forwardMs() {
    return forward.median();
  }

  public double forwardRatio() {
    return forwardGflop / (forwardMs() / 1e3) / matmulGflops();
  }

  public double trainStepMs() {
    return trainStep.median();
  }

  public double trainRatio() {
    return 3 * forwardGflop / (trainStepMs() / 1e3) / matmulGflops();
  }

  /** Tiled prediction time over the bare forward passes of its tiles. */
  public double tiledOverhead() {
    return tiledMs / (tiles * forwardMs());
  }

  /** {@link #tiledOverhead()} in CPU time: less sensitive to other work on the machine. */
  public double tiledCpuOverhead() {
    return tiledCpuMs / (tiles * forward.cpuMean());
  }

  /** Resident memory growth from predicting the small image to predicting the large one. */
  public long rssGrowthMb() {
    return rssLargeMb - rssSmallMb;
  }

  /** The size of the large image's probability map (float32, every class), MiB. */
  public double largeOutputMapMb() {
    long side = options.largeImage();
    return side * side * options.recipe().model().classes() * 4.0 / (1 << 20);
  }

  /**
   * The report as JSON. The top-level keys named in unet4j issue 8 ({@code matmulGflops},
   * {@code forwardGflop}, {@code forwardMs}, {@code forwardRatio}, {@code trainStepMs},
   * {@code trainRatio}, {@code tiledMs}, {@code tiles}, {@code tiledOverhead}, {@code peakRssMb},
   * {@code rssGrowthMb}, {@code threads}, {@code tensorflowVersion}, {@code cpu}) come first, then
   * those of issue 18 ({@code imageSize}, {@code imageTile}, {@code imageMs}, {@code imageDihedralMs},
   * {@code dihedralRatio}, {@code modelLoadMs}); the details follow.
   */
  public ObjectNode toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("matmulGflops", round(matmulGflops(), 1));
    root.put("forwardGflop", round(forwardGflop, 3));
    root.put("forwardMs", round(forwardMs(), 1));
    root.put("forwardRatio", round(forwardRatio(), 3));
    root.put("trainStepMs", round(trainStepMs(), 1));
    root.put("trainRatio", round(trainRatio(), 3));
    root.put("tiledMs", round(tiledMs, 1));
    root.put("tiles", tiles);
    root.put("tiledOverhead", round(tiledOverhead(), 3));
    root.put("peakRssMb", peakRssMb);
    root.put("rssGrowthMb", rssGrowthMb());
    root.put("threads", effectiveThreads());
    root.put("tensorflowVersion", tensorflowVersion);
    root.put("cpu", machine.cpu());
    image.putHeadline(root);
    root.put("allocatedBytesPerStep", allocatedBytesPerStep);
    root.put("oneDnn", machine.oneDnn());
    root.set("graphOptimizations", JSON.valueToTree(settings));
    ObjectNode forms = root.putObject("convolutionForms");
    convolutionForms.forEach((layer, form) -> forms.put(layer, form.label()));
    root.put("recipe", options.recipe().name());
    root.put("quick", options.quick());
    root.put("tile", options.tile());
    root.put("outputSize", outputSize);
    root.put("batch", 1);
    root.put("parameters", options.recipe().model().parameterCount());
    ObjectNode sizes = root.putObject("matmulGflopsBySize");
    matmulBySize.forEach((n, t) -> sizes.put(String.valueOf(n), round(matmulGflops(n, t), 1)));
    root.put("forwardBestMs", round(forward.best(), 1));
    root.set("forwardRunsMs", runs(forward.millis()));
    root.put("trainStepBestMs", round(trainStep.best(), 1));
    root.set("trainStepRunsMs", runs(trainStep.millis()));
    root.put("matmulGflopsPerCpuSecond", round(matmulGflopsPerCpuSecond(), 1));
    root.put("forwardCpuMs", round(forward.cpuMean(), 1));
    root.put("forwardCpuRatio", round(forwardCpuRatio(), 3));
    root.put("trainStepCpuMs", round(trainStep.cpuMean(), 1));
    root.put("trainCpuRatio", round(trainCpuRatio(), 3));
    root.put("trainLossFinite", trainLossFinite);
    root.put("augmentMsPerTile", round(augment.median(), 1));
    root.put("augmentShareOfStep", round(augment.median() / trainStepMs(), 3));
    root.put("tiledCpuMs", round(tiledCpuMs, 1));
    root.put("tiledCpuOverhead", round(tiledCpuOverhead(), 3));
    root.put("tiledImage", options.largeImage() + "x" + options.largeImage());
    root.put("tiledBatch", 1);
    root.put("tiledTta", "none");
    root.put("rssAfterSmallImageMb", rssSmallMb);
    root.put("rssAfterLargeImageMb", rssLargeMb);
    root.put("rssGrowthAfterGcMb", rssLargeAfterGcMb - rssSmallAfterGcMb);
    root.put("smallImage", options.smallImage() + "x" + options.smallImage());
    root.put("largeOutputMapMb", round(largeOutputMapMb(), 1));
    root.put("predictPeakRssMb", predictPeakRssMb);
    image.putDetails(root);
    root.put("cores", machine.cores());
    root.set("vectorExtensions", JSON.valueToTree(machine.vectorExtensions()));
    root.set("environment", JSON.valueToTree(machine.environment()));
    putRunEnd(root, machine, secondsTotal);
    return root;
  }

  /** The JSON text, pretty-printed. */
  public String toJsonText() {
    return jsonText(toJson());
  }

  /**
   * The fields that close every bench report: the load average at the start and now, the Java
   * version and the run's total seconds.
   */
  static void putRunEnd(ObjectNode root, Machine machine, double secondsTotal) {
    root.put("loadAverageStart", round(machine.loadAverage(), 2));
    root.put("loadAverageEnd", round(Machine.currentLoadAverage(), 2));
    root.put("javaVersion", System.getProperty("java.version"));
    root.put("secondsTotal", round(secondsTotal, 1));
  }

  /** {@code root} as pretty-printed JSON text with a final newline. */
  static String jsonText(ObjectNode root) {
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The threads per op: the requested number, or the cores TensorFlow's default uses. */
  public int effectiveThreads() {
    return options.threads() > 0 ? options.threads() : machine.cores();
  }

  /** The table people read. */
  public void printTable(PrintWriter out) {
    out.printf(Locale.ROOT, "unet4j bench: %s, tile %d -> %d, batch 1, %,d parameters%n", options.recipe().name(),
        options.tile(), outputSize, options.recipe().model().parameterCount());
    out.printf(Locale.ROOT, "machine: %s (%s), TensorFlow %s, %d thread(s) per op, oneDNN %s, load %.2f%n",
        machine.cpu(), String.join(" ", machine.vectorExtensions()), tensorflowVersion, effectiveThreads(),
        machine.oneDnn() ? "on" : "off", machine.loadAverage());
    out.println("convolutions: " + ConvolutionForm.describe(convolutionForms));
    out.println();
    row(out, "matmul (yardstick)", String.format(Locale.ROOT, "%.1f GFLOP/s", matmulGflops()),
        "best of " + sizes(), "");
    row(out, "  per CPU second", String.format(Locale.ROOT, "%.1f GFLOP/s", matmulGflopsPerCpuSecond()),
        "all threads' CPU time, not wall time", String.format(Locale.ROOT, "ratios: forward %.2f, training %.2f",
            forwardCpuRatio(), trainCpuRatio()));
    row(out, "forward", String.format(Locale.ROOT, "%.1f ms", forwardMs()),
        String.format(Locale.ROOT, "%.2f GFLOP, %.1f GFLOP/s", forwardGflop, forwardGflop / forwardMs() * 1e3),
        String.format(Locale.ROOT, "ratio %.2f (target >= %.2f)", forwardRatio(), FORWARD_TARGET));
    row(out, "training step", String.format(Locale.ROOT, "%.1f ms", trainStepMs()),
        String.format(Locale.ROOT, "%.1f GFLOP/s (3 x forward)", 3 * forwardGflop / trainStepMs() * 1e3),
        String.format(Locale.ROOT, "ratio %.2f (target >= %.2f)", trainRatio(), TRAIN_TARGET));
    row(out, "allocation per step", String.format(Locale.ROOT, "%,d bytes", allocatedBytesPerStep),
        "Java heap, training thread", "");
    row(out, "augmentation", String.format(Locale.ROOT, "%.1f ms", augment.median()), "per tile, made in background",
        String.format(Locale.ROOT, "%.1f%% of a step's time", 100 * augment.median() / trainStepMs()));
    row(out, String.format(Locale.ROOT, "tiled %dx%d", options.largeImage(), options.largeImage()),
        String.format(Locale.ROOT, "%.1f ms", tiledMs), tiles + " tiles, no TTA",
        String.format(Locale.ROOT, "overhead %.2f (target <= %.2f), %.2f in CPU time", tiledOverhead(),
            TILED_TARGET, tiledCpuOverhead()));
    row(out, "memory", peakRssMb + " MB peak",
        String.format(Locale.ROOT, "%d MB before training", predictPeakRssMb),
        String.format(Locale.ROOT, "growth %d MB from %dx%d to %dx%d, %d MB after GC (target < %.0f MB)",
            rssGrowthMb(), options.smallImage(), options.smallImage(), options.largeImage(), options.largeImage(),
            rssLargeAfterGcMb - rssSmallAfterGcMb, 3 * largeOutputMapMb()));
    image.printRows(out);
    out.flush();
  }

  private String sizes() {
    StringBuilder s = new StringBuilder();
    matmulBySize.forEach((n, t) -> s.append(s.length() == 0 ? "" : ", ").append(n).append(": ")
        .append(String.format(Locale.ROOT, "%.0f", matmulGflops(n, t))));
    return s.toString();
  }

  static void row(PrintWriter out, String what, String value, String detail, String verdict) {
    out.printf(Locale.ROOT, "%-22s %14s   %-34s %s%n", what, value, detail, verdict);
  }

  static ArrayNode runs(double[] millis) {
    ArrayNode array = JSON.createArrayNode();
    for (double ms : millis) {
      array.add(round(ms, 1));
    }
    return array;
  }

  static double round(double value, int digits) {
    if (!Double.isFinite(value)) {
      return value;
    }
    double scale = Math.pow(10, digits);
    return Math.round(value * scale) / scale;
  }

  static List<String> issueKeys() {
    return List.of("matmulGflops", "forwardGflop", "forwardMs", "forwardRatio", "trainStepMs", "trainRatio",
        "tiledMs", "tiles", "tiledOverhead", "peakRssMb", "rssGrowthMb", "threads", "tensorflowVersion", "cpu");
  }
}
