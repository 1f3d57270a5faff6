package org.unet4j.dsl.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.unet4j.dsl.recipe.TestRecipes.tiny;
import static org.unet4j.dsl.recipe.TestRecipes.training;
import static org.unet4j.dsl.recipe.TestRecipes.withAugmentation;
import static org.unet4j.dsl.recipe.TestRecipes.withData;
import static org.unet4j.dsl.recipe.TestRecipes.withDescription;
import static org.unet4j.dsl.recipe.TestRecipes.withInference;
import static org.unet4j.dsl.recipe.TestRecipes.withLoss;
import static org.unet4j.dsl.recipe.TestRecipes.withModel;
import static org.unet4j.dsl.recipe.TestRecipes.withTraining;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.unet4j.dsl.model.Activation;
import org.unet4j.dsl.model.ExpandingStageSpec;
import org.unet4j.dsl.model.HeadSpec;
import org.unet4j.dsl.model.ModelSpec;
import org.unet4j.dsl.model.Normalization;
import org.unet4j.dsl.model.OutputActivation;
import org.unet4j.dsl.model.Padding;
import org.unet4j.dsl.model.Pooling;
import org.unet4j.dsl.model.PoolingKind;
import org.unet4j.dsl.model.SkipMode;
import org.unet4j.dsl.model.Upsampling;
import org.unet4j.dsl.model.StageSpec;
import org.unet4j.dsl.model.UNet;

/**
 * {@code fromJson(toJson(r)).equals(r)} and byte-identical text on the second write, for every
 * loss, transform, optimizer and schedule variant and every value of every enum in a recipe.
 */
class RecipeRoundTripTest {

