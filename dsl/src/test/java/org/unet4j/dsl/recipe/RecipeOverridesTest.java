package org.unet4j.dsl.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.unet4j.dsl.recipe.TestRecipes.tiny;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.unet4j.dsl.SpecException;
import org.unet4j.dsl.json.RecipeFormat;
import org.unet4j.dsl.model.Activation;
import org.unet4j.dsl.model.ExpandingStageSpec;
import org.unet4j.dsl.model.ModelSpec;
import org.unet4j.dsl.model.Normalization;
import org.unet4j.dsl.model.Padding;
import org.unet4j.dsl.model.SkipMode;
import org.unet4j.dsl.model.StageSpec;

/** {@code path=value} overrides: JSON values, plain strings, array indices, and their errors. */
class RecipeOverridesTest {

  private static Recipe override(String... assignments) {
    return Recipes.withOverrides(tiny(), List.of(assignments));
  }

  @Test
  void numbersReplaceNumbers() {
    Recipe r = override("training.steps=60", "training.learningRate=0.5", "training.seed=7");
    assertEquals(60, r.training().steps());
    assertEquals(0.5, r.training().learningRate());
    assertEquals(7L, r.training().seed());
    assertEquals(tiny().model(), r.model());
  }

  @Test
  void anArrayElementIsReachedByIndex() {
    Recipe r = override("model.contracting[0].filters=32", "model.expanding[0].skip=none");
    ModelSpec expected = new ModelSpec(1, 2, tiny().model().pooling(), List.of(StageSpec.paper(32)),
        StageSpec.paper(16), List.of(new ExpandingStageSpec(8, 2, 3,
            Padding.VALID, Activation.RELU,
            Normalization.NONE, 0, SkipMode.NONE)),
        tiny().model().head());
    assertEquals(expected, r.model());
  }

  @Test
  void aWholeArrayElementCanBeReplaced() {
    // merged into the element: what it leaves out keeps its value
    Recipe r = override("model.contracting[0]={\"filters\":4,\"convs\":1}");
    assertEquals(new StageSpec(4, 1, 3, Padding.VALID, Activation.RELU,
        Normalization.NONE, 0), r.model().contracting().get(0));
  }

  @Test
  void jsonObjectsReplaceWholeSpecs() {
    assertEquals(new DiceLoss(1), override("loss={\"type\":\"dice\"}").loss());
    assertEquals(new AdamOptimizer(0.9, 0.999, 1e-7), override("training.optimizer={\"type\":\"adam\"}")
        .training().optimizer());
    assertEquals(List.of(new FlipTransform(1, FlipTransform.Symmetry.MIRRORS)),
        override("augmentation.transforms=[{\"type\":\"flip\",\"symmetry\":\"mirrors\"}]").augmentation().transforms());
  }

  @Test
  void anObjectForAWholeSectionChangesOnlyTheFieldsItNames() {
    Recipe original = tiny();
    Recipe r = override("training={\"steps\":60,\"seed\":9}");
    assertEquals(60, r.training().steps());
    assertEquals(9L, r.training().seed());
    // Everything else as before, not the defaults (SGD 0.01, tile 572) a fresh section would take.
    assertEquals(original.training().learningRate(), r.training().learningRate());
    assertEquals(original.training().tile(), r.training().tile());
    assertEquals(original.training().optimizer(), r.training().optimizer());
    assertEquals(original.model(), r.model());
  }

  @Test
  void anEmptyObjectIsRefusedInsteadOfResettingTheSection() {
    SpecException e = assertThrows(SpecException.class, () -> override("training={}"));
    assertEquals("training: {} sets no field; an object value changes only the fields it names, so give them"
        + " (training={\"name\": value}) or set one field by its path (training.name=value)", e.getMessage());
    SpecException nested = assertThrows(SpecException.class, () -> override("training={\"schedule\":{}}"));
    assertTrue(nested.getMessage().startsWith("training.schedule: {} sets no field"), nested.getMessage());
  }

  @Test
  void loweringTheStepsBelowTheWarmupShortensItAndSaysSo() {
    Recipe warm = Recipes.withOverrides(tiny(), List.of("training.steps=100", "training.warmupSteps=20"));
    List<String> notes = new ArrayList<>();
    Recipe r = Recipes.withOverrides(warm, List.of("training.steps=3"), notes::add);
    assertEquals(3, r.training().steps());
    assertEquals(2, r.training().warmupSteps(), "one step fewer than the steps");
    assertEquals(List.of("training.warmupSteps: the recipe's warm-up of 20 steps is not shorter than the 3 steps"
        + " asked for, so it is shortened to 2 (set training.warmupSteps to choose another)"), notes);
    // One step: no warm-up at all.
    assertEquals(0, Recipes.withOverrides(warm, List.of("training.steps=1")).training().warmupSteps());
    // Steps still above the warm-up: nothing changes, nothing is said.
    List<String> none = new ArrayList<>();
    assertEquals(20, Recipes.withOverrides(warm, List.of("training.steps=21"), none::add).training().warmupSteps());
    assertEquals(List.of(), none);
  }

  @Test
  void aWarmupSetExplicitlyIsNeverShortened() {
    Recipe warm = Recipes.withOverrides(tiny(), List.of("training.steps=100", "training.warmupSteps=20"));
    SpecException e = assertThrows(SpecException.class,
        () -> Recipes.withOverrides(warm, List.of("training.steps=3", "training.warmupSteps=5")));
    assertEquals("training.warmupSteps: expected fewer than steps (3), got 5", e.getMessage());
  }

