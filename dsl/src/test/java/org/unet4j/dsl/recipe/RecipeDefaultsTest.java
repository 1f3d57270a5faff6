package org.unet4j.dsl.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.unet4j.dsl.recipe.TestRecipes.MINIMAL;
import static org.unet4j.dsl.recipe.TestRecipes.edit;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.unet4j.dsl.model.Activation;
import org.unet4j.dsl.model.ExpandingStageSpec;
import org.unet4j.dsl.model.ModelSpec;
import org.unet4j.dsl.model.Normalization;
import org.unet4j.dsl.model.OutputActivation;
import org.unet4j.dsl.model.Padding;
import org.unet4j.dsl.model.PoolingKind;
import org.unet4j.dsl.model.SkipMode;
import org.unet4j.dsl.model.StageSpec;

/** Omitted fields take their documented defaults; the expected values are written out by hand. */
class RecipeDefaultsTest {

  @Test
  void theMinimalRecipeReadsWithTheModelDefaults() {
    ModelSpec model = Recipes.fromJson(MINIMAL).model();
    assertEquals(1, model.inputChannels());
    assertEquals(2, model.classes());
    assertEquals(PoolingKind.MAX, model.pooling().kind());
    assertEquals(2, model.pooling().size());
    for (StageSpec s : List.of(model.contracting().get(0), model.bottleneck())) {
      assertEquals(2, s.convs());
      assertEquals(3, s.kernel());
      assertEquals(Padding.VALID, s.padding());
      assertEquals(Activation.RELU, s.activation());
      assertEquals(Normalization.NONE, s.normalization());
      assertEquals(0.0, s.dropout());
    }
    assertEquals(8, model.contracting().get(0).filters());
    assertEquals(16, model.bottleneck().filters());
    ExpandingStageSpec up = model.expanding().get(0);
    assertEquals(new ExpandingStageSpec(8, 2, 3, Padding.VALID, Activation.RELU, Normalization.NONE, 0,
        SkipMode.CENTER_CROP), up);
    assertEquals(1, model.head().kernel());
    assertEquals(OutputActivation.SOFTMAX, model.head().activation());
  }

  @Test
  void theMinimalRecipeReadsWithTheLossTrainingDataAndInferenceDefaults() {
    Recipe r = Recipes.fromJson(MINIMAL);
    assertEquals("x", r.name());
    assertEquals("", r.description());
    WeightedCrossEntropyLoss loss = (WeightedCrossEntropyLoss) r.loss();
    assertEquals(10.0, loss.w0());
    assertEquals(5.0, loss.sigma());
    assertEquals(ClassBalance.INVERSE_FREQUENCY, loss.classBalance());
    assertEquals(List.of(), loss.classWeights());
    assertEquals(List.of(), r.augmentation().transforms());
    assertEquals(Interpolation.BICUBIC, r.augmentation().interpolation());

    TrainingSpec t = r.training();
    assertEquals(new SgdOptimizer(0.99), t.optimizer());
    assertEquals(0.01, t.learningRate());
    assertEquals(new ConstantSchedule(), t.schedule());
    assertEquals(0, t.warmupSteps());
    assertEquals(1000, t.steps());
    assertEquals(1, t.batchSize());
    assertEquals(44, t.tile());
    assertEquals(42L, t.seed());
    assertEquals(500, t.checkpointEvery());
    assertEquals(0, t.validateEvery());

    DataSpec d = r.data();
    assertEquals("", d.images());
    assertEquals("", d.labels());
    assertEquals(LabelFormat.INSTANCE, d.labelFormat());
    assertEquals(IntensityScaling.PERCENTILE, d.normalization().scaling());
    assertEquals(1.0, d.normalization().low());
    assertEquals(99.8, d.normalization().high());
    assertEquals(0.2, d.validationFraction());

    assertEquals(new InferenceSpec(44, 1, TestTimeAugmentation.NONE, 0.5, 0, false, InstanceMethod.COMPONENTS, 0.9),
        r.inference());
  }