  static Stream<Named<Recipe>> recipes() {
    List<Named<Recipe>> all = new ArrayList<>();
    all.add(Named.of("tiny, all defaults", tiny()));
    all.add(Named.of("the paper's ISBI recipe", paper()));

    // every loss, with values away from the defaults
    all.add(Named.of("loss weighted-cross-entropy, inverse frequency", withLoss(tiny(),
        new WeightedCrossEntropyLoss(7.5, 2.25, ClassBalance.INVERSE_FREQUENCY, List.of()))));
    all.add(Named.of("loss weighted-cross-entropy, given weights", withLoss(tiny(),
        new WeightedCrossEntropyLoss(10, 5, ClassBalance.GIVEN, List.of(0.5, 4.0, 0.0)))));
    all.add(Named.of("loss weighted-cross-entropy, dataset frequency", withLoss(tiny(),
        new WeightedCrossEntropyLoss(3, 8, ClassBalance.DATASET_FREQUENCY, List.of()))));
    all.add(Named.of("loss weighted-cross-entropy, no balance", withLoss(tiny(),
        new WeightedCrossEntropyLoss(0, 1000, ClassBalance.NONE, List.of()))));
    all.add(Named.of("loss cross-entropy", withLoss(tiny(), new CrossEntropyLoss())));
    all.add(Named.of("loss dice", withLoss(tiny(), new DiceLoss(0.5))));
    all.add(Named.of("loss focal", withLoss(tiny(), new FocalLoss(0))));
    all.add(Named.of("loss combined", withLoss(tiny(), new CombinedLoss(List.of(
        new LossTerm(1, WeightedCrossEntropyLoss.paper()), new LossTerm(0.5, new DiceLoss(1)))))));
    all.add(Named.of("loss combined, nested", withLoss(tiny(), new CombinedLoss(List.of(
        new LossTerm(2, new FocalLoss(3)),
        new LossTerm(0.25, new CombinedLoss(List.of(
            new LossTerm(1, new CrossEntropyLoss()),
            new LossTerm(3, new WeightedCrossEntropyLoss(1, 2, ClassBalance.GIVEN, List.of(1.0, 2.0)))))))))));

    // every transform, alone and all together
    for (TransformSpec t : List.of(
        new ElasticTransform(0.5, 5, 12.5),
        new RotationTransform(0.25, 90),
        new ShiftTransform(0.75, 8.5),
        new FlipTransform(1, FlipTransform.Symmetry.MIRRORS),
        new FlipTransform(0.5, FlipTransform.Symmetry.DIHEDRAL),
        new ScaleTransform(0.3, 0.5, 2),
        new GrayValueTransform(0.9, 0.05, 0.3, 0.1, 0))) {
      all.add(Named.of("transform " + t, withAugmentation(tiny(),
          new AugmentationSpec(List.of(t), Interpolation.BICUBIC))));
    }
    List<TransformSpec> everything = new ArrayList<>(AugmentationSpec.paper().transforms());
    everything.add(new ScaleTransform(1, 1, 1));
    all.add(Named.of("all transforms, bilinear", withAugmentation(tiny(),
        new AugmentationSpec(everything, Interpolation.BILINEAR))));

    // both optimizers and every schedule
    all.add(Named.of("optimizer sgd", withTraining(tiny(), training(new SgdOptimizer(0), new ConstantSchedule(), 44))));
    all.add(Named.of("optimizer adam", withTraining(tiny(),
        training(new AdamOptimizer(0.8, 0.99, 1e-8), new ConstantSchedule(), 44))));
    all.add(Named.of("schedule step", withTraining(tiny(), training(new SgdOptimizer(0.9), new StepSchedule(250, 0.5), 44))));
    all.add(Named.of("schedule cosine", withTraining(tiny(),
        training(AdamOptimizer.defaults(), new CosineSchedule(0.05), 44))));
    all.add(Named.of("training, every value changed", withTraining(tiny(), new TrainingSpec(
        new AdamOptimizer(0.5, 0.5, 0.5), 0.123, new CosineSchedule(1), 99, 100, 16, 46, 0, 9_007_199_254_740_991L,
        7, 3, CheckpointSelection.SEG, 5, 0.25, 0.75))));

    // every enum value
    for (Padding v : Padding.values()) {
      all.add(enumCase(v, r -> withModel(r, model(v, Activation.RELU, Normalization.NONE, PoolingKind.MAX,
          SkipMode.CENTER_CROP, OutputActivation.SOFTMAX))));
    }
    for (Activation v : Activation.values()) {
      all.add(enumCase(v, r -> withModel(r, model(Padding.VALID, v, Normalization.NONE, PoolingKind.MAX,
          SkipMode.CENTER_CROP, OutputActivation.SOFTMAX))));
    }
    for (Normalization v : Normalization.values()) {
      all.add(enumCase(v, r -> withModel(r, model(Padding.VALID, Activation.RELU, v, PoolingKind.MAX,
          SkipMode.CENTER_CROP, OutputActivation.SOFTMAX))));
    }
    for (PoolingKind v : PoolingKind.values()) {
      all.add(enumCase(v, r -> withModel(r, model(Padding.VALID, Activation.RELU, Normalization.NONE, v,
          SkipMode.CENTER_CROP, OutputActivation.SOFTMAX))));
    }
    for (SkipMode v : SkipMode.values()) {
      all.add(enumCase(v, r -> withModel(r, model(Padding.VALID, Activation.RELU, Normalization.NONE, PoolingKind.MAX,
          v, OutputActivation.SOFTMAX))));
    }
    for (Upsampling v : Upsampling.values()) {
      all.add(enumCase(v, r -> withModel(r, upsampled(model(Padding.VALID, Activation.RELU, Normalization.NONE,
          PoolingKind.MAX, SkipMode.CENTER_CROP, OutputActivation.SOFTMAX), v))));
    }
    for (OutputActivation v : OutputActivation.values()) {
      all.add(enumCase(v, r -> withModel(r, model(Padding.VALID, Activation.RELU, Normalization.NONE, PoolingKind.MAX,
          SkipMode.CENTER_CROP, v))));
    }
    for (CheckpointSelection v : CheckpointSelection.values()) {
      all.add(enumCase(v, r -> withTraining(r, r.training().toBuilder().validateEvery(10).selectBy(v).build())));
    }
    for (Interpolation v : Interpolation.values()) {
      all.add(enumCase(v, r -> withAugmentation(r, new AugmentationSpec(List.of(new ShiftTransform(1, 4)), v))));
    }
    for (LabelFormat v : LabelFormat.values()) {
      all.add(enumCase(v, r -> withData(r, DataSpec.builder().images("img/*.tif").labels("lab").labelFormat(v)
          .validationFraction(0).ignoreLabel(255)
          .classColors(v == LabelFormat.CLASS_COLORS ? List.of(List.of(0, 0, 0), List.of(255, 0, 0)) : List.of())
          .build())));
    }
    for (IntensityScaling v : IntensityScaling.values()) {
      all.add(enumCase(v, r -> withData(r, new DataSpec("", "", LabelFormat.BINARY,
          new NormalizationSpec(v, 0, 100), 0.5))));
    }
    for (TestTimeAugmentation v : TestTimeAugmentation.values()) {
      all.add(enumCase(v, r -> withInference(r, new InferenceSpec(46, 8, v, 0.25, 30, true))));
    }
    for (InstanceMethod v : InstanceMethod.values()) {
      all.add(enumCase(v, r -> withInference(r, new InferenceSpec(46, 8, TestTimeAugmentation.MIRRORS, 0.25, 30, true,
          v, 0.75))));
    }
    for (ProbabilityOf v : ProbabilityOf.values()) {
      all.add(enumCase(v, r -> withInference(r, new InferenceSpec(46, 8, TestTimeAugmentation.MIRRORS, 0.25, 30, true,
          InstanceMethod.COMPONENTS, 0.75, v))));
    }
    for (ThinningMethod v : ThinningMethod.values()) {
      all.add(enumCase(v, r -> withInference(r, InferenceSpec.builder().tile(46).thinBoundaries(v)
          .thinFloor(v == ThinningMethod.RIDGE ? 0.05 : 0).build())));
    }
    all.add(Named.of("explicit pairs: a stack with its labels, a glob with a glob", withData(tiny(),
        DataSpec.builder().pair("em/train-volume.tif", "em/train-labels.tif").pair("a/*.tif", "b/*.png").build())));
    // ClassBalance and FlipTransform.Symmetry are covered by the loss and transform cases above.

    // text that must survive escaping, and doubles that must survive printing
    all.add(Named.of("description with quotes, colons, unicode and a newline", withDescription(tiny(),
        "a \"quoted\" word : key: value\n\tmicro-\u00b5m \u7d30\u80de \\ end")));
    all.add(Named.of("doubles that print long", withTraining(tiny(), new TrainingSpec(new SgdOptimizer(0.1 + 0.2), 1e-9,
        new ConstantSchedule(), 0, 1_000_000_000, 1, 44, 0, 1, 0))));
    return all.stream();
  }

