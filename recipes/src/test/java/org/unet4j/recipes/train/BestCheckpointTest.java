package org.unet4j.recipes.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unet4j.augment.Augmenter;
import org.unet4j.dsl.SpecException;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.recipes.data.LabelledImage;
import org.unet4j.recipes.model.ModelSource;

/**
 * training.selectBy keeps the best checkpoint; training.patience and minDelta stop early; a model
 * of the run reads the best.
 */
class BestCheckpointTest {
  @TempDir Path dir;

  private static List<LabelledImage> images(int count, long from) {
    List<LabelledImage> list = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      list.add(TrainingTest.discs(from + i));
    }
    return list;
  }

  private static TrainingResult train(Recipe recipe, Path run, List<ValidationEvent> seen) {
    return Training.of(recipe).data(TrainingData.of(images(2, 0), images(1, 10)))
        .listener(TrainingListener.onEveryValidation(seen::add)).threads(1).run(run);
  }

  private List<String> bestFolders(Path run) throws IOException {
    try (Stream<Path> files = Files.list(run.resolve("checkpoints"))) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("best-")).sorted().toList();
    }
  }

  /** Trains with the validation IoU after step s (0-based, every 2 steps: 1, 3, 5, ...) set to iou[s / 2]. */
  private TrainingResult scripted(Recipe recipe, boolean resume, double... iou) {
    TrainingData.Prepared tiles = TrainingData.of(images(2, 0), images(1, 10))
        .prepare(recipe, Augmenter.of(recipe.augmentation()), 1, null);
    return Trainer.of(recipe, dir, tiles.training()).validation(tiles.validation()).resume(resume)
        .rescore((step, s) -> new ValidationScores(s.loss(), iou[(int) (step / 2)], s.dice(), s.pixelError(),
            s.randError(), s.seg(), s.pixels()))
        .train();
  }

  @Test
  void theBestValidationIsKeptBesideTheNewestUntilPatienceRunsOutAndAResumedRunBuildsOnIt() throws IOException {
    Recipe recipe = TinyRecipes.with(TinyRecipes.tinyAdam(16, 4), "training.validateEvery=2",
        "training.selectBy=\"iou\"", "training.patience=3", "training.minDelta=0.05");
    // IoU 0.6 after step 4 is the best; 0.64 after step 8 is better by less than minDelta, so no
    // improvement, and after step 10 three validations in a row have not improved: the run ends.
    TrainingResult first = scripted(recipe, false, 0.2, 0.6, 0.5, 0.64, 0.1, 0.9, 0.9, 0.9);
    assertEquals(10, first.steps());
    assertEquals("early stopping: validation iou has not improved for 3 validations (best 0.60000 after step 4)",
        first.stoppedEarly());
    assertEquals(4, first.best().checkpoint().step());
    assertEquals(0.6, first.best().score());
    assertEquals(List.of("best-000000004"), bestFolders(dir));
    assertTrue(Files.isDirectory(dir.resolve("checkpoints/ckpt-000000010")));

    ModelSource source = ModelSource.of(dir);
    assertEquals(4, source.step());
    assertEquals("the best checkpoint (step 4, validation iou 0.6000) of " + dir.toAbsolutePath()
        + "; the newest is step 10", source.choice());
    // An explicit checkpoint folder still wins.
    assertEquals(10, ModelSource.of(dir.resolve("checkpoints/ckpt-000000010")).step());

    // Resumed without patience: 0.55 after step 12 does not beat the kept 0.6, 0.7 after step 14 does
    // (by more than minDelta); the best folder of step 4 then goes, and the keep-newest rule (3)
    // leaves 10, 12, 16 beside the new best.
    Recipe resumed = TinyRecipes.with(recipe, "training.patience=0");
    TrainingResult second = scripted(resumed, true, 0, 0, 0, 0, 0, 0.55, 0.7, 0.65);
    assertEquals(16, second.steps());
    assertEquals(14, second.best().checkpoint().step());
    assertEquals(List.of("best-000000014"), bestFolders(dir));
    assertTrue(Files.notExists(dir.resolve("checkpoints/ckpt-000000008")));
    assertTrue(Files.isDirectory(dir.resolve("checkpoints/ckpt-000000016")));
  }

  @Test
  void theNewestIsTheModelWithoutSelection() {
    Recipe recipe = TinyRecipes.with(TinyRecipes.tinyAdam(2, 2), "training.validateEvery=1");
    TrainingResult result = train(recipe, dir, new ArrayList<>());
    assertNull(result.best());
    ModelSource source = ModelSource.of(dir);
    assertTrue(source.best().isEmpty());
    assertEquals("the newest checkpoint (step 2) of " + dir.toAbsolutePath(), source.choice());
  }

  @Test
  void aSelectionWithoutValidationImagesIsRefused() {
    Recipe recipe = TinyRecipes.with(TinyRecipes.tinyAdam(2, 2), "training.validateEvery=1",
        "training.selectBy=\"seg\"");
    SpecException e = assertThrows(SpecException.class,
        () -> Training.of(recipe).data(TrainingData.of(images(1, 0))).threads(1).run(dir));
    assertEquals("training.selectBy: the best checkpoint by seg needs validation images, and this run has none"
        + " (data.validationFraction is 0 or leaves no image); hold some out, or select the newest checkpoint",
        e.getMessage());
  }
}
