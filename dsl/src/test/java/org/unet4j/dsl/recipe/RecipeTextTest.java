package org.unet4j.dsl.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.unet4j.dsl.recipe.TestRecipes.tiny;
import static org.unet4j.dsl.recipe.TestRecipes.withAugmentation;
import static org.unet4j.dsl.recipe.TestRecipes.withData;
import static org.unet4j.dsl.recipe.TestRecipes.withDescription;
import static org.unet4j.dsl.recipe.TestRecipes.withLoss;
import static org.unet4j.dsl.recipe.TestRecipes.withModel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.unet4j.dsl.json.RecipeFormat;
import org.unet4j.dsl.TypeName;
import org.unet4j.dsl.model.Activation;
import org.unet4j.dsl.model.ExpandingStageSpec;
import org.unet4j.dsl.model.HeadSpec;
import org.unet4j.dsl.model.ModelSpec;
import org.unet4j.dsl.model.Normalization;
import org.unet4j.dsl.model.Padding;
import org.unet4j.dsl.model.Pooling;
import org.unet4j.dsl.model.StageSpec;

/**
 * The written form: envelope first, fields in record declaration order, enums in kebab case,
 * {@code type} first, every default spelled out, two-space indent and a final newline.
 */
class RecipeTextTest {
  private static final ObjectMapper PLAIN = new ObjectMapper();

  /** A recipe touching the multi-word enum values and a polymorphic list. */
  private static Recipe varied() {
    Recipe r = withLoss(tiny(), new CombinedLoss(List.of(
        new LossTerm(1, WeightedCrossEntropyLoss.paper()), new LossTerm(0.5, new DiceLoss(1)))));
    r = withAugmentation(r, new AugmentationSpec(List.of(new GrayValueTransform(1, 0.1, 0.2, 0.2, 0.02),
        new FlipTransform(1, FlipTransform.Symmetry.MIRRORS)), Interpolation.BICUBIC));
    r = withData(r, new DataSpec("a", "b", LabelFormat.ISBI_MEMBRANE,
        new NormalizationSpec(IntensityScaling.MIN_MAX, 1, 99.8), 0.2));
    return withModel(r, new ModelSpec(1, 2, Pooling.max(2),
        List.of(new StageSpec(8, 2, 3, Padding.VALID, Activation.LEAKY_RELU, Normalization.NONE, 0)),
        StageSpec.paper(16), List.of(ExpandingStageSpec.paper(8)), HeadSpec.paper()));
  }

  @Test
  void theEnvelopeComesFirstThenTheRecipeFieldsInDeclarationOrder() throws Exception {
    JsonNode root = PLAIN.readTree(Recipes.toJson(tiny()));
    assertEquals(List.of("format", "formatVersion", "name", "description", "model", "loss", "augmentation",
        "training", "data", "inference"), names(root));
    assertEquals("unet4j-recipe", root.get("format").textValue());
    assertEquals(RecipeFormat.CURRENT_VERSION, root.get("formatVersion").intValue());
    assertEquals(List.of("filters", "convs", "kernel", "padding", "activation", "normalization", "dropout",
        "firstConvFilters", "kernelZ", "poolZ", "groups", "leakySlope", "residual", "kernels"), names(root.at("/model/contracting/0")));
    assertEquals(List.of("type", "w0", "sigma", "classBalance", "classWeights"), names(root.at("/loss")));
    assertEquals(List.of("optimizer", "learningRate", "schedule", "warmupSteps", "steps", "batchSize", "tile",
        "tileZ", "seed", "checkpointEvery", "validateEvery", "selectBy", "patience", "minDelta", "averageDecay"), names(root.at("/training")));
  }

  @Test
  void everyObjectListsItsRecordsComponentsInDeclarationOrderWithTypeFirst() throws Exception {
    for (Recipe r : List.of(tiny(), varied())) {
      JsonNode root = PLAIN.readTree(Recipes.toJson(r));
      List<String> expected = new ArrayList<>(List.of("format", "formatVersion"));
      for (RecordComponent c : Recipe.class.getRecordComponents()) {
        expected.add(c.getName());
      }
      assertEquals(expected, names(root));
      for (RecordComponent c : Recipe.class.getRecordComponents()) {
        assertDeclarationOrder(c.getGenericType(), root.get(c.getName()), c.getName());
      }
    }
  }

  @Test
  void enumsAreWrittenInKebabCase() {
    String text = Recipes.toJson(varied());
    for (String expected : List.of("\"skip\": \"center-crop\"", "\"labelFormat\": \"isbi-membrane\"",
        "\"classBalance\": \"inverse-frequency\"", "\"activation\": \"leaky-relu\"", "\"scaling\": \"min-max\"",
        "\"symmetry\": \"mirrors\"", "\"padding\": \"valid\"", "\"tta\": \"none\"", "\"type\": \"gray-value\"",
        "\"type\": \"weighted-cross-entropy\"")) {
      assertTrue(text.contains(expected), expected + " in\n" + text);
    }
    assertFalse(text.matches("(?s).*\"[A-Z][A-Z_]+\".*"), "no Java enum constant names:\n" + text);
    assertTrue(Recipes.toJson(withData(tiny(), new DataSpec("", "", LabelFormat.COLOR_COMPONENTS,
        new NormalizationSpec(IntensityScaling.Z_SCORE, 1, 2), 0))).contains("\"labelFormat\": \"color-components\""));
  }