  @Test
  void aValueThatIsNotJsonIsAString() {
    Recipe r = override("data.images=foo/*.tif", "data.labels=masks", "data.labelFormat=isbi-membrane",
        "inference.tta=dihedral", "description=");
    assertEquals("foo/*.tif", r.data().images());
    assertEquals("masks", r.data().labels());
    assertEquals(LabelFormat.ISBI_MEMBRANE, r.data().labelFormat());
    assertEquals(TestTimeAugmentation.DIHEDRAL, r.inference().tta());
    assertEquals("", r.description());
  }

  @Test
  void booleansAndQuotedStringsAreJson() {
    Recipe r = override("inference.fillHoles=true", "name=\"42\"");
    assertEquals(true, r.inference().fillHoles());
    assertEquals("42", r.name());
  }

  @Test
  void onlyTheFirstEqualsSignSplitsAndThePathIsTrimmed() {
    Recipe r = override(" data.images =a=b", "training.steps= 61");
    assertEquals("a=b", r.data().images());
    assertEquals(61, r.training().steps());
  }

  @Test
  void laterAssignmentsWinAndTheOriginalIsUnchanged() {
    Recipe original = tiny();
    Recipe r = Recipes.withOverrides(original, List.of("training.steps=5", "training.steps=6"));
    assertEquals(6, r.training().steps());
    assertEquals(tiny(), original);
    assertEquals(original, Recipes.withOverrides(original, List.of()));
  }

  static Stream<Arguments> mistakes() {
    return Stream.of(
        Arguments.of(Named.of("no equals sign", "training.steps"), "expected path=value, got \"training.steps\""),
        Arguments.of(Named.of("no path", "=5"), "expected path=value, got \"=5\""),
        Arguments.of(Named.of("empty segment", "model..filters=1"),
            "model..filters: not a field path; write it like training.steps or model.contracting[0].filters"),
        Arguments.of(Named.of("trailing dot", "training.=1"),
            "training.: not a field path; write it like training.steps or model.contracting[0].filters"),
        Arguments.of(Named.of("index not a number", "model.contracting[x].filters=1"),
            "model.contracting[x].filters: not a field path; write it like training.steps or "
                + "model.contracting[0].filters"),
        Arguments.of(Named.of("negative index", "model.contracting[-1].filters=1"),
            "model.contracting[-1].filters: not a field path; write it like training.steps or "
                + "model.contracting[0].filters"),
        Arguments.of(Named.of("unknown last field", "training.stpes=5"),
            "training.stpes: unknown field; did you mean \"steps\"?"),
        Arguments.of(Named.of("unknown top-level field", "nmae=y"), "nmae: unknown field; did you mean \"name\"?"),
        Arguments.of(Named.of("unknown field on the way", "modle.contracting[0].filters=32"),
            "modle: no such field in the recipe; did you mean \"model\"?"),
        Arguments.of(Named.of("unknown nested field on the way", "training.optimzer.momentum=0.9"),
            "training.optimzer: no such field in the recipe; did you mean \"optimizer\"?"),
        Arguments.of(Named.of("unknown field far from all", "qqqqqqqq.x=1"),
            "qqqqqqqq: no such field in the recipe; set a field that exists"),
        Arguments.of(Named.of("index out of range", "model.contracting[1].filters=32"),
            "model.contracting: has no element [1] (it has 1)"),
        Arguments.of(Named.of("index on a non-array", "name[0]=x"), "name: has no element [0] (it is not an array)"),
        Arguments.of(Named.of("field of a non-object", "name.first=x"),
            "name: is not an object, so it has no field \"first\""),
        Arguments.of(Named.of("value out of range", "training.steps=0"),
            "training.steps: expected 1..1000000000, got 0"),
        Arguments.of(Named.of("value of the wrong type", "model.contracting[0].filters=abc"),
            "model.contracting[0].filters: expected an integer 1..65536, got the string \"abc\""),
        Arguments.of(Named.of("an invalid spec as JSON", "loss={\"type\":\"dise\"}"),
            "loss.type: unknown type \"dise\"; did you mean \"dice\"? Expected one of weighted-cross-entropy, "
                + "cross-entropy, dice, focal, combined"),
        Arguments.of(Named.of("a tile the model cannot take", "training.tile=45"),
            "training.tile: tile 45 does not fit the model: model.contracting[0].pool: 2x2 max pooling needs a size "
                + "divisible by 2, got 41x41. Received: input 45; valid near it: 44, 46"),
        Arguments.of(Named.of("the envelope", "formatVersion=" + (RecipeFormat.CURRENT_VERSION + 1)),
            "formatVersion: this recipe has format version " + (RecipeFormat.CURRENT_VERSION + 1)
                + " but this unet4j reads versions 1.." + RecipeFormat.CURRENT_VERSION + "; upgrade unet4j to read it"));
  }

  @ParameterizedTest
  @MethodSource("mistakes")
  void aBadAssignmentFailsWithItsPath(String assignment, String message) {
    SpecException e = assertThrows(SpecException.class, () -> override(assignment));
    assertEquals(message, e.getMessage());
  }

  @Test
  void theFirstBadAssignmentIsReportedEvenAfterGoodOnes() {
    SpecException e = assertThrows(SpecException.class,
        () -> override("training.steps=60", "model.contracting[3].filters=1", "training.stpes=1"));
    assertEquals("model.contracting: has no element [3] (it has 1)", e.getMessage());
  }
}
