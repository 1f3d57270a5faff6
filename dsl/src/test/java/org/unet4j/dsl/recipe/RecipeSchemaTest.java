package org.unet4j.dsl.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import org.unet4j.dsl.json.RecipeFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The JSON Schema of recipes, checked by hand at a few places and, with a small validator for the
 * keywords it uses, against recipes the codec writes: schema and reader must agree.
 */
class RecipeSchemaTest {
  private static JsonNode schema;
  private static JsonNode defs;

  @BeforeAll
  static void parse() throws Exception {
    String text = Recipes.schema();
    assertTrue(text.endsWith("}\n"));
    schema = new ObjectMapper().readTree(text);
    defs = schema.get("$defs");
  }

  @Test
  void theRootIsTheEnvelopePlusTheRecipeFields() {
    assertEquals("https://json-schema.org/draft/2020-12/schema", schema.get("$schema").textValue());
    assertEquals("https://unet4j.org/schema/recipe-v7.json", schema.get("$id").textValue());
    assertEquals("object", schema.get("type").textValue());
    assertEquals(List.of("format", "formatVersion", "name", "description", "model", "loss", "augmentation",
        "training", "data", "inference"), names(schema.get("properties")));
    assertEquals("unet4j-recipe", schema.at("/properties/format/const").textValue());
    assertEquals(RecipeFormat.CURRENT_VERSION, schema.at("/properties/formatVersion/const").intValue());
    assertEquals(List.of("format", "formatVersion", "name", "model"), strings(schema.get("required")));
    assertFalse(schema.get("additionalProperties").booleanValue());
  }

  @Test
  void everyRecordTypeHasADefinitionThatAllowsNoOtherFields() {
    Set<String> expected = new TreeSet<>(List.of("ModelSpec", "Pooling", "StageSpec", "ExpandingStageSpec",
        "HeadSpec", "WeightedCrossEntropyLoss", "CrossEntropyLoss", "DiceLoss", "FocalLoss", "CombinedLoss",
        "LossTerm", "AugmentationSpec", "ElasticTransform", "RotationTransform", "ShiftTransform", "FlipTransform",
        "ScaleTransform", "GrayValueTransform", "TrainingSpec", "SgdOptimizer", "AdamOptimizer", "ConstantSchedule",
        "StepSchedule", "CosineSchedule", "DataSpec", "DataPair", "NormalizationSpec", "InferenceSpec"));
    assertEquals(expected, new TreeSet<>(names(defs)));
    for (Iterator<Map.Entry<String, JsonNode>> it = defs.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> def = it.next();
      assertEquals("object", def.getValue().get("type").textValue(), def.getKey());
      assertFalse(def.getValue().get("additionalProperties").booleanValue(), def.getKey());
      assertTrue(def.getValue().get("description").isTextual(), def.getKey());
    }
  }

  @Test
  void everyReferenceResolves() {
    List<String> refs = new ArrayList<>();
    schema.findValues("$ref").forEach(r -> refs.add(r.textValue()));
    assertTrue(refs.size() > 30, refs.toString());
    for (String ref : refs) {
      assertTrue(ref.startsWith("#/$defs/"), ref);
      assertTrue(defs.has(ref.substring("#/$defs/".length())), ref);
    }
  }