  private static Named<Recipe> enumCase(Enum<?> value, Function<Recipe, Recipe> edit) {
    return Named.of(value.getDeclaringClass().getSimpleName() + "." + value.name(), edit.apply(tiny()));
  }

  /** A one-level model (tile 44 is valid for both paddings) with the given enum values. */
  private static ModelSpec model(Padding padding, Activation activation, Normalization normalization,
      PoolingKind pooling, SkipMode skip, OutputActivation output) {
    // group normalization takes 4 groups, which divide every stage's channels
    int groups = normalization == Normalization.GROUP ? 4 : 0;
    double slope = activation == Activation.LEAKY_RELU ? 0.05 : Activation.DEFAULT_LEAKY_SLOPE;
    return new ModelSpec(3, 4, new Pooling(pooling, 2),
        List.of(new StageSpec(8, 2, 3, padding, activation, normalization, 0.25, 0, 0, 0, groups, slope, true)),
        new StageSpec(16, 1, 5, padding, activation, normalization, 0.5, 0, 0, 0, groups, slope, false),
        List.of(new ExpandingStageSpec(8, 2, 3, padding, activation, normalization, 0.125, skip, 0, 0, groups, slope,
            true)),
        new HeadSpec(1, output));
  }

  /** {@code m} whose expanding stage up-samples as {@code upsampling} says (tile 44 stays valid). */
  private static ModelSpec upsampled(ModelSpec m, Upsampling upsampling) {
    ExpandingStageSpec e = m.expanding().get(0);
    return new ModelSpec(m.inputChannels(), m.classes(), m.pooling(), m.contracting(), m.bottleneck(),
        List.of(new ExpandingStageSpec(e.filters(), e.convs(), e.kernel(), e.padding(), e.activation(),
            e.normalization(), e.dropout(), e.skip(), e.upConvFilters(), e.kernelZ(), e.groups(), e.leakySlope(),
            e.residual(), upsampling)), m.head());
  }

