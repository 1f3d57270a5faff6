package org.unet4j.tests.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.unet4j.dsl.json.RecipeFormat;
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
import org.unet4j.dsl.model.StageSpec;
import org.unet4j.dsl.recipe.AugmentationSpec;
import org.unet4j.dsl.recipe.ClassBalance;
import org.unet4j.dsl.recipe.ConstantSchedule;
import org.unet4j.dsl.recipe.DataSpec;
import org.unet4j.dsl.recipe.InferenceSpec;
import org.unet4j.dsl.recipe.IntensityScaling;
import org.unet4j.dsl.recipe.Interpolation;
import org.unet4j.dsl.recipe.LabelFormat;
import org.unet4j.dsl.recipe.NormalizationSpec;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.dsl.recipe.Recipes;
import org.unet4j.dsl.recipe.SgdOptimizer;
import org.unet4j.dsl.recipe.TestTimeAugmentation;
import org.unet4j.dsl.recipe.ThinningMethod;
import org.unet4j.dsl.recipe.TrainingSpec;
import org.unet4j.dsl.recipe.WeightedCrossEntropyLoss;

/**
 * Compatibility of the recipe format: the golden files of the current format version are written
 * back character for character, the bundled recipes are their golden copies, and the golden files
 * of every older version still load. An accidental change to a field name, a default, a logical
 * type name or the text layout fails here.
 */
class GoldenRecipeTest {
  private static final int CURRENT = RecipeFormat.CURRENT_VERSION;

  static Stream<String> fullyWritten() {
    return GoldenFiles.list(CURRENT).stream().filter(name -> !name.equals(GoldenFiles.MINIMAL));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fullyWritten")
  void goldenFileIsWrittenBackCharacterForCharacter(String file) {
    String text = GoldenFiles.read(CURRENT, file);
    GoldenFiles.assertSameText(GoldenFiles.current() + file, text, Recipes.toJson(Recipes.fromJson(text)));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"nuclei-demo", "nuclei-3class", "paper/isbi2012", "paper/isbi2012-cpu", "paper/phc-u373", "paper/dic-hela"})
  void bundledRecipeEqualsItsGoldenCopy(String name) {
    String golden = GoldenFiles.read(CURRENT, "bundled/" + name + ".json");
    Recipe loaded = Recipes.load(name);
    assertEquals(Recipes.fromJson(golden), loaded, () -> GoldenFiles.FORMAT_CHANGED
        + "; or the bundled recipe " + name + " was edited on purpose: then copy it to "
        + "tests/src/test/resources/" + GoldenFiles.current() + "bundled/" + name + ".json");
    GoldenFiles.assertSameText(GoldenFiles.current() + "bundled/" + name + ".json", golden, Recipes.toJson(loaded));
  }

  @Test
  void bundledIndexListsExactlyTheBundledFiles() {
    List<String> indexed = Recipes.bundled().stream().sorted().toList();
    assertEquals(Set.copyOf(Recipes.bundled()).size(), indexed.size(), "index.txt lists a recipe twice: " + indexed);
    assertEquals(GoldenFiles.bundledFiles(), indexed,
        "recipes/src/main/resources/unet4j/recipes/index.txt must list exactly the .json files beside it");
    List<String> copies = GoldenFiles.list(CURRENT).stream().filter(f -> f.startsWith("bundled/"))
        .map(f -> f.substring("bundled/".length(), f.length() - ".json".length())).sorted().toList();
    assertEquals(indexed, copies, "every bundled recipe has a golden copy in tests/src/test/resources/"
        + GoldenFiles.current() + "bundled/ and there is no other");
  }

  /**
   * The minimal recipe names only what has no default; reading it must give the documented
   * defaults, spelled out here by hand rather than taken from the code.
   */
  @Test
  void minimalRecipeReadsWithTheDocumentedDefaults() {
    StageSpec down = new StageSpec(8, 2, 3, Padding.VALID, Activation.RELU, Normalization.NONE, 0.0);
    StageSpec bottom = new StageSpec(16, 2, 3, Padding.VALID, Activation.RELU, Normalization.NONE, 0.0);
    ExpandingStageSpec up = new ExpandingStageSpec(8, 2, 3, Padding.VALID, Activation.RELU, Normalization.NONE,
        0.0, SkipMode.CENTER_CROP);
    ModelSpec model = new ModelSpec(1, 2, new Pooling(PoolingKind.MAX, 2), List.of(down), bottom, List.of(up),
        new HeadSpec(1, OutputActivation.SOFTMAX));
    Recipe expected = new Recipe("golden/minimal", "", model,
        new WeightedCrossEntropyLoss(10.0, 5.0, ClassBalance.INVERSE_FREQUENCY, List.of()),
        new AugmentationSpec(List.of(), Interpolation.BICUBIC),
        new TrainingSpec(new SgdOptimizer(0.99), 0.01, new ConstantSchedule(), 0, 1000, 1, 572, 42L, 500, 0),
        new DataSpec("", "", LabelFormat.INSTANCE, new NormalizationSpec(IntensityScaling.PERCENTILE, 1.0, 99.8), 0.2),
        new InferenceSpec(572, 1, TestTimeAugmentation.NONE, 0.5, 0, false));

    Recipe read = Recipes.fromJson(GoldenFiles.read(CURRENT, GoldenFiles.MINIMAL));

    assertEquals(expected, read, () -> "a default changed, so recipes that leave it out now mean something else; "
        + GoldenFiles.FORMAT_CHANGED);
    assertEquals(read, Recipes.fromJson(Recipes.toJson(read)));
  }

