package org.unet4j.dsl.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.unet4j.dsl.SpecException;
import org.unet4j.dsl.model.ModelSpec;
import org.unet4j.dsl.model.UNet;

/** The builders of the recipe specs: their defaults, their copies and their errors. */
class SpecBuildersTest {
  private static final ModelSpec SMALL = UNet.builder().depth(2).baseFilters(8).build();

  /** Each builder's defaults, written out by hand from the recipe reference's default column. */
  static Stream<Arguments> defaults() {
    return Stream.of(
        Arguments.of(Named.of("training", (Supplier<Object>) () -> TrainingSpec.builder().build()),
            new TrainingSpec(new SgdOptimizer(0.99), 0.01, new ConstantSchedule(), 0, 1000, 1, 572, 42, 500, 0)),
        Arguments.of(Named.of("inference", (Supplier<Object>) () -> InferenceSpec.builder().build()),
            new InferenceSpec(572, 1, TestTimeAugmentation.NONE, 0.5, 0, false, InstanceMethod.COMPONENTS, 0.9)),
        Arguments.of(Named.of("data", (Supplier<Object>) () -> DataSpec.builder().build()),
            new DataSpec("", "", LabelFormat.INSTANCE, new NormalizationSpec(IntensityScaling.PERCENTILE, 1, 99.8),
                0.2)),
        Arguments.of(Named.of("augmentation", (Supplier<Object>) () -> AugmentationSpec.builder().build()),
            new AugmentationSpec(List.of(), Interpolation.BICUBIC)),
        Arguments.of(Named.of("weighted cross-entropy",
                (Supplier<Object>) () -> WeightedCrossEntropyLoss.builder().build()),
            new WeightedCrossEntropyLoss(10, 5, ClassBalance.INVERSE_FREQUENCY, List.of())),
        Arguments.of(Named.of("elastic", (Supplier<Object>) () -> ElasticTransform.builder().build()),
            new ElasticTransform(1, 3, 10)),
        Arguments.of(Named.of("flip", (Supplier<Object>) () -> FlipTransform.builder().build()),
            new FlipTransform(1, FlipTransform.Symmetry.DIHEDRAL)),
        Arguments.of(Named.of("rotation", (Supplier<Object>) () -> RotationTransform.builder().build()),
            new RotationTransform(1, 180)),
        Arguments.of(Named.of("shift", (Supplier<Object>) () -> ShiftTransform.builder().build()),
            new ShiftTransform(1, 16)),
        Arguments.of(Named.of("scale", (Supplier<Object>) () -> ScaleTransform.builder().build()),
            new ScaleTransform(1, 0.8, 1.25)),
        Arguments.of(Named.of("gray value", (Supplier<Object>) () -> GrayValueTransform.builder().build()),
            new GrayValueTransform(1, 0.1, 0.2, 0.2, 0.02)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("defaults")
  void buildersStartFromTheRecipeFormatsDefaults(Supplier<Object> built, Object byHand) {
    assertEquals(byHand, built.get());
  }

  @Test
  void aRecipeBuilderMeansWhatARecipeFileWithOnlyANameAndAModelMeans() {
    Recipe built = Recipe.builder("defaults").model(UNet.paper()).build();
    ObjectNode tree = Recipes.toTree(built);
    tree.retain("format", "formatVersion", "name", "model");
    assertEquals(Recipes.fromTree(tree), built);
  }

  @Test
  void toBuilderCopiesEveryFieldAndChangesOnlyWhatIsSet() {
    Recipe demo = Recipes.load("nuclei-demo");
    assertEquals(demo, demo.toBuilder().build());
    Recipe longer = demo.toBuilder().training(t -> t.steps(60)).build();
    assertEquals(60, longer.training().steps());
    assertEquals(demo.training().toBuilder().steps(60).build(), longer.training());
    assertEquals(demo.toBuilder().training(demo.training()).build(), demo);
    assertNotEquals(demo, longer);
    assertEquals(demo.inference(), demo.inference().toBuilder().build());
    assertEquals(demo.data(), demo.data().toBuilder().build());
    assertEquals(demo.augmentation(), demo.augmentation().toBuilder().build());
    assertEquals(demo.loss(), WeightedCrossEntropyLoss.findIn(demo.loss()).orElseThrow().toBuilder().build());
  }

  /** The dsl tests' copy of nuclei-demo (the bundled one has since changed), declared with builders. */
  @Test
  void javaDeclaresTheNucleiDemoWithoutAPositionalArgumentList() {
    Recipe demo = Recipes.load("nuclei-demo");
    Recipe declared = Recipe.builder("nuclei-demo")
        .description(demo.description())
        .model(m -> m.depth(3).baseFilters(16))
        .augmentation(a -> a
            .flip(f -> f.symmetry(FlipTransform.Symmetry.DIHEDRAL))
            .elastic(e -> e.probability(0.5))
            .grayValue(g -> g.probability(0.5)))
        .training(t -> t.optimizer(AdamOptimizer.defaults()).learningRate(1e-3).schedule(new CosineSchedule(0.05))
            .warmupSteps(20).steps(1500).batchSize(4).tile(252).checkpointEvery(250).validateEvery(250))
        .data(d -> d.images("data/bbbc039/train/images").labels("data/bbbc039/train/masks")
            .labelFormat(LabelFormat.COLOR_COMPONENTS))
        .inference(i -> i.tile(252).batchSize(4).tta(TestTimeAugmentation.MIRRORS).minObjectSize(15).fillHoles(true))
        .build();
    assertEquals(Recipes.toJson(demo), Recipes.toJson(declared));
    assertEquals(demo, declared);
  }

  @Test
  void aCombinedLossIsDeclaredTermByTerm() {
    CombinedLoss loss = CombinedLoss.builder().term(1, WeightedCrossEntropyLoss.paper()).term(0.5, new DiceLoss(1))
        .build();
    assertEquals(new CombinedLoss(List.of(new LossTerm(1, WeightedCrossEntropyLoss.paper()),
        new LossTerm(0.5, new DiceLoss(1)))), loss);
    assertEquals(List.of(new LossTerm(1, WeightedCrossEntropyLoss.paper())),
        loss.toBuilder().build().terms().subList(0, 1));
  }

  /** The builders name the same recipe path as a recipe file with the same mistake. */
  static Stream<Arguments> mistakes() {
    return Stream.of(
        mistake("training steps -5", () -> base().training(t -> t.steps(-5)).build(), "training.steps=-5",
            "training.steps: expected 1..1000000000, got -5"),
        mistake("warm-up as long as the run", () -> base().training(t -> t.steps(10).warmupSteps(10)).build(),
            null, "training.warmupSteps: expected fewer than steps (10), got 10"),
        mistake("inference threshold 2", () -> base().inference(i -> i.threshold(2)).build(),
            "inference.threshold=2", "inference.threshold: expected 0..1, got 2"),
        mistake("validation fraction 1", () -> base().data(d -> d.validationFraction(1)).build(),
            "data.validationFraction=1", "data.validationFraction: expected 0 <= x < 1, got 1"),
        mistake("an elastic grid of 1", () -> base().augmentation(a -> a.flip(f -> {}).elastic(e -> e.grid(1)))
                .build(), null,
            "augmentation.transforms[1].grid: expected 2..64, got 1"),
        mistake("an odd training tile", () -> base().training(t -> t.tile(197)).build(), "training.tile=197",
            null),
        mistake("a model of depth 9", () -> Recipe.builder("x").model(m -> m.depth(9)).build(), null,
            "model.depth: expected 1..8, got 9"));
  }

  private static Arguments mistake(String name, Runnable build, String override, String message) {
    return Arguments.of(name, build, override, message);
  }

  private static Recipe.Builder base() {
    return Recipe.builder("x").model(SMALL).training(t -> t.tile(196)).inference(i -> i.tile(196));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mistakes")
  void aMistakeNamesItsRecipePath(String name, Runnable build, String override, String message) {
    SpecException e = assertThrows(SpecException.class, build::run);
    if (message != null) {
      assertEquals(message, e.getMessage());
    }
    if (override != null) {
      SpecException fromJson = assertThrows(SpecException.class,
          () -> Recipes.withOverrides(base().build(), List.of(override)));
      assertEquals(fromJson.getMessage(), e.getMessage());
    }
  }

  @Test
  void partsOutsideARecipeNameTheirOwnFields() {
    assertEquals("steps: expected 1..1000000000, got -5",
        assertThrows(SpecException.class, () -> TrainingSpec.builder().steps(-5).build()).getMessage());
    assertEquals("grid: expected 2..64, got 1",
        assertThrows(SpecException.class, () -> ElasticTransform.builder().grid(1).build()).getMessage());
    assertEquals("transforms[0].grid: expected 2..64, got 1", assertThrows(SpecException.class,
        () -> AugmentationSpec.builder().elastic(e -> e.grid(1))).getMessage());
    assertEquals("minFactor: expected at most maxFactor (1.5), got 2.0", assertThrows(SpecException.class,
        () -> ScaleTransform.builder().minFactor(2).maxFactor(1.5).build()).getMessage());
    // The builder checks the pair only at build(), so the order of the calls does not matter.
    assertEquals(new ScaleTransform(1, 2, 3), ScaleTransform.builder().minFactor(2).maxFactor(3).build());
    assertEquals("terms[1].weight: expected 0..1000, got -1", assertThrows(SpecException.class,
        () -> CombinedLoss.builder().term(1, new DiceLoss(1)).term(-1, new FocalLoss(2))).getMessage());
    assertEquals("terms: expected at least one term, got none",
        assertThrows(SpecException.class, () -> CombinedLoss.builder().build()).getMessage());
    assertEquals("classWeights: classBalance is given but no weights are listed; list one per class",
        assertThrows(SpecException.class,
            () -> WeightedCrossEntropyLoss.builder().classBalance(ClassBalance.GIVEN).build()).getMessage());
  }

  @Test
  void aRecipeWithoutAModelSaysHowToDeclareOne() {
    SpecException e = assertThrows(SpecException.class, () -> Recipe.builder("x").build());
    assertEquals("model", e.path());
    assertEquals("model: no model declared; set one with model(UNet.builder()...build())"
        + " or model(m -> m.depth(4).baseFilters(64))", e.getMessage());
  }
}
