package org.unet4j.recipes.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unet4j.augment.Augmenter;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.losses.Losses;
import org.unet4j.recipes.data.Batch;
import org.unet4j.recipes.data.DataException;
import org.unet4j.recipes.data.LabelledImage;
import org.unet4j.recipes.infer.Model;
import org.unet4j.recipes.infer.Segmentation;

/** The training API: data from memory or a generator, a user's loss, listeners, early stopping. */
class TrainingTest {
  @TempDir Path dir;

  /** A 64x64 image of bright discs (radius 6) on a dark noisy background, and their instances. */
  static LabelledImage discs(long seed) {
    int size = 64;
    float[] pixels = new float[size * size];
    int[] cells = new int[size * size];
    java.util.Random random = new java.util.Random(seed);
    int[][] centres = {{14, 16}, {44, 20}, {22, 46}, {50, 50}};
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        pixels[y * size + x] = 20 + random.nextInt(10);
        for (int c = 0; c < centres.length; c++) {
          int dx = x - centres[c][0] - (int) (seed % 5);
          int dy = y - centres[c][1];
          if (dx * dx + dy * dy <= 36) {
            pixels[y * size + x] = 200 + random.nextInt(10);
            cells[y * size + x] = c + 1;
          }
        }
      }
    }
    return LabelledImage.of(size, size, pixels, cells);
  }

  private static List<LabelledImage> images(int count, long from) {
    List<LabelledImage> list = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      list.add(discs(from + i));
    }
    return list;
  }

  @Test
  void imagesInMemoryTrainARunThatAModelLoadsAndPredictsWith() throws Exception {
    Recipe recipe = TinyRecipes.tinyAdam(40, 20);
    List<StepEvent> steps = new ArrayList<>();
    TrainingResult result = Training.of(recipe).data(TrainingData.of(images(3, 0)))
        .listener(TrainingListener.onEveryStep(steps::add)).threads(1).run(dir);
    assertEquals(40, result.steps());
    assertNull(result.stoppedEarly());
    assertEquals(40, steps.size());
    for (int i = 0; i < steps.size(); i++) {
      assertEquals(i, steps.get(i).step());
      assertEquals(40, steps.get(i).steps());
      assertEquals(1e-2, steps.get(i).learningRate(), 1e-12);
    }
    double first = steps.subList(0, 5).stream().mapToDouble(StepEvent::loss).average().orElseThrow();
    double last = steps.subList(35, 40).stream().mapToDouble(StepEvent::loss).average().orElseThrow();
    assertTrue(last < first, "loss " + first + " -> " + last);
    assertTrue(Files.isDirectory(dir.resolve("checkpoints/ckpt-000000040")));

    LabelledImage test = discs(3);
    try (Model model = Model.load(dir)) {
      assertEquals(recipe, model.recipe());
      Segmentation s = model.predict(test.image());
      assertEquals(64, s.probabilities().width());
      assertEquals(64, s.probabilities().height());
      assertEquals(64, s.instances().width());
      for (float p : s.probabilities().foreground()) {
        assertTrue(p >= 0 && p <= 1, "probability " + p);
      }
      Path out = dir.resolve("predicted");
      Path file = dir.resolve("disc.tif");
      org.unet4j.recipes.data.ImageIo.writeTiff(file, test.image());
      assertEquals("disc", model.predict(file, out).name());
      assertTrue(Files.isRegularFile(out.resolve("disc_prob.tif")));
      assertTrue(Files.isRegularFile(out.resolve("disc_labels.tif")));
    }
  }

  @Test
  void aLossWrittenAsALambdaIsTheOneTrainingMinimises() {
    Recipe recipe = TinyRecipes.tinyAdam(2, 2);
    List<StepEvent> plain = new ArrayList<>();
    Training.of(recipe).data(TrainingData.of(images(2, 0))).listener(TrainingListener.onEveryStep(plain::add))
        .threads(1).run(dir.resolve("plain"));
    List<StepEvent> doubled = new ArrayList<>();
    Training.of(recipe).data(TrainingData.of(images(2, 0)))
        .loss((tf, inputs) -> tf.math.mul(Losses.of(recipe.loss()).build(tf, inputs), tf.constant(2f)))
        .listener(TrainingListener.onEveryStep(doubled::add)).threads(1).run(dir.resolve("doubled"));
    // The first step's loss is computed before any update, from the same initial weights and batch:
    // twice the recipe's loss, exactly (a product by 2 is exact in floating point).
    assertEquals(2 * plain.get(0).loss(), doubled.get(0).loss(), 0.0);
    assertTrue(plain.get(0).loss() > 0);
  }

  @Test
  void aUserAugmentationChangesEveryTrainingTile() {
    Recipe recipe = TinyRecipes.tinyAdam(3, 3);
    List<StepEvent> plain = new ArrayList<>();
    Training.of(recipe).data(TrainingData.of(images(2, 0))).listener(TrainingListener.onEveryStep(plain::add))
        .threads(1).run(dir.resolve("plain"));
    java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
    List<StepEvent> blank = new ArrayList<>();
    Training.of(recipe).data(TrainingData.of(images(2, 0)))
        .augmentation((tile, random) -> {
          calls.incrementAndGet();
          java.util.Arrays.fill(tile.image(), 0f);
        })
        .listener(TrainingListener.onEveryStep(blank::add)).threads(1).run(dir.resolve("blank"));
    // 3 steps of batch 2 (prefetching may draw a few tiles beyond the last step).
    assertTrue(calls.get() >= 6, calls + " tiles augmented");
    // Blank tiles give the net a constant input: another loss from the same weights and labels.
    assertTrue(plain.get(0).loss() != blank.get(0).loss(), plain.get(0) + " vs " + blank.get(0));
  }

  @Test
  void earlyStoppingEndsTheRunWithACheckpointOfItsLastStep() {
    Recipe recipe = TinyRecipes.with(TinyRecipes.tinyAdam(40, 40), "training.validateEvery=2");
    List<ValidationEvent> validations = new ArrayList<>();
    // An improvement must exceed 1e9: only the first validation counts as one, so two validations
    // later (steps 4 and 6) the patience of 2 is spent.
    TrainingResult result = Training.of(recipe).data(TrainingData.of(images(2, 0), images(1, 10)))
        .listener(TrainingListener.onEveryValidation(validations::add))
        .listener(EarlyStopping.on(ValidationMetric.LOSS, 2, 1e9)).threads(1).run(dir);
    assertEquals(6, result.steps());
    assertEquals(3, validations.size());
    assertEquals(List.of(1L, 3L, 5L), validations.stream().map(ValidationEvent::step).toList());
    assertNotNull(result.stoppedEarly());
    assertTrue(result.stoppedEarly().contains("validation loss has not improved for 2 validations"),
        result.stoppedEarly());
    assertEquals(6, result.checkpoint().step());
    assertTrue(Files.isDirectory(dir.resolve("checkpoints/ckpt-000000006")));
    for (ValidationEvent v : validations) {
      ValidationScores s = v.scores();
      assertTrue(s.pixels() > 0);
      assertTrue(s.iou() >= 0 && s.iou() <= 1 && s.dice() >= s.iou() - 1e-12, s.toString());
    }
  }

  @Test
  void generatedImagesHaveNoTrainingSetToCountClassesOver() {
    Recipe recipe = TinyRecipes.with(TinyRecipes.tinyAdam(2, 2), "loss.classBalance=\"dataset-frequency\"");
    DataException e = assertThrows(DataException.class, () -> TrainingData.generated(TrainingTest::discs)
        .prepare(recipe, Augmenter.of(recipe.augmentation()), 1, null));
    assertEquals("loss.classBalance dataset-frequency counts the classes of a fixed training set, but generated"
        + " images are new at every step; use inverse-frequency (per image), none or given", e.getMessage());
  }

  @Test
  void aGeneratorGivesOneNewImagePerBatchSlot() {
    Recipe recipe = TinyRecipes.tinyAdam(5, 5);
    Set<Long> asked = new ConcurrentSkipListSet<>();
    TrainingResult result = Training.of(recipe).data(TrainingData.generated(n -> {
      asked.add(n);
      return discs(n);
    })).threads(1).run(dir);
    assertEquals(5, result.steps());
    // Batch 2, 5 steps: images 0..9, each asked for (prefetching may ask a few beyond the last step).
    for (long n = 0; n < 10; n++) {
      assertTrue(asked.contains(n), "image " + n + " of " + asked);
    }
  }

  @Test
  void scoresOfValidationPixelsAsComputedByHand() {
    ValidationScores.Accumulator a = new ValidationScores.Accumulator(2);
    // A 3x3 tile: pixels 4..8 have weight 0 and are not scored: TP at 0, FN at 1, FP at 2, TN at 3.
    a.add(0.5, 3, new int[] {1, 1, 0, 0, 1, 0, 0, 0, 0}, new float[] {1, 1, 1, 1, 0, 0, 0, 0, 0},
        new int[] {1, 0, 1, 0, 1, 0, 0, 0, 0});
    a.add(1.5, 1, new int[] {0}, new float[] {1}, new int[] {0});
    ValidationScores s = a.scores();
    assertEquals(1.0, s.loss(), 1e-12);
    assertEquals(1.0 / 3, s.iou(), 1e-12);
    assertEquals(0.5, s.dice(), 1e-12);
    assertEquals(2.0 / 5, s.pixelError(), 1e-12);
    assertEquals(5, s.pixels());
    ValidationScores empty = new ValidationScores.Accumulator(2).scores();
    assertEquals(1.0, empty.iou());
    assertTrue(Double.isNaN(empty.loss()));
  }

  @Test
  void badArgumentsSayWhatWouldBeValid() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> TrainingData.of(List.of())).getMessage()
        .contains("at least one labelled image"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> EarlyStopping.on(ValidationMetric.IOU, 0))
        .getMessage().contains("patience is a number of validations >= 1, got 0"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> LabelledImage.of(4, 3, new float[11], new int[12])).getMessage()
        .contains("a grey 4x3 image needs 12 values, got 11"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Training.of(TinyRecipes.tinyAdam(2, 2)).threads(0))
        .getMessage().contains("threads: expected >= 1, got 0"));
  }
}
