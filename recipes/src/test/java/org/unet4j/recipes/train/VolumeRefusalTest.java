package org.unet4j.recipes.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.unet4j.dsl.model.UNet;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.recipes.bench.BenchOptions;
import org.unet4j.recipes.model.ModelMismatchException;

/**
 * Benchmarks read 2D images only so far: a 3D net is refused, with a typed error
 * that says what is not supported yet, rather than run on 2D tiles.
 */
class VolumeRefusalTest {
  private static final Recipe VOLUME = TinyRecipes.tinyAdam(2, 1).toBuilder()
      .name("tiny-3d").model(UNet.builder().dimensions(3).depth(1).baseFilters(2).build()).build();
  private static final String EXPECTED = "tiny-3d: a 3D net (model.dimensions 3) cannot be %s yet: this part of the"
      + " runtime reads 2D images and tiles only. 3D nets can so far be declared, measured"
      + " (ModelSpec.volumeGeometry()), compiled (ModelCompiler.compile(spec, Size3, seed)), trained (Training"
      + " with TrainingData.volumes or the recipe's data) and run for prediction (Model.load, VolumePredictor)";

  @Test
  void benchmarksRefuseA3dNet() {
    ModelMismatchException e = assertThrows(ModelMismatchException.class,
        () -> BenchOptions.quick(VOLUME, 44, 1));
    assertEquals(String.format(EXPECTED, "benchmarked"), e.getMessage());
  }
}
