package org.unet4j.dsl.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.unet4j.dsl.SpecException;

/** training.selectBy, patience and minDelta: defaults that keep a version 1 recipe's meaning, and their checks. */
class CheckpointSelectionTest {

  @Test
  void theDefaultsSelectTheNewestAndNeverStop() {
    TrainingSpec defaults = TrainingSpec.builder().build();
    assertEquals(CheckpointSelection.NEWEST, defaults.selectBy());
    assertEquals(0, defaults.patience());
    assertEquals(0.0, defaults.minDelta());
    assertEquals(defaults, new TrainingSpec(defaults.optimizer(), defaults.learningRate(), defaults.schedule(),
        defaults.warmupSteps(), defaults.steps(), defaults.batchSize(), defaults.tile(), defaults.seed(),
        defaults.checkpointEvery(), defaults.validateEvery()));
  }

  @Test
  void aBestCheckpointNeedsValidations() {
    SpecException e = assertThrows(SpecException.class,
        () -> TrainingSpec.builder().selectBy(CheckpointSelection.RAND_ERROR).build());
    assertEquals("selectBy: the best checkpoint by rand-error needs validation scores: set validateEvery above 0"
        + " (and data.validationFraction above 0), or selectBy \"newest\"", e.getMessage());
  }

  @Test
  void patienceNeedsAScoreToWatchAndTheRecipeSaysWhere() {
    Recipe recipe = Recipes.fromJson(TestRecipes.MINIMAL);
    SpecException e = assertThrows(SpecException.class,
        () -> Recipes.withOverrides(recipe, List.of("training.validateEvery=10", "training.patience=3")));
    assertEquals("training.patience: early stopping after 3 validations without improvement needs a score to"
        + " watch: set selectBy to loss, iou, dice, pixel-error, rand-error or seg, or patience 0", e.getMessage());
    SpecException negative = assertThrows(SpecException.class,
        () -> TrainingSpec.builder().minDelta(-0.1).build());
    assertEquals("minDelta", negative.path());
  }
}
