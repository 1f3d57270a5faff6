package org.unet4j.recipes.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unet4j.augment.Sample;
import org.unet4j.dsl.model.UNet;
import org.unet4j.dsl.recipe.AugmentationSpec;
import org.unet4j.dsl.recipe.LabelFormat;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.dsl.recipe.Recipes;
import org.unet4j.labels.WeightMapCache;
import org.unet4j.recipes.data.DataException;
import org.unet4j.recipes.data.Dataset;
import org.unet4j.recipes.data.FilePattern;
import org.unet4j.recipes.data.Image;
import org.unet4j.recipes.data.ImageIo;

/**
 * The bundled {@code nuclei-3class} recipe, made tiny (a depth-2 net, 60-pixel tiles, 4 steps), on
 * 96x96 crops of three bundled BBBC039 images: background, interior and boundary come from the
 * masks, and the net trains and is scored on them.
 */
class ThreeClassTrainingTest {
  private static final int CROP = 96;

  @TempDir Path dir;

  /** The first {@code count} bundled images and masks, cropped at (300, 200), in {@code dir}. */
  static void crops(Path dir, int count) {
    Path home = Path.of("").toAbsolutePath().getParent().resolve("data/bbbc039/train");
    List<Path> images = FilePattern.resolve("images", home.resolve("images").toString(), Path.of(""));
    List<Path> masks = FilePattern.resolve("masks", home.resolve("masks").toString(), Path.of(""));
    for (int i = 0; i < count; i++) {
      String name = FilePattern.stem(images.get(i)) + ".tif";
      ImageIo.writeTiff(dir.resolve("images").resolve(name), crop(ImageIo.read(images.get(i))));
      ImageIo.writeTiff(dir.resolve("masks").resolve(name), crop(ImageIo.read(masks.get(i))));
    }
  }

  private static Image crop(Image image) {
    float[] pixels = new float[CROP * CROP];
    for (int y = 0; y < CROP; y++) {
      for (int x = 0; x < CROP; x++) {
        pixels[y * CROP + x] = image.get(300 + x, 200 + y, 0);
      }
    }
    return Image.gray(CROP, CROP, image.type(), pixels);
  }

  private Recipe tiny() {
    return Recipes.load("nuclei-3class").toBuilder()
        .model(UNet.builder().depth(2).baseFilters(4).classes(3).build())
        .augmentation(AugmentationSpec.none())
        .training(t -> t.steps(4).batchSize(1).tile(60).warmupSteps(0).checkpointEvery(4).validateEvery(2))
        .data(d -> d.images(dir.resolve("images").toString()).labels(dir.resolve("masks").toString())
            .validationFraction(0.34))
        .inference(i -> i.tile(60).batchSize(1))
        .build();
  }

  @Test
  void theBundledRecipeReadsTheMasksAsThreeClasses() {
    Recipe bundled = Recipes.load("nuclei-3class");
    assertEquals(3, bundled.model().classes());
    assertEquals(LabelFormat.THREE_CLASS, bundled.data().labelFormat());
    crops(dir, 1);
    Recipe recipe = tiny();
    Dataset dataset = Dataset.open(recipe.toBuilder().data(d -> d.validationFraction(0)).build(), dir);
    Sample sample = dataset.load(dataset.training().get(0), WeightMapCache.inMemory(1 << 24)).get(0);
    long[] counts = new long[3];
    for (int label : sample.labels()) {
      counts[label]++;
    }
    assertTrue(counts[0] > 0 && counts[1] > 0 && counts[2] > 0, java.util.Arrays.toString(counts));
    // A one-pixel boundary ring around interiors: fewer boundary than interior pixels.
    assertTrue(counts[2] < counts[1], java.util.Arrays.toString(counts));
  }

  @Test
  void aTinyThreeClassNetTrainsAndIsScoredOverItsForegroundClasses() {
    crops(dir, 3);
    List<StepEvent> steps = new ArrayList<>();
    List<ValidationEvent> validations = new ArrayList<>();
    TrainingResult result = Training.of(tiny()).data(TrainingData.fromRecipe())
        .listener(TrainingListener.onEveryStep(steps::add))
        .listener(TrainingListener.onEveryValidation(validations::add)).threads(1).run(dir.resolve("run"));
    assertEquals(4, result.steps());
    assertEquals(4, steps.size());
    for (StepEvent step : steps) {
      assertTrue(Double.isFinite(step.loss()) && step.loss() > 0, "loss " + step.loss());
    }
    assertEquals(2, validations.size());
    for (ValidationEvent v : validations) {
      assertTrue(v.scores().iou() >= 0 && v.scores().iou() <= 1, v.scores().toString());
      assertTrue(v.scores().pixels() > 0, v.scores().toString());
    }
  }

  @Test
  void aModelWhoseClassesTheLabelsDoNotGiveIsRefused() {
    crops(dir, 1);
    Recipe two = tiny().toBuilder().model(UNet.builder().depth(2).baseFilters(4).classes(2).build()).build();
    DataException e = assertThrows(DataException.class, () -> Dataset.open(two, dir));
    assertEquals("model.classes: the labels (data.labelFormat three-class) give 3 classes (background, interior,"
        + " boundary) but the model has 2; use classes 3, or another label format", e.getMessage());
  }
}
