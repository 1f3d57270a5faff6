package org.unet4j.recipes.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unet4j.dsl.model.Geometry;
import org.unet4j.dsl.model.OutputActivation;
import org.unet4j.dsl.model.UNet;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.dsl.recipe.Recipes;
import org.unet4j.recipes.bench.BenchOptions;
import org.unet4j.recipes.infer.Predictor;
import org.unet4j.recipes.model.ModelExport;
import org.unet4j.recipes.model.ModelInfo;
import org.unet4j.recipes.model.ModelMismatchException;

/**
 * Issue 19: a net with fewer expanding than contracting stages has an output coarser than its
 * input. The runtime's targets and predictions are at the input's resolution, so such a net used
 * to train on labels cropped at full resolution around the tile's centre (targets of the wrong
 * pixels, no error). It is refused with a typed error before any data loads or anything is
 * written, while declaring, measuring and writing it as a recipe keep working.
 */
class StrideRefusalTest {
  /** Two contracting stages, one expanding stage: output stride 2. */
  private static final Recipe STRIDE = TinyRecipes.tinyAdam(2, 1).toBuilder()
      .name("tiny-stride").model(UNet.builder().depth(2).baseFilters(4).expanding(e -> e.stage(8)).build()).build();
  private static final String EXPECTED = "tiny-stride: a net with 1 expanding stages for 2 contracting ones has an"
      + " output 2x coarser than its input (output stride 2) and cannot be %s yet: training targets and predictions"
      + " are at the input's resolution, which needs as many expanding stages as contracting ones (output stride"
      + " 1). Nets with output stride above 1 can so far be declared, measured (ModelSpec.geometry()) and compiled"
      + " (ModelCompiler.compile)";

  @Test
  void declaringMeasuringAndWritingTheNetStillWork() {
    Geometry g = STRIDE.model().geometry();
    // By hand at tile 60: 58, 56, pool 28; 26, 24, pool 12; bottleneck 10, 8; up-conv 16, the skip
    // (24) cropped to 16; 14, 12; 1x1 head 12. The margin is (60 - 2 x 12) / 2 = 18.
    assertEquals(2, g.outputStride());
    assertEquals(12, g.outputSize(TinyRecipes.TILE));
    assertEquals(18, g.margin());
    assertEquals(STRIDE, Recipes.fromJson(Recipes.toJson(STRIDE)));
  }

  @Test
  void trainingRefusesBeforeTouchingTheRunFolder(@TempDir Path dir) {
    Path run = dir.resolve("run");
    ModelMismatchException e = assertThrows(ModelMismatchException.class,
        () -> Training.of(STRIDE).data(TrainingData.fromRecipe()).run(run));
    assertEquals(String.format(EXPECTED, "trained"), e.getMessage());
    assertFalse(Files.exists(run));
    ModelMismatchException graph = assertThrows(ModelMismatchException.class, () -> TrainingGraph.build(STRIDE));
    assertEquals(String.format(EXPECTED, "trained"), graph.getMessage());
  }

  @Test
  void predictionRefusesBeforeLoadingTheModel(@TempDir Path dir) throws Exception {
    // An export's two descriptions are all the predictor reads before the refusal; no graph needed.
    Files.writeString(dir.resolve(ModelExport.RECIPE), Recipes.toJson(STRIDE), StandardCharsets.UTF_8);
    ModelInfo info = new ModelInfo("tiny-stride", 60, 12, 18, 2, 1, 2, OutputActivation.SOFTMAX, 2, "/none", "1.1.0");
    Files.writeString(dir.resolve(ModelExport.MODEL_INFO), info.toJson(), StandardCharsets.UTF_8);
    ModelMismatchException e = assertThrows(ModelMismatchException.class, () -> Predictor.open(dir));
    assertEquals(String.format(EXPECTED, "run for prediction"), e.getMessage());
  }

  @Test
  void benchmarksRefuse() {
    ModelMismatchException e = assertThrows(ModelMismatchException.class, () -> BenchOptions.quick(STRIDE, 60, 1));
    assertEquals(String.format(EXPECTED, "benchmarked"), e.getMessage());
  }
}
