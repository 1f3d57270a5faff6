package org.unet4j.tests.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaId;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.unet4j.dsl.SpecException;
import org.unet4j.dsl.json.RecipeFormat;
import org.unet4j.dsl.recipe.Recipes;

/**
 * {@code Recipes.schema()} checked by an independent validator (networknt, draft 2020-12): it is a
 * valid schema, every bundled and golden recipe satisfies it, every field it knows is written out,
 * and it rejects what the strict reader rejects.
 */
class RecipeSchemaTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

  private static JsonNode schemaTree;
  private static JsonSchema schema;

  @BeforeAll
  static void loadSchema() throws Exception {
    schemaTree = JSON.readTree(Recipes.schema());
    schema = FACTORY.getSchema(schemaTree);
  }

  @Test
  void schemaIsAValidDraft202012Schema() {
    JsonSchema meta = FACTORY.getSchema(SchemaLocation.of(SchemaId.V202012));
    Set<ValidationMessage> errors = meta.validate(schemaTree);
    assertTrue(errors.isEmpty(), () -> "Recipes.schema() is not a valid JSON Schema: " + errors);
    assertEquals("https://json-schema.org/draft/2020-12/schema", schemaTree.get("$schema").textValue());
    assertEquals(RecipeFormat.CURRENT_VERSION, schemaTree.at("/properties/formatVersion/const").intValue());
  }

  /** Every bundled recipe (read as shipped) and every golden file of the current format version. */
  static Stream<Arguments> recipes() {
    List<Arguments> all = new ArrayList<>();
    for (String name : Recipes.bundled()) {
      all.add(Arguments.of("bundled " + name, GoldenFiles.resource(Recipes.BUNDLED_ROOT + name + ".json")));
    }
    for (String file : GoldenFiles.list(RecipeFormat.CURRENT_VERSION)) {
      all.add(Arguments.of(GoldenFiles.current() + file, GoldenFiles.read(RecipeFormat.CURRENT_VERSION, file)));
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("recipes")
  void recipeSatisfiesTheSchema(String name, String text) throws Exception {
    Set<ValidationMessage> errors = schema.validate(JSON.readTree(text));
    assertTrue(errors.isEmpty(), () -> name + " does not satisfy Recipes.schema(): " + errors);
  }

  /** The schema's defaults are for editors; the writer spells every one of them out. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("recipes")
  void writtenRecipeSpellsOutEveryFieldTheSchemaKnows(String name, String text) throws Exception {
    JsonNode written = JSON.readTree(Recipes.toJson(Recipes.fromJson(text)));
    List<String> missing = new ArrayList<>();
    missingFields(written, schemaTree, "", missing);
    assertTrue(missing.isEmpty(), () -> name + " written back leaves out " + missing);
    assertTrue(schema.validate(written).isEmpty());
  }

  /**
   * Mistakes both the schema and the strict reader must refuse, made in the minimal golden recipe:
   * a JSON pointer, the value put there, and what the reader's message must say.
   */
  static Stream<Arguments> mistakes() {
    return Stream.of(
        Arguments.of("/model/contracting/0/filtres", "8",
            "model.contracting[0].filtres: unknown field; did you mean \"filters\"?"),
        Arguments.of("/epochs", "10", "epochs: unknown field"),
        Arguments.of("/model/contracting/0/convs", "0", "model.contracting[0].convs: expected 1..8, got 0"),
        Arguments.of("/model/contracting/0/convs", "9", "model.contracting[0].convs: expected 1..8, got 9"),
        Arguments.of("/model/bottleneck/dropout", "1.0", "model.bottleneck.dropout: expected 0 <= x < 1, got 1"),
        Arguments.of("/training/learningRate", "0", "training.learningRate: expected 0 < x <= 10, got 0"),
        Arguments.of("/model/expanding/0/padding", "\"full\"",
            "model.expanding[0].padding: expected one of \"valid\", \"same\", got \"full\""),
        Arguments.of("/loss", "{\"type\": \"jacard\"}", "loss.type: unknown type \"jacard\""),
        Arguments.of("/training/steps", "\"many\"", "training.steps: expected an integer"),
        Arguments.of("/formatVersion", "\"1\"", "formatVersion: expected an integer"));
  }

  @ParameterizedTest(name = "{0} = {1}")
  @MethodSource("mistakes")
  void schemaAndReaderRefuseTheSameMistake(String pointer, String value, String message) throws Exception {
    ObjectNode recipe = (ObjectNode) JSON.readTree(GoldenFiles.read(RecipeFormat.CURRENT_VERSION, GoldenFiles.MINIMAL));
    put(recipe, pointer, JSON.readTree(value));
    assertFalse(schema.validate(recipe).isEmpty(), "the schema accepts " + pointer + " = " + value);

    String text = JSON.writeValueAsString(recipe);
    SpecException e = assertThrows(SpecException.class, () -> Recipes.fromJson(text));
    assertTrue(e.getMessage().startsWith(message), () -> "expected a message starting with\n  " + message
        + "\nbut got\n  " + e.getMessage());
  }

  @Test
  void schemaNamesTheUnknownFieldAndTheRange() throws Exception {
    ObjectNode recipe = (ObjectNode) JSON.readTree(GoldenFiles.read(RecipeFormat.CURRENT_VERSION, GoldenFiles.MINIMAL));
    put(recipe, "/model/contracting/0/filtres", JSON.readTree("8"));
    put(recipe, "/model/contracting/0/convs", JSON.readTree("0"));
    String errors = schema.validate(recipe).stream().map(ValidationMessage::getMessage)
        .collect(Collectors.joining("\n"));
    assertTrue(errors.contains("filtres"), errors);
    assertTrue(errors.contains("$.model.contracting[0].convs") && errors.contains("1"), errors);
    assertFalse(errors.isEmpty());
  }

  /** Adds every path of a record field the schema lists but {@code node} lacks to {@code missing}. */
  private static void missingFields(JsonNode node, JsonNode s, String path, List<String> missing) {
    JsonNode ref = s.get("$ref");
    if (ref != null) {
      missingFields(node, schemaTree.at(ref.textValue().substring(1)), path, missing);
      return;
    }
    if (s.has("oneOf")) {
      for (JsonNode option : s.get("oneOf")) {
        JsonNode def = schemaTree.at(option.get("$ref").textValue().substring(1));
        if (def.at("/properties/type/const").textValue().equals(node.path("type").asText())) {
          missingFields(node, def, path, missing);
        }
      }
      return;
    }
    if (s.has("items") && node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        missingFields(node.get(i), s.get("items"), path + "[" + i + "]", missing);
      }
      return;
    }
    JsonNode properties = s.get("properties");
    if (properties == null || !node.isObject()) {
      return;
    }
    for (Iterator<String> names = properties.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      String at = path.isEmpty() ? name : path + "." + name;
      if (!node.has(name)) {
        missing.add(at);
      } else {
        missingFields(node.get(name), properties.get(name), at, missing);
      }
    }
  }

  /** Sets the value at a JSON pointer, adding the objects on the way that the recipe leaves out. */
  private static void put(ObjectNode root, String pointer, JsonNode value) {
    String[] steps = pointer.substring(1).split("/");
    JsonNode node = root;
    for (int i = 0; i < steps.length - 1; i++) {
      JsonNode next = node.isArray() ? node.get(Integer.parseInt(steps[i])) : node.get(steps[i]);
      node = next != null ? next : ((ObjectNode) node).putObject(steps[i]);
    }
    String last = steps[steps.length - 1];
    if (node instanceof ArrayNode array) {
      array.set(Integer.parseInt(last), value);
    } else {
      ((ObjectNode) node).set(last, value);
    }
  }
}