  @Test
  void stageFieldsCarryTheirRangesDefaultsAndEnums() {
    JsonNode stage = defs.get("StageSpec");
    assertEquals(List.of("filters"), strings(stage.get("required")));
    JsonNode convs = stage.at("/properties/convs");
    assertEquals("integer", convs.get("type").textValue());
    assertEquals(1.0, convs.get("minimum").doubleValue());
    assertEquals(8.0, convs.get("maximum").doubleValue());
    assertEquals(2, convs.get("default").intValue());
    assertEquals("number of convolutions", convs.get("description").textValue());
    JsonNode dropout = stage.at("/properties/dropout");
    assertEquals("number", dropout.get("type").textValue());
    assertEquals(0.0, dropout.get("minimum").doubleValue());
    assertEquals(1.0, dropout.get("exclusiveMaximum").doubleValue());
    assertFalse(dropout.has("maximum"));
    assertEquals(List.of("valid", "same"), strings(stage.at("/properties/padding/enum")));
    assertEquals("valid", stage.at("/properties/padding/default").textValue());
    assertEquals(List.of("relu", "leaky-relu", "elu", "gelu"), strings(stage.at("/properties/activation/enum")));
    assertEquals(List.of("none", "batch", "group", "instance"), strings(stage.at("/properties/normalization/enum")));
    assertEquals("boolean", stage.at("/properties/residual/type").textValue());
    assertFalse(stage.at("/properties/residual/default").booleanValue());
    assertEquals(0.2, stage.at("/properties/leakySlope/default").doubleValue());
    assertEquals(List.of("center-crop", "none", "attention"),
        strings(defs.at("/ExpandingStageSpec/properties/skip/enum")));
    assertEquals(List.of("max", "average", "strided-conv"), strings(defs.at("/Pooling/properties/kind/enum")));
    assertEquals(List.of("instance", "color-components", "binary", "isbi-membrane", "index", "class-colors",
        "three-class"),
        strings(defs.at("/DataSpec/properties/labelFormat/enum")));
  }

  @Test
  void exclusiveMinimaAreMarked() {
    JsonNode sigma = defs.at("/WeightedCrossEntropyLoss/properties/sigma");
    assertEquals(0.0, sigma.get("exclusiveMinimum").doubleValue());
    assertEquals(1000.0, sigma.get("maximum").doubleValue());
    assertFalse(sigma.has("minimum"));
    assertEquals(5, sigma.get("default").intValue());
    assertEquals(0.0, defs.at("/TrainingSpec/properties/learningRate/exclusiveMinimum").doubleValue());
  }

  @Test
  void polymorphicFieldsAreOneOfTheirVariantsEachWithAConstType() {
    JsonNode optimizer = defs.at("/TrainingSpec/properties/optimizer");
    assertEquals(List.of("#/$defs/SgdOptimizer", "#/$defs/AdamOptimizer"), refs(optimizer.get("oneOf")));
    assertEquals("sgd", optimizer.at("/default/type").textValue());
    assertEquals("sgd", defs.at("/SgdOptimizer/properties/type/const").textValue());
    assertEquals(List.of("type", "momentum"), names(defs.at("/SgdOptimizer/properties")));
    assertEquals(List.of("type"), strings(defs.at("/SgdOptimizer/required")));
    assertEquals(0.99, defs.at("/SgdOptimizer/properties/momentum/default").doubleValue());
    assertEquals(1.0, defs.at("/SgdOptimizer/properties/momentum/exclusiveMaximum").doubleValue());
    assertEquals(List.of("type", "every"), strings(defs.at("/StepSchedule/required")));
    assertEquals(List.of("#/$defs/ConstantSchedule", "#/$defs/StepSchedule", "#/$defs/CosineSchedule"),
        refs(defs.at("/TrainingSpec/properties/schedule/oneOf")));
    assertEquals(List.of("#/$defs/WeightedCrossEntropyLoss", "#/$defs/CrossEntropyLoss", "#/$defs/DiceLoss",
        "#/$defs/FocalLoss", "#/$defs/CombinedLoss"), refs(schema.at("/properties/loss/oneOf")));
    // the combined loss refers back to the losses through its terms
    assertEquals("#/$defs/LossTerm", defs.at("/CombinedLoss/properties/terms/items/$ref").textValue());
    assertEquals(5, defs.at("/LossTerm/properties/loss/oneOf").size());
    assertEquals(6, defs.at("/AugmentationSpec/properties/transforms/items/oneOf").size());
  }

  @Test
  void listsOfNumbersAndDefaultsOfEmptyLists() {
    JsonNode weights = defs.at("/WeightedCrossEntropyLoss/properties/classWeights");
    assertEquals("array", weights.get("type").textValue());
    assertEquals("number", weights.at("/items/type").textValue());
    assertTrue(weights.get("default").isArray() && weights.get("default").isEmpty());
    assertEquals("integer", defs.at("/TrainingSpec/properties/seed/type").textValue());
  }