  @Test
  void typeComesFirstInEveryPolymorphicObject() throws Exception {
    JsonNode root = PLAIN.readTree(Recipes.toJson(varied()));
    List<JsonNode> polymorphic = new ArrayList<>();
    collectObjectsWithType(root, polymorphic);
    // the combined loss and its 2 terms' losses, 2 transforms, the optimizer and the schedule
    assertEquals(7, polymorphic.size(), polymorphic.toString());
    for (JsonNode node : polymorphic) {
      assertEquals("type", node.fieldNames().next(), node.toString());
    }
  }

  @Test
  void theMinimalRecipeIsWrittenWithEveryDefault() throws Exception {
    String text = Recipes.toJson(Recipes.fromJson(TestRecipes.MINIMAL));
    assertEquals(Recipes.toJson(tiny()), text);
    JsonNode root = PLAIN.readTree(text);
    for (RecordComponent c : Recipe.class.getRecordComponents()) {
      assertDeclarationOrder(c.getGenericType(), root.get(c.getName()), c.getName());
    }
    for (String expected : List.of("\"description\": \"\"", "\"convs\": 2", "\"kernel\": 3", "\"momentum\": 0.99",
        "\"w0\": 10.0", "\"sigma\": 5.0", "\"classWeights\": [ ]", "\"transforms\": [ ]", "\"seed\": 42",
        "\"high\": 99.8", "\"fillHoles\": false", "\"type\": \"constant\"")) {
      assertTrue(text.contains(expected), expected + " in\n" + text);
    }
  }

  @Test
  void theTextIsIndentedByTwoSpacesAndEndsWithANewline() {
    String text = Recipes.toJson(tiny());
    assertTrue(text.startsWith("{\n  \"format\": \"unet4j-recipe\",\n  \"formatVersion\": " + RecipeFormat.CURRENT_VERSION + ",\n  \"name\": \"x\",\n"),
        text);
    assertTrue(text.endsWith("\n  }\n}\n"), text);
    assertTrue(text.contains("\n  \"training\": {\n"
        + "    \"optimizer\": {\n"
        + "      \"type\": \"sgd\",\n"
        + "      \"momentum\": 0.99\n"
        + "    },\n"
        + "    \"learningRate\": 0.01,\n"), text);
    assertTrue(text.contains("\n    \"contracting\": [\n"
        + "      {\n"
        + "        \"filters\": 8,\n"), text);
    assertFalse(text.contains("\t") || text.contains("\r") || text.contains(" : "), text);
    // each line opens one level deeper than the last at most, in steps of two spaces
    int previous = 0;
    for (String line : text.split("\n")) {
      int indent = line.length() - line.stripLeading().length();
      assertEquals(0, indent % 2, line);
      assertTrue(indent <= previous + 2, line);
      previous = indent;
    }
  }

  @Test
  void stringsAreWrittenAsIsEvenWhenTheyLookLikeJsonSeparators() {
    // the writer once turned " : " into ": " across the whole text, string values included
    Recipe r = withDescription(tiny(), "ratio : 1 , \"a\" : [ 1 ]");
    String text = Recipes.toJson(r);
    assertTrue(text.contains("\"description\": \"ratio : 1 , \\\"a\\\" : [ 1 ]\",\n"), text);
    assertEquals(r, Recipes.fromJson(text));
  }

  private static List<String> names(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static void collectObjectsWithType(JsonNode node, List<JsonNode> found) {
    if (node.isObject() && node.has("type")) {
      found.add(node);
    }
    node.elements().forEachRemaining(child -> collectObjectsWithType(child, found));
  }

  /** Walks {@code node} as a value of {@code type}: each record's fields complete and in order. */
  private static void assertDeclarationOrder(Type type, JsonNode node, String path) {
    if (type instanceof ParameterizedType p) {
      assertTrue(node.isArray(), path);
      for (int i = 0; i < node.size(); i++) {
        assertDeclarationOrder(p.getActualTypeArguments()[0], node.get(i), path + "[" + i + "]");
      }
      return;
    }
    Class<?> c = (Class<?>) type;
    List<String> expected = new ArrayList<>();
    if (c.isSealed()) {
      String logical = node.get("type").textValue();
      Class<?> variant = null;
      for (Class<?> v : c.getPermittedSubclasses()) {
        if (v.getAnnotation(TypeName.class).value().equals(logical)) {
          variant = v;
        }
      }
      assertTrue(variant != null, path + ": no variant " + logical);
      c = variant;
      expected.add("type");
    }
    if (!c.isRecord()) {
      assertFalse(node.isObject() || node.isArray(), path);
      return;
    }
    for (RecordComponent rc : c.getRecordComponents()) {
      expected.add(rc.getName());
    }
    assertEquals(expected, names(node), path);
    for (RecordComponent rc : c.getRecordComponents()) {
      assertDeclarationOrder(rc.getGenericType(), node.get(rc.getName()), path + "." + rc.getName());
    }
  }
}
