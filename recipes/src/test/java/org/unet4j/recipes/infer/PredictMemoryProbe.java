package org.unet4j.recipes.infer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.unet4j.dsl.model.UNet;
import org.unet4j.dsl.recipe.InferenceSpec;
import org.unet4j.dsl.recipe.ProbabilityOf;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.dsl.recipe.TestTimeAugmentation;
import org.unet4j.labels.InstanceLabels;
import org.unet4j.recipes.data.Image;
import org.unet4j.recipes.data.ImageIo;
import org.unet4j.recipes.model.ModelSource;
import org.unet4j.recipes.train.ProcessMemory;

/**
 * Measures time and resident memory of predicting one square image from disk to its three output
 * files (not a test: run its main in a fresh JVM, since the peak is per process). Arguments: image
 * size (default 2048), tile (default 252), batch size (default 4), TTA (default none), net
 * ({@code tiny}: depth 2 from 4 filters, the default; {@code paper}: the paper's net).
 */
public final class PredictMemoryProbe {
  /** Untrained nets give speckled foreground: more small objects than 16-bit labels hold, so drop them. */
  private static final int MIN_OBJECT_SIZE = 50;

  private PredictMemoryProbe() {}

  public static void main(String[] args) throws Exception {
    int size = args.length > 0 ? Integer.parseInt(args[0]) : 2048;
    int tile = args.length > 1 ? Integer.parseInt(args[1]) : 252;
    int batch = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    TestTimeAugmentation tta = args.length > 3 ? TestTimeAugmentation.valueOf(args[3].toUpperCase(Locale.ROOT))
        : TestTimeAugmentation.NONE;
    boolean paper = args.length > 4 && args[4].equals("paper");
    Path dir = Files.createTempDirectory("unet4j-predict-probe");
    Recipe recipe = TinyModels.recipe(paper ? "paper" : "tiny",
        paper ? UNet.paper() : UNet.builder().depth(2).baseFilters(4).build(), tile);
    TinyModels.untrainedRun(recipe, dir.resolve("run"));
    Path input = dir.resolve("image.tif");
    ImageIo.writeTiff(input, TinyModels.blobs(size, size, 1));
    System.gc();
    report("after writing the input and the run");

    try (Predictor predictor = Predictor.open(ModelSource.of(dir.resolve("run")),
        new InferenceSpec(tile, batch, tta, 0.5, MIN_OBJECT_SIZE, false))) {
      report("model loaded");
      long began = System.nanoTime();
      Image image = ImageIo.read(input);
      long read = System.nanoTime();
      ProbabilityMap map = predictor.predict(image);
      long predicted = System.nanoTime();
      report("after predicting");
      InstanceLabels labels = predictor.labels(map);
      PredictionFiles.of(dir.resolve("out"), "image", 1).write(List.of(image), List.of(map), List.of(labels),
          ProbabilityOf.FOREGROUND);
      long written = System.nanoTime();
      long tiles = predictor.tileCount(size, size);
      System.out.printf(Locale.ROOT, "%dx%d, tile %d -> %d (step %d), batch %d, tta %s: %d tiles%n", size, size, tile,
          predictor.tiling().outputSize(), predictor.tiling().step(), batch, tta, tiles);
      System.out.printf(Locale.ROOT, "read %.2f s, predict %.2f s (%.1f ms/tile), labels+write %.2f s, total %.2f s%n",
          (read - began) / 1e9, (predicted - read) / 1e9, (predicted - read) / 1e6 / tiles, (written - predicted) / 1e9,
          (written - began) / 1e9);
      report("after predicting and writing");
    }
  }

  private static void report(String when) {
    Runtime rt = Runtime.getRuntime();
    System.out.printf(Locale.ROOT, "%-32s resident %d MB, peak resident (VmHWM) %d MB, heap used %d MB of max %d MB%n",
        when, ProcessMemory.residentMb().orElse(-1), ProcessMemory.peakResidentMb().orElse(-1),
        (rt.totalMemory() - rt.freeMemory()) >> 20, rt.maxMemory() >> 20);
  }
}
