package org.unet4j.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.tensorflow.Session;
import org.unet4j.dsl.model.Size3;
import org.unet4j.dsl.model.UNet;
import org.unet4j.dsl.recipe.AdamOptimizer;
import org.unet4j.dsl.recipe.AugmentationSpec;
import org.unet4j.dsl.recipe.ConstantSchedule;
import org.unet4j.dsl.recipe.DataSpec;
import org.unet4j.dsl.recipe.InferenceSpec;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.dsl.recipe.Recipes;
import org.unet4j.dsl.recipe.TestTimeAugmentation;
import org.unet4j.dsl.recipe.TrainingSpec;
import org.unet4j.dsl.recipe.WeightedCrossEntropyLoss;
import org.unet4j.layers.CompiledModel;
import org.unet4j.layers.ModelCompiler;
import org.unet4j.recipes.data.Image;
import org.unet4j.recipes.data.ImageIo;
import org.unet4j.recipes.data.PixelType;
import org.unet4j.recipes.data.SyntheticTiles;
import org.unet4j.recipes.model.Checkpoints;
import org.unet4j.recipes.model.RunDirectory;
import org.unet4j.recipes.train.Trainer;

/**
 * A tiny net trained for a few steps on synthetic discs (once per test JVM), and images of bright
 * discs on a noisy background with their masks.
 */
public final class TinyRun {
  /** Depth 2 from 4 filters: tile 60 -> 20 output pixels, so small images take several tiles. */
  public static final Recipe TINY = new Recipe("tiny", "a tiny net for spark tests",
      UNet.builder().depth(2).baseFilters(4).build(), WeightedCrossEntropyLoss.paper(), AugmentationSpec.none(),
      new TrainingSpec(AdamOptimizer.defaults(), 1e-2, new ConstantSchedule(), 0, 150, 2, 60, 7, 150, 0),
      DataSpec.none(), new InferenceSpec(60, 2, TestTimeAugmentation.NONE, 0.5, 0, false));

  private static Path run;

  private TinyRun() {}

  /** The run directory of {@link #TINY}, trained on first use. */
  public static synchronized Path run() {
    if (run == null) {
      try {
        Path dir = Files.createTempDirectory("unet4j-spark-tiny");
        Trainer.of(TINY, dir.resolve("run"), new SyntheticTiles(TINY.model(), 60, 2, 7)).train();
        run = dir.resolve("run");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return run;
  }

  /**
   * A run directory of a tiny 3D net (one 3x3x3 stage of 2 filters, a bottleneck of 4) holding its
   * seeded initial weights as a checkpoint, predicting 20x22x22 tiles (4x6x6 voxels out).
   */
  public static Path volumeRun(Path dir) throws IOException {
    Recipe recipe = Recipe.builder("tiny-3d")
        .model(UNet.builder().dimensions(3).contracting(c -> c.stage(2)).bottleneck(4).build())
        .training(t -> t.tile(22))
        .inference(InferenceSpec.builder().tile(22).tileZ(20).build())
        .build();
    Path run = dir.resolve("run-3d");
    RunDirectory directory = new RunDirectory(run);
    Files.createDirectories(run);
    Files.writeString(directory.recipe(), Recipes.toJson(recipe));
    try (CompiledModel model = ModelCompiler.compile(recipe.model(), new Size3(20, 22, 22), 11);
        Session session = new Session(model.graph())) {
      session.initialize();
      directory.checkpoints().save(session, Checkpoints.shapes(model), 0, 0.0);
    }
    return run;
  }

  /** Bright discs (the centres and radii drawn from the seed) on a noisy dark background. */
  public static Image discs(int w, int h, PixelType type, long seed) {
    return draw(w, h, type, seed, false);
  }

  /** The mask of {@link #discs}: 255 inside a disc, 0 outside. */
  public static Image mask(int w, int h, long seed) {
    return draw(w, h, PixelType.UINT8, seed, true);
  }

  private static Image draw(int w, int h, PixelType type, long seed, boolean mask) {
    SplittableRandom random = new SplittableRandom(seed);
    List<double[]> discs = new ArrayList<>();
    int count = 1 + (w * h) / 1500;
    for (int i = 0; i < count; i++) {
      discs.add(new double[] {random.nextDouble() * w, random.nextDouble() * h,
          3 + random.nextDouble() * Math.min(8, Math.min(w, h) / 3.0)});
    }
    SplittableRandom noise = new SplittableRandom(seed + 1);
    float[] pixels = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        boolean inside = false;
        for (double[] d : discs) {
          inside |= (x - d[0]) * (x - d[0]) + (y - d[1]) * (y - d[1]) <= d[2] * d[2];
        }
        double value = mask ? (inside ? 255 : 0)
            : Math.rint((inside ? 180 : 50) + 30 * noise.nextDouble()) * (type == PixelType.UINT16 ? 100 : 1);
        pixels[y * w + x] = (float) value;
      }
    }
    return Image.gray(w, h, mask ? PixelType.UINT8 : type, pixels);
  }

  /**
   * A folder of inputs of odd sizes: {@code a.png} 70x45 (3 tile rows of 4), {@code b.tif} 33x20
   * 16-bit (2 tiles), {@code c.png} 97x131 (7 rows of 5), {@code stack.tif} 3 pages of 40x30 (4
   * tiles each); their masks in {@code truth/}.
   */
  public static Path inputs(Path dir) {
    Path in = dir.resolve("in");
    Path truth = dir.resolve("truth");
    ImageIo.writePng(in.resolve("a.png"), discs(70, 45, PixelType.UINT8, 1));
    ImageIo.writePng(truth.resolve("a.png"), mask(70, 45, 1));
    ImageIo.writeTiff(in.resolve("b.tif"), discs(33, 20, PixelType.UINT16, 2));
    ImageIo.writeTiff(truth.resolve("b.tif"), mask(33, 20, 2));
    ImageIo.writePng(in.resolve("c.png"), discs(97, 131, PixelType.UINT8, 3));
    ImageIo.writePng(truth.resolve("c.png"), mask(97, 131, 3));
    ImageIo.writeTiffPages(in.resolve("stack.tif"), List.of(discs(40, 30, PixelType.UINT8, 4),
        discs(40, 30, PixelType.UINT8, 5), discs(40, 30, PixelType.UINT8, 6)));
    ImageIo.writeTiffPages(truth.resolve("stack.tif"), List.of(mask(40, 30, 4), mask(40, 30, 5), mask(40, 30, 6)));
    return in;
  }
}