  @Test
  void theMinimalRecipeEqualsTheSameRecipeBuiltInCode() {
    assertEquals(TestRecipes.tiny(), Recipes.fromJson(MINIMAL));
  }

  @Test
  void omittedTilesAre572WhichFitsTheTinyModel() {
    // for the tiny model every even size from 18 is valid: n - 4 must be even to pool, and
    // (n - 4) / 2 - 4 >= 1 leaves the bottleneck a pixel; the skip crop n - 4 -> n - 12 is even
    Recipe r = Recipes.fromJson(edit(MINIMAL).remove("", "training").remove("", "inference").text());
    assertEquals(572, r.training().tile());
    assertEquals(572, r.inference().tile());
  }

  static Stream<Arguments> partialVariants() {
    return Stream.of(
        Arguments.of(Named.of("adam", "/training|optimizer|{\"type\":\"adam\"}"), new AdamOptimizer(0.9, 0.999, 1e-7)),
        Arguments.of(Named.of("sgd", "/training|optimizer|{\"type\":\"sgd\"}"), new SgdOptimizer(0.99)),
        Arguments.of(Named.of("step", "/training|schedule|{\"type\":\"step\",\"every\":5}"), new StepSchedule(5, 0.1)),
        Arguments.of(Named.of("cosine", "/training|schedule|{\"type\":\"cosine\"}"), new CosineSchedule(0)),
        Arguments.of(Named.of("dice", "|loss|{\"type\":\"dice\"}"), new DiceLoss(1)),
        Arguments.of(Named.of("focal", "|loss|{\"type\":\"focal\"}"), new FocalLoss(2)),
        Arguments.of(Named.of("cross-entropy", "|loss|{\"type\":\"cross-entropy\"}"), new CrossEntropyLoss()),
        Arguments.of(Named.of("combined", "|loss|{\"type\":\"combined\",\"terms\":[{\"loss\":{\"type\":\"dice\"}}]}"),
            new CombinedLoss(List.of(new LossTerm(1, new DiceLoss(1))))),
        Arguments.of(Named.of("elastic", "|augmentation|{\"transforms\":[{\"type\":\"elastic\"}]}"),
            new ElasticTransform(1, 3, 10)),
        Arguments.of(Named.of("rotation", "|augmentation|{\"transforms\":[{\"type\":\"rotation\"}]}"),
            new RotationTransform(1, 180)),
        Arguments.of(Named.of("shift", "|augmentation|{\"transforms\":[{\"type\":\"shift\"}]}"),
            new ShiftTransform(1, 16)),
        Arguments.of(Named.of("flip", "|augmentation|{\"transforms\":[{\"type\":\"flip\"}]}"),
            new FlipTransform(1, FlipTransform.Symmetry.DIHEDRAL)),
        Arguments.of(Named.of("scale", "|augmentation|{\"transforms\":[{\"type\":\"scale\"}]}"),
            new ScaleTransform(1, 0.8, 1.25)),
        Arguments.of(Named.of("gray-value", "|augmentation|{\"transforms\":[{\"type\":\"gray-value\"}]}"),
            new GrayValueTransform(1, 0.1, 0.2, 0.2, 0.02)));
  }

  /** A variant given only by its {@code type} (and required fields) takes the defaults of the rest. */
  @ParameterizedTest
  @MethodSource("partialVariants")
  void aVariantGivenByTypeAloneTakesItsDefaults(String pointerFieldValue, Object expected) {
    String[] parts = pointerFieldValue.split("\\|", 3);
    Recipe r = Recipes.fromJson(edit(MINIMAL).set(parts[0], parts[1], parts[2]).text());
    Object actual = switch (parts[1]) {
      case "optimizer" -> r.training().optimizer();
      case "schedule" -> r.training().schedule();
      case "loss" -> r.loss();
      default -> r.augmentation().transforms().get(0);
    };
    assertEquals(expected, actual);
  }
}