  private static Recipe paper() {
    return new Recipe("paper/isbi2012", "the paper's experiment", UNet.paper(), WeightedCrossEntropyLoss.paper(),
        AugmentationSpec.paper(), TrainingSpec.paper(), DataSpec.none(), InferenceSpec.paper());
  }

  @ParameterizedTest
  @MethodSource("recipes")
  void readingTheTextGivesTheSameRecipeAndTheSameText(Recipe recipe) {
    String text = Recipes.toJson(recipe);
    Recipe back = Recipes.fromJson(text);
    assertEquals(recipe, back);
    assertEquals(text, Recipes.toJson(back), "the second write is byte-identical");
  }

  @ParameterizedTest
  @MethodSource("recipes")
  void readingTheTreeGivesTheSameRecipe(Recipe recipe) {
    assertEquals(recipe, Recipes.fromTree(Recipes.toTree(recipe)));
  }

  @ParameterizedTest
  @MethodSource("recipes")
  void variantsAreWrittenByLogicalNameNeverByJavaClass(Recipe recipe) throws Exception {
    String text = Recipes.toJson(recipe);
    assertFalse(text.contains("org.unet4j"), text);
    List<String> types = new ArrayList<>();
    new ObjectMapper().readTree(text).findValues("type").forEach(t -> types.add(t.textValue()));
    for (String type : types) {
      assertTrue(type.matches("[a-z]+(-[a-z]+)*"), type);
    }
  }

  /** Guards the cases above: a new variant or enum value must get a round-trip case. */
  @Test
  void theCasesCoverEveryVariantAndEveryEnumValue() {
    Set<Object> seen = new HashSet<>();
    recipes().forEach(n -> collect(n.getPayload(), seen));

    Set<Class<?>> variants = new LinkedHashSet<>();
    for (Class<?> sealed : List.of(LossSpec.class, TransformSpec.class, OptimizerSpec.class, ScheduleSpec.class)) {
      variants.addAll(Arrays.asList(sealed.getPermittedSubclasses()));
    }
    for (Class<?> v : variants) {
      assertTrue(seen.contains(v), "no round-trip case uses " + v.getSimpleName());
    }
    assertEquals(5 + 6 + 2 + 3, variants.size(), "losses, transforms, optimizers, schedules: " + variants);

    Set<Class<?>> enums = new LinkedHashSet<>();
    enumTypes(Recipe.class, enums, new HashSet<>());
    assertEquals(Set.of(Padding.class, Activation.class, Normalization.class, PoolingKind.class, SkipMode.class,
        Upsampling.class, OutputActivation.class, ClassBalance.class, Interpolation.class, FlipTransform.Symmetry.class,
        LabelFormat.class, IntensityScaling.class, TestTimeAugmentation.class, InstanceMethod.class,
        ProbabilityOf.class, CheckpointSelection.class, ThinningMethod.class), enums);
    for (Class<?> e : enums) {
      for (Object constant : e.getEnumConstants()) {
        assertTrue(seen.contains(constant), "no round-trip case uses " + e.getSimpleName() + "." + constant);
      }
    }
  }

  private static void collect(Object value, Set<Object> seen) {
    if (value instanceof Record record) {
      seen.add(record.getClass());
      for (RecordComponent c : record.getClass().getRecordComponents()) {
        try {
          collect(c.getAccessor().invoke(record), seen);
        } catch (ReflectiveOperationException e) {
          throw new AssertionError(e);
        }
      }
    } else if (value instanceof List<?> list) {
      list.forEach(v -> collect(v, seen));
    } else if (value instanceof Enum<?>) {
      seen.add(value);
    }
  }

  /** The enum types that can appear anywhere under {@code type}. */
  private static void enumTypes(Type type, Set<Class<?>> enums, Set<Type> visited) {
    if (!visited.add(type)) {
      return;
    }
    if (type instanceof ParameterizedType p) {
      enumTypes(p.getActualTypeArguments()[0], enums, visited);
      return;
    }
    Class<?> c = (Class<?>) type;
    if (c.isEnum()) {
      enums.add(c);
    } else if (c.isSealed()) {
      for (Class<?> v : c.getPermittedSubclasses()) {
        enumTypes(v, enums, visited);
      }
    } else if (c.isRecord()) {
      for (RecordComponent rc : c.getRecordComponents()) {
        enumTypes(rc.getGenericType(), enums, visited);
      }
    }
  }
}
