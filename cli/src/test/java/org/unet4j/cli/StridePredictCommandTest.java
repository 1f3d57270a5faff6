package org.unet4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unet4j.dsl.model.UNet;
import org.unet4j.dsl.recipe.AdamOptimizer;
import org.unet4j.dsl.recipe.AugmentationSpec;
import org.unet4j.dsl.recipe.ConstantSchedule;
import org.unet4j.dsl.recipe.DataSpec;
import org.unet4j.dsl.recipe.InferenceSpec;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.dsl.recipe.TestTimeAugmentation;
import org.unet4j.dsl.recipe.TrainingSpec;
import org.unet4j.dsl.recipe.WeightedCrossEntropyLoss;
import org.unet4j.recipes.data.Image;
import org.unet4j.recipes.data.ImageIo;
import org.unet4j.recipes.data.PixelType;
import org.unet4j.recipes.data.SyntheticTiles;
import org.unet4j.recipes.model.ModelExport;
import org.unet4j.recipes.train.Trainer;

/**
 * {@code unet4j predict} with a net whose output is twice as coarse as its input (issue 19): maps
 * of the image's size, the same from the run and from its export.
 */
class StridePredictCommandTest {
  /** Depth 2 from 4 filters, one expanding stage: 60 -> 12, stride 2, margin 18. */
  private static final Recipe STRIDE = new Recipe("tiny-stride", "a tiny coarse-output net for tests",
      UNet.builder().depth(2).baseFilters(4).expanding(e -> e.stage(8)).build(), WeightedCrossEntropyLoss.paper(),
      AugmentationSpec.none(), new TrainingSpec(AdamOptimizer.defaults(), 1e-2, new ConstantSchedule(), 0, 4, 2, 60,
      7, 2, 0), DataSpec.none(), new InferenceSpec(60, 2, TestTimeAugmentation.NONE, 0.5, 0, false));

  @TempDir static Path shared;
  @TempDir Path dir;

  @BeforeAll
  static void trainAndExport() {
    Trainer.of(STRIDE, shared.resolve("run"), new SyntheticTiles(STRIDE.model(), 60, 2, 7)).train();
    ModelExport.export(shared.resolve("run"), shared.resolve("export"), OptionalInt.empty());
  }

  @Test
  void predictsMapsOfTheImagesSizeFromTheRunAndItsExport() {
    SplittableRandom random = new SplittableRandom(4);
    float[] pixels = new float[71 * 45];
    for (int i = 0; i < pixels.length; i++) {
      int x = i % 71;
      int y = i / 71;
      pixels[i] = (float) ((x - 30) * (x - 30) + (y - 22) * (y - 22) < 150 ? 180 : 60) + random.nextInt(30);
    }
    Path image = dir.resolve("cells.tif");
    ImageIo.writeTiff(image, Image.gray(71, 45, PixelType.UINT8, pixels));

    CliRun r = CliRun.of("predict", "--model", shared.resolve("run").toString(), "--out", dir.resolve("run").toString(),
        image.toString());
    assertEquals(0, r.status(), r.err());
    // 24 upsampled pixels per tile, 1 dropped per side for the interpolation: 22 usable, step 20
    assertTrue(r.out().contains("tiles   60 -> 12 (upsampled x2 to 24), step 20, mirrored context 19 px"), r.out());
    // 71 x 45: 4 x 3 tiles
    assertTrue(r.out().matches("(?s).*\\ncells  71x45  \\d+ objects?  12 tiles  .*"), r.out());
    Image fromRun = ImageIo.read(dir.resolve("run/cells_prob.tif"));
    assertEquals(71, fromRun.width());
    assertEquals(45, fromRun.height());

    CliRun e = CliRun.of("predict", "--model", shared.resolve("export").toString(), "--out",
        dir.resolve("export").toString(), image.toString());
    assertEquals(0, e.status(), e.err());
    Image fromExport = ImageIo.read(dir.resolve("export/cells_prob.tif"));
    float[] a = fromRun.pixels();
    float[] b = fromExport.pixels();
    assertEquals(a.length, b.length);
    for (int i = 0; i < a.length; i++) {
      assertEquals(a[i], b[i], 1e-5, "pixel " + i);
    }
  }
}