  /** Every logical type name the schema knows appears in some golden file of the current version. */
  @Test
  void goldenFilesUseEveryLogicalTypeName() throws Exception {
    ObjectMapper json = new ObjectMapper();
    Set<String> known = new TreeSet<>();
    json.readTree(Recipes.schema()).get("$defs").forEach(def -> {
      JsonNode type = def.path("properties").path("type").path("const");
      if (type.isTextual()) {
        known.add(type.textValue());
      }
    });
    assertFalse(known.isEmpty(), "the schema names no polymorphic types");
    Set<String> used = new TreeSet<>();
    for (String file : GoldenFiles.list(CURRENT)) {
      collectTypes(json.readTree(GoldenFiles.read(CURRENT, file)), used);
    }
    Set<String> missing = new TreeSet<>(known);
    missing.removeAll(used);
    assertTrue(missing.isEmpty(), "no golden file uses the type names " + missing
        + "; add them to tests/src/test/resources/" + GoldenFiles.current() + "every-variant.json");
  }

  @Test
  void currentFormatVersionHasGoldenFiles() {
    assertTrue(GoldenFiles.versions().contains(CURRENT), "formatVersion is " + CURRENT
        + " but tests/src/test/resources/" + GoldenFiles.current() + " holds no golden files; write them");
  }

  /**
   * Current golden files that use fields of the current version on purpose, so an older file of the
   * same name, which cannot name them, means something else: every-variant gives new fields
   * non-default values; the ISBI recipe pairs its stacks with {@code data.pairs} and writes
   * membrane probability ({@code inference.probabilityOf}); the nuclei demo splits touching nuclei
   * with {@code inference.instances = distance-watershed} (version 3); the cell tracking recipes leave
   * out unannotated cells painted 65535 ({@code data.ignoreLabel}, version 3); the ISBI CPU recipe
   * predicts with the average of its weights ({@code training.averageDecay}, version 4) and thins its membranes
   * along their ridge ({@code inference.thinBoundaries} ridge, version 7; version 6 knew only the border
   * thinning, which its copy keeps: {@link #versionSixIsbiCpuRecipeKeepsItsBorderThinning}).
   */
  private static final Set<String> USES_NEW_FIELDS = Set.of("every-variant.json", "bundled/paper/isbi2012.json",
      "bundled/nuclei-demo.json", "bundled/paper/phc-u373.json", "bundled/paper/dic-hela.json",
      "bundled/paper/isbi2012-cpu.json");

  /**
   * Golden files of older format versions must keep loading through the upgraders and mean what the
   * current golden file of the same name means, unless that one uses new fields on purpose
   * ({@link #USES_NEW_FIELDS}). Empty while version 1 is the only one.
   */
  @Test
  void goldenFilesOfOlderVersionsStillLoad() {
    List<String> checked = new ArrayList<>();
    for (int version : GoldenFiles.versions()) {
      if (version == CURRENT) {
        continue;
      }
      List<String> current = GoldenFiles.list(CURRENT);
      for (String file : GoldenFiles.list(version)) {
        Recipe upgraded = Recipes.fromJson(GoldenFiles.read(version, file));
        if (current.contains(file) && !USES_NEW_FIELDS.contains(file)) {
          assertEquals(Recipes.fromJson(GoldenFiles.read(CURRENT, file)), upgraded,
              "v" + version + "/" + file + " upgraded differs from v" + CURRENT + "/" + file);
        }
        checked.add("v" + version + "/" + file);
      }
    }
    assertEquals(CURRENT > 1, !checked.isEmpty(), "format version " + CURRENT
        + (CURRENT > 1 ? " must keep golden files of older versions" : " has no older versions") + ": " + checked);
  }

  /** The version 6 ISBI CPU recipe thinned with the border thinning, and reads so: it writes what it wrote. */
  @Test
  void versionSixIsbiCpuRecipeKeepsItsBorderThinning() {
    Recipe v6 = Recipes.fromJson(GoldenFiles.read(6, "bundled/paper/isbi2012-cpu.json"));
    assertEquals(ThinningMethod.BORDER, v6.inference().thinBoundaries());
    Recipe current = Recipes.fromJson(GoldenFiles.read(CURRENT, "bundled/paper/isbi2012-cpu.json"));
    assertEquals(ThinningMethod.RIDGE, current.inference().thinBoundaries());
    assertEquals(current.inference().toBuilder().thinBoundaries(ThinningMethod.BORDER).build(), v6.inference());
  }

  private static void collectTypes(JsonNode node, Set<String> into) {
    if (node.isObject() && node.path("type").isTextual()) {
      into.add(node.get("type").textValue());
    }
    node.forEach(child -> collectTypes(child, into));
  }
}