  @Test
  void recipesWrittenByTheCodecConformToTheSchema() throws Exception {
    ObjectMapper plain = new ObjectMapper();
    List<Recipe> recipes = new ArrayList<>();
    RecipeRoundTripTest.recipes().forEach(n -> recipes.add(n.getPayload()));
    for (Recipe r : recipes) {
      conforms(schema, plain.readTree(Recipes.toJson(r)), "");
    }
    // the minimal recipe too: the schema requires only what the reader requires
    conforms(schema, plain.readTree(TestRecipes.MINIMAL), "");
  }

  @Test
  void theValidatorBelowIsNotVacuous() throws Exception {
    ObjectMapper plain = new ObjectMapper();
    for (String[] edit : List.of(new String[] {"/model/contracting/0", "convs", "0"},
        new String[] {"/model/contracting/0", "filtres", "8"},
        new String[] {"/model/contracting/0", "padding", "\"vaild\""},
        new String[] {"/model/contracting/0", "dropout", "1"},
        new String[] {"/training", "optimizer", "{\"type\":\"sdg\"}"},
        new String[] {"/training", "schedule", "{\"type\":\"step\"}"})) {
      JsonNode bad = plain.readTree(TestRecipes.edit(TestRecipes.MINIMAL).set(edit[0], edit[1], edit[2]).text());
      assertThrows(AssertionError.class, () -> conforms(schema, bad, ""), String.join(" ", edit));
    }
    JsonNode noName = plain.readTree(TestRecipes.edit(TestRecipes.MINIMAL).remove("", "name").text());
    assertThrows(AssertionError.class, () -> conforms(schema, noName, ""));
  }

  /** Checks {@code value} against the keywords the generated schema uses; fails with the path. */
  private static void conforms(JsonNode s, JsonNode value, String path) {
    if (s.has("$ref")) {
      conforms(defs.get(s.get("$ref").textValue().substring("#/$defs/".length())), value, path);
    }
    if (s.has("oneOf")) {
      int matches = 0;
      for (JsonNode option : s.get("oneOf")) {
        try {
          conforms(option, value, path);
          matches++;
        } catch (AssertionError e) {
          // not this one
        }
      }
      assertEquals(1, matches, path + ": oneOf");
    }
    if (s.has("const")) {
      assertEquals(s.get("const"), value, path);
    }
    if (s.has("enum")) {
      assertTrue(strings(s.get("enum")).contains(value.textValue()), path + ": " + value);
    }
    if (s.has("type")) {
      String type = s.get("type").textValue();
      boolean ok = switch (type) {
        case "object" -> value.isObject();
        case "array" -> value.isArray();
        case "integer" -> value.isIntegralNumber();
        case "number" -> value.isNumber();
        case "string" -> value.isTextual();
        case "boolean" -> value.isBoolean();
        default -> throw new AssertionError("unexpected schema type " + type);
      };
      assertTrue(ok, path + ": expected " + type + ", got " + value);
    }
    if (value.isNumber()) {
      double v = value.doubleValue();
      if (s.has("minimum")) {
        assertTrue(v >= s.get("minimum").doubleValue(), path);
      }
      if (s.has("exclusiveMinimum")) {
        assertTrue(v > s.get("exclusiveMinimum").doubleValue(), path);
      }
      if (s.has("maximum")) {
        assertTrue(v <= s.get("maximum").doubleValue(), path);
      }
      if (s.has("exclusiveMaximum")) {
        assertTrue(v < s.get("exclusiveMaximum").doubleValue(), path);
      }
    }
    if (s.has("properties") && value.isObject()) {
      for (String name : names(value)) {
        assertTrue(s.get("properties").has(name), path + "." + name + ": not allowed");
        conforms(s.get("properties").get(name), value.get(name), path + "." + name);
      }
      for (String required : strings(s.get("required"))) {
        assertTrue(value.has(required), path + "." + required + ": required");
      }
    }
    if (s.has("items") && value.isArray()) {
      for (int i = 0; i < value.size(); i++) {
        conforms(s.get("items"), value.get(i), path + "[" + i + "]");
      }
    }
  }

  private static List<String> names(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.textValue()));
    return values;
  }

  private static List<String> refs(JsonNode oneOf) {
    List<String> values = new ArrayList<>();
    oneOf.forEach(v -> values.add(v.get("$ref").textValue()));
    return values;
  }
}
