package org.unet4j.dsl.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.unet4j.dsl.recipe.TestRecipes.MINIMAL;
import static org.unet4j.dsl.recipe.TestRecipes.THREE_LEVELS;
import static org.unet4j.dsl.recipe.TestRecipes.edit;

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
import org.unet4j.dsl.json.SpecJson;

/**
 * Every user mistake in a recipe fails with a {@link SpecException} whose message starts with the
 * JSON path and says what was received and what is allowed. The expected messages are written out
 * in full, so a change of wording is a visible, reviewed change.
 */
class RecipeErrorsTest {
  private static final String STAGE2 = "/model/contracting/2";

  private static Arguments error(String label, String json, String message) {
    return Arguments.of(Named.of(label, json), message);
  }

  private static Arguments at(String label, String pointer, String field, String value, String message) {
    return error(label, edit(THREE_LEVELS).set(pointer, field, value).text(), message);
  }

  static Stream<Arguments> strictFields() {
    return Stream.of(
        at("unknown field, close to a known one", STAGE2, "filtres", "32",
            "model.contracting[2].filtres: unknown field; did you mean \"filters\"?"),
        at("unknown field, transposed letters", "", "nmae", "\"y\"", "nmae: unknown field; did you mean \"name\"?"),
        at("unknown field, different case", "/model", "Classes", "2",
            "model.Classes: unknown field; did you mean \"classes\"?"),
        at("unknown field in a variant", "/training", "optimizer", "{\"type\":\"sgd\",\"momentun\":0.9}",
            "training.optimizer.momentun: unknown field; did you mean \"momentum\"?"),
        at("unknown field far from every known one", STAGE2, "qqqqqqqqq", "1",
            "model.contracting[2].qqqqqqqqq: unknown field; known fields: filters, convs, kernel, padding, "
                + "activation, normalization, dropout, firstConvFilters, kernelZ, poolZ, groups, leakySlope, residual,"
                + " kernels"),
        at("unknown field in a variant lists type too", "/training", "optimizer",
            "{\"type\":\"adam\",\"qqqqqqqqq\":1}",
            "training.optimizer.qqqqqqqqq: unknown field; known fields: beta1, beta2, epsilon, type"));
  }

  static Stream<Arguments> wrongTypes() {
    return Stream.of(
        at("string for an integer", STAGE2, "convs", "\"2\"",
            "model.contracting[2].convs: expected an integer 1..8, got the string \"2\""),
        at("fraction for an integer", STAGE2, "filters", "2.5",
            "model.contracting[2].filters: expected an integer 1..65536, got the number 2.5"),
        at("integer written as a float", STAGE2, "filters", "8.0",
            "model.contracting[2].filters: expected an integer 1..65536, got the number 8.0"),
        at("integer beyond int", STAGE2, "filters", "99999999999",
            "model.contracting[2].filters: expected an integer 1..65536, got the number 99999999999"),
        at("object for a number", "/training", "learningRate", "{}",
            "training.learningRate: expected a number 0 < x <= 10, got an object"),
        at("array for a number", "/training", "learningRate", "[0.1]",
            "training.learningRate: expected a number 0 < x <= 10, got an array"),
        at("null for an integer", STAGE2, "kernel", "null",
            "model.contracting[2].kernel: expected an integer 1..15, got null"),
        at("null for a string", "", "name", "null", "name: expected a string, got null"),
        at("number for a string", "", "name", "5", "name: expected a string, got the number 5"),
        at("string for a boolean", "/inference", "fillHoles", "\"yes\"",
            "inference.fillHoles: expected true or false, got the string \"yes\""),
        at("number for a boolean", "/inference", "fillHoles", "1",
            "inference.fillHoles: expected true or false, got the number 1"),
        at("array for an object", "/model", "bottleneck", "[]", "model.bottleneck: expected an object, got an array"),
        at("string for a list", "/model", "contracting", "\"x\"",
            "model.contracting: expected an array, got the string \"x\""),
        at("string in a list of numbers", "", "loss",
            "{\"type\":\"weighted-cross-entropy\",\"classBalance\":\"given\",\"classWeights\":[1,\"2\"]}",
            "loss.classWeights[1]: expected a number, got the string \"2\""),
        at("boolean for an enum", STAGE2, "padding", "true",
            "model.contracting[2].padding: expected one of \"valid\", \"same\", got true"),
        at("null for a polymorphic spec", "/training", "optimizer", "null",
            "training.optimizer: expected an object with a \"type\", got null"),
        at("string for a polymorphic spec", "/training", "optimizer", "\"sgd\"",
            "training.optimizer: expected an object with a \"type\", got the string \"sgd\""));
  }

  static Stream<Arguments> outOfRange() {
    return Stream.of(
        at("convs 0", STAGE2, "convs", "0", "model.contracting[2].convs: expected 1..8, got 0"),
        at("convs 9", STAGE2, "convs", "9", "model.contracting[2].convs: expected 1..8, got 9"),
        at("filters 0", STAGE2, "filters", "0", "model.contracting[2].filters: expected 1..65536, got 0"),
        at("dropout 1 is excluded", STAGE2, "dropout", "1.0",
            "model.contracting[2].dropout: expected 0 <= x < 1, got 1"),
        at("negative dropout", "/model/bottleneck", "dropout", "-0.1",
            "model.bottleneck.dropout: expected 0 <= x < 1, got -0.1"),
        at("negative sigma", "", "loss", "{\"type\":\"weighted-cross-entropy\",\"sigma\":-1}",
            "loss.sigma: expected 0 < x <= 1000, got -1"),
        at("sigma 0 is excluded", "", "loss", "{\"type\":\"weighted-cross-entropy\",\"sigma\":0}",
            "loss.sigma: expected 0 < x <= 1000, got 0"),
        // written by hand: a JSON library would print the parsed infinity as a string
        error("a number beyond double", THREE_LEVELS.replace("\"name\":\"three\",",
                "\"name\":\"three\",\"loss\":{\"type\":\"weighted-cross-entropy\",\"w0\":1e400},"),
            "loss.w0: expected 0..1000, got Infinity"),
        at("momentum 1 is excluded", "/training", "optimizer", "{\"type\":\"sgd\",\"momentum\":1}",
            "training.optimizer.momentum: expected 0 <= x < 1, got 1"),
        at("learning rate 0 is excluded", "/training", "learningRate", "0",
            "training.learningRate: expected 0 < x <= 10, got 0"),
        at("steps 0", "/training", "steps", "0", "training.steps: expected 1..1000000000, got 0"),
        at("negative seed", "/training", "seed", "-1", "training.seed: expected 0..9007199254740991, got -1"),
        at("seed beyond 2^53", "/training", "seed", "9007199254740992",
            "training.seed: expected 0..9007199254740991, got 9007199254740992"),
        at("pooling 5", "/model", "pooling", "{\"size\":5}", "model.pooling.size: expected 2..4, got 5"),
        at("threshold above 1", "/inference", "threshold", "1.5", "inference.threshold: expected 0..1, got 1.5"),
        at("probability above 1 in a list", "", "augmentation", "{\"transforms\":[{\"type\":\"flip\"},"
            + "{\"type\":\"rotation\",\"probability\":2}]}",
            "augmentation.transforms[1].probability: expected 0..1, got 2"),
        at("step every 0", "/training", "schedule", "{\"type\":\"step\",\"every\":0}",
            "training.schedule.every: expected 1..1000000000, got 0"));
  }

  static Stream<Arguments> enumsAndTypes() {
    return Stream.of(
        at("enum typo", STAGE2, "padding", "\"vaild\"",
            "model.contracting[2].padding: expected one of \"valid\", \"same\", got \"vaild\"; did you mean \"valid\"?"),
        at("enum as the Java constant", "/model/expanding/0", "skip", "\"CENTER_CROP\"",
            "model.expanding[0].skip: expected one of \"center-crop\", \"none\", \"attention\", got \"CENTER_CROP\"; "
                + "did you mean \"center-crop\"?"),
        at("enum far from every value", STAGE2, "padding", "\"zzzzzz\"",
            "model.contracting[2].padding: expected one of \"valid\", \"same\", got \"zzzzzz\""),
        at("label format typo", "", "data", "{\"labelFormat\":\"isbi-membrain\"}",
            "data.labelFormat: expected one of \"instance\", \"color-components\", \"binary\", \"isbi-membrane\", "
                + "\"index\", \"class-colors\", \"three-class\", got \"isbi-membrain\"; did you mean \"isbi-membrane\"?"),
        at("unknown type with a close name", "/training", "optimizer", "{\"type\":\"sdg\"}",
            "training.optimizer.type: unknown type \"sdg\"; did you mean \"sgd\"? Expected one of sgd, adam"),
        at("unknown type far from every name", "/training", "optimizer", "{\"type\":\"rmsprop\"}",
            "training.optimizer.type: unknown type \"rmsprop\". Expected one of sgd, adam"),
        at("a Java class name as type", "/training", "optimizer", "{\"type\":\"org.unet4j.dsl.recipe.SgdOptimizer\"}",
            "training.optimizer.type: unknown type \"org.unet4j.dsl.recipe.SgdOptimizer\". Expected one of sgd, adam"),
        at("unknown loss type in a nested term", "", "loss",
            "{\"type\":\"combined\",\"terms\":[{\"loss\":{\"type\":\"dise\"}}]}",
            "loss.terms[0].loss.type: unknown type \"dise\"; did you mean \"dice\"? Expected one of "
                + "weighted-cross-entropy, cross-entropy, dice, focal, combined"),
        at("missing type", "/training", "optimizer", "{\"momentum\":0.9}",
            "training.optimizer.type: missing; expected one of sgd, adam"),
        at("type not a string", "/training", "schedule", "{\"type\":1}",
            "training.schedule.type: expected one of constant, step, cosine, got the number 1"));
  }

  static Stream<Arguments> missingFields() {
    return Stream.of(
        error("name", edit(THREE_LEVELS).remove("", "name").text(), "name: missing required field"),
        error("model", edit(THREE_LEVELS).remove("", "model").text(), "model: missing required field"),
        error("model.bottleneck", edit(THREE_LEVELS).remove("/model", "bottleneck").text(),
            "model.bottleneck: missing required field"),
        error("stage filters", edit(THREE_LEVELS).remove(STAGE2, "filters").text(),
            "model.contracting[2].filters: missing required field"),
        at("step schedule without every", "/training", "schedule", "{\"type\":\"step\"}",
            "training.schedule.every: missing required field"),
        at("combined loss without terms", "", "loss", "{\"type\":\"combined\"}", "loss.terms: missing required field"),
        at("a term without its loss", "", "loss", "{\"type\":\"combined\",\"terms\":[{\"weight\":2}]}",
            "loss.terms[0].loss: missing required field"));
  }

  static Stream<Arguments> crossFieldChecks() {
    return Stream.of(
        at("classBalance given without weights", "", "loss",
            "{\"type\":\"weighted-cross-entropy\",\"classBalance\":\"given\"}",
            "loss.classWeights: classBalance is given but no weights are listed; list one per class"),
        at("weights without classBalance given", "", "loss",
            "{\"type\":\"weighted-cross-entropy\",\"classWeights\":[1,2]}",
            "loss.classWeights: weights are listed but classBalance is inverse-frequency; set it to given or drop them"),
        at("a negative class weight", "", "loss",
            "{\"type\":\"weighted-cross-entropy\",\"classBalance\":\"given\",\"classWeights\":[1,-1]}",
            "loss.classWeights[1]: expected a finite weight >= 0, got -1.0"),
        at("the same inside a nested term", "", "loss",
            "{\"type\":\"combined\",\"terms\":[{\"loss\":{\"type\":\"dice\"}},{\"loss\":{\"type\":\"combined\","
                + "\"terms\":[{\"loss\":{\"type\":\"weighted-cross-entropy\",\"classBalance\":\"given\"}}]}}]}",
            "loss.terms[1].loss.terms[0].loss.classWeights: classBalance is given but no weights are listed; "
                + "list one per class"),
        at("combined loss with no terms", "", "loss", "{\"type\":\"combined\",\"terms\":[]}",
            "loss.terms: expected at least one term, got none"),
        at("warm-up as long as the run", "/training", "warmupSteps", "1000",
            "training.warmupSteps: expected fewer than steps (1000), got 1000"),
        error("warm-up longer than the run", edit(THREE_LEVELS).set("/training", "warmupSteps", "11")
                .set("/training", "steps", "10").text(),
            "training.warmupSteps: expected fewer than steps (10), got 11"),
        at("normalization low = high", "", "data", "{\"normalization\":{\"low\":50,\"high\":50}}",
            "data.normalization.low: expected below high (50.0), got 50.0"),
        at("normalization low > high", "", "data", "{\"normalization\":{\"low\":99.9}}",
            "data.normalization.low: expected below high (99.8), got 99.9"),
        at("scale min > max", "", "augmentation",
            "{\"transforms\":[{\"type\":\"scale\",\"minFactor\":2,\"maxFactor\":1}]}",
            "augmentation.transforms[0].minFactor: expected at most maxFactor (1.0), got 2.0"),
        at("even kernel", STAGE2, "kernel", "4",
            "model.contracting[2].kernel: expected an odd size so that crops stay centred (1, 3, 5, ...), got 4"),
        at("no contracting stage", "/model", "contracting", "[]", "model.contracting: expected 1..8 stages, got 0"),
        at("more expanding than contracting stages", "/model", "expanding",
            "[{\"filters\":8},{\"filters\":8},{\"filters\":8},{\"filters\":8}]",
            "model.expanding: expected at most 3 stages (one per contracting stage to pair with), got 4"),
        at("blank name", "", "name", "\"  \"", "name: expected a non-empty name"));
  }

  static Stream<Arguments> tiles() {
    // The tiny model (MINIMAL) takes every even size from 18 (see RecipeDefaultsTest): 45 - 4 = 41
    // cannot be pooled, and 10 -> 6 -> 3 leaves the bottleneck's 3x3 convolutions nothing.
    return Stream.of(
        error("odd training tile", edit(MINIMAL).set("/training", "tile", "45").text(),
            "training.tile: tile 45 does not fit the model: model.contracting[0].pool: 2x2 max pooling needs a size "
                + "divisible by 2, got 41x41. Received: input 45; valid near it: 44, 46"),
        error("too small inference tile", edit(MINIMAL).set("/inference", "tile", "10").text(),
            "inference.tile: tile 10 does not fit the model: model.bottleneck: conv2 (3x3, unpadded) leaves no pixels "
                + "of 1x1. Received: input 10; valid near it: 18"),
        error("three levels, tile 93", edit(THREE_LEVELS).set("/training", "tile", "93").text(),
            "training.tile: tile 93 does not fit the model: model.contracting[0].pool: 2x2 max pooling needs a size "
                + "divisible by 2, got 89x89. Received: input 93; valid near it: 92, 100"));
  }

  static Stream<Arguments> envelope() {
    int v = RecipeFormat.CURRENT_VERSION;
    return Stream.of(
        at("another format", "", "format", "\"unet4j-model\"",
            "format: expected \"unet4j-recipe\", got the string \"unet4j-model\"; is this a unet4j recipe?"),
        error("no format", edit(MINIMAL).remove("", "format").text(),
            "format: expected \"unet4j-recipe\", got nothing; is this a unet4j recipe?"),
        at("format not a string", "", "format", "1",
            "format: expected \"unet4j-recipe\", got the number 1; is this a unet4j recipe?"),
        at("version 0", "", "formatVersion", "0", "formatVersion: expected an integer 1.." + v + ", got 0"),
        at("a version from the future", "", "formatVersion", String.valueOf(v + 1),
            "formatVersion: this recipe has format version " + (v + 1) + " but this unet4j reads versions 1.." + v
                + "; upgrade unet4j to read it"),
        error("no version", edit(MINIMAL).remove("", "formatVersion").text(),
            "formatVersion: expected an integer 1.." + v + ", got nothing"),
        at("version as a string", "", "formatVersion", "\"1\"",
            "formatVersion: expected an integer 1.." + v + ", got the string \"1\""),
        at("version as a float", "", "formatVersion", "1.0",
            "formatVersion: expected an integer 1.." + v + ", got the number 1.0"),
        // 2^32 + 1 once wrapped around to version 1
        at("version beyond int", "", "formatVersion", "4294967297",
            "formatVersion: expected an integer 1.." + v + ", got the number 4294967297"),
        error("an array instead of a recipe", "[" + MINIMAL + "]", "expected a recipe object, got an array"),
        error("a string instead of a recipe", "\"paper/isbi2012\"", "expected a recipe object, got the string "
            + "\"paper/isbi2012\""));
  }

  static Stream<Arguments> text() {
    return Stream.of(
        error("empty", "", "the JSON text is empty; expected an object"),
        error("only white space", " \n\t ", "the JSON text is empty; expected an object"),
        error("a second object after the recipe", MINIMAL + "\n{}",
            "unexpected content after the JSON object at line 2"),
        error("nested deeper than 32", edit(MINIMAL).set("", "description", "[".repeat(40) + "]".repeat(40)).text(),
            "the JSON is nested deeper than 32 levels"));
  }

  @ParameterizedTest
  @MethodSource({"strictFields", "wrongTypes", "outOfRange", "enumsAndTypes", "missingFields", "crossFieldChecks",
      "tiles", "envelope", "text"})
  void aMistakeFailsWithItsPathAndWhatIsAllowed(String json, String message) {
    SpecException e = assertThrows(SpecException.class, () -> Recipes.fromJson(json));
    assertEquals(message, e.getMessage());
  }

  @Test
  void theBaseRecipesOfTheseCasesAreValid() {
    assertEquals(3, Recipes.fromJson(THREE_LEVELS).model().depth());
    assertEquals(1, Recipes.fromJson(MINIMAL).model().depth());
    // the bounds themselves are accepted; with 8 convolutions tile 44 still fits the tiny model:
    // 44 -> 28 -> 14 -> 10 -> 20 (skip 28 cropped to 20) -> 16
    String stage = "/model/contracting/0";
    Recipe r = Recipes.fromJson(edit(MINIMAL).set(stage, "convs", "8").set(stage, "dropout", "0.999")
        .set("/training", "seed", "9007199254740991").set("/training", "warmupSteps", "999").text());
    assertEquals(8, r.model().contracting().get(0).convs());
    assertEquals(0.999, r.model().contracting().get(0).dropout());
    assertEquals(9_007_199_254_740_991L, r.training().seed());
  }

  @Test
  void theExceptionSeparatesPathAndProblem() {
    SpecException e = assertThrows(SpecException.class,
        () -> Recipes.fromJson(edit(THREE_LEVELS).set(STAGE2, "convs", "0").text()));
    assertEquals("model.contracting[2].convs", e.path());
    assertEquals("expected 1..8, got 0", e.problem());
  }

  @Test
  void theFirstUnknownFieldIsReportedBeforeMissingOrWrongOnes() {
    String json = edit(THREE_LEVELS).remove(STAGE2, "filters").set(STAGE2, "filtres", "32")
        .set(STAGE2, "convs", "0").text();
    SpecException e = assertThrows(SpecException.class, () -> Recipes.fromJson(json));
    assertEquals("model.contracting[2].filtres: unknown field; did you mean \"filters\"?", e.getMessage());
  }

  @Test
  void duplicateKeysAreRefusedWithLineAndColumn() {
    String json = "{\n  \"format\": \"unet4j-recipe\",\n  \"formatVersion\": 1,\n  \"name\": \"a\",\n  \"name\": \"b\"\n}";
    SpecException e = assertThrows(SpecException.class, () -> Recipes.fromJson(json));
    assertTrue(e.getMessage().startsWith("not valid JSON at line 5, column "), e.getMessage());
    assertTrue(e.getMessage().contains("'name'"), e.getMessage());
    assertEquals("", e.path());
  }

  @Test
  void aSyntaxErrorNamesLineAndColumn() {
    // line 3 is `  "name" "x"`: the colon is missing before the second quote, column 10
    String json = "{\n  \"format\": \"unet4j-recipe\",\n  \"name\" \"x\"\n}";
    SpecException e = assertThrows(SpecException.class, () -> Recipes.fromJson(json));
    assertTrue(e.getMessage().startsWith("not valid JSON at line 3, column 10: "), e.getMessage());
    assertTrue(e.getMessage().contains("colon"), e.getMessage());
  }

  @Test
  void anUnclosedObjectIsASyntaxError() {
    SpecException e = assertThrows(SpecException.class,
        () -> Recipes.fromJson(MINIMAL.substring(0, MINIMAL.length() - 1)));
    assertTrue(e.getMessage().startsWith("not valid JSON at line 1, column "), e.getMessage());
  }

  @Test
  void garbageAfterTheRecipeIsASyntaxError() {
    SpecException e = assertThrows(SpecException.class, () -> Recipes.fromJson(MINIMAL + "\n  x"));
    assertTrue(e.getMessage().startsWith("not valid JSON at line 2, column "), e.getMessage());
    assertTrue(e.getMessage().contains("'x'"), e.getMessage());
  }

  @Test
  void nonNumericNumbersAreRefused() {
    String json = MINIMAL.replace("\"tile\":44}}", "\"tile\":44,\"threshold\":NaN}}");
    SpecException e = assertThrows(SpecException.class, () -> Recipes.fromJson(json));
    assertTrue(e.getMessage().startsWith("not valid JSON at line 1, column "), e.getMessage());
    assertTrue(e.getMessage().contains("NaN"), e.getMessage());
  }

  @Test
  void textOverOneMebibyteIsRefusedAndTextOfExactlyOneIsRead() {
    int room = SpecJson.MAX_BYTES - MINIMAL.length();
    assertEquals(TestRecipes.tiny(), Recipes.fromJson(MINIMAL + " ".repeat(room)));
    SpecException e = assertThrows(SpecException.class, () -> Recipes.fromJson(MINIMAL + " ".repeat(room + 1)));
    assertEquals("the JSON text is 1048577 bytes; at most 1048576 bytes (1 MiB) are accepted", e.getMessage());
  }

  @Test
  void theLimitCountsBytesNotCharacters() {
    // 600,000 two-byte characters: fewer than 2^20 characters but more than 2^20 bytes
    String json = edit(MINIMAL).set("", "description", "\"" + "\u00e9".repeat(600_000) + "\"").text();
    assertTrue(json.length() < SpecJson.MAX_BYTES);
    SpecException e = assertThrows(SpecException.class, () -> Recipes.fromJson(json));
    assertTrue(e.getMessage().startsWith("the JSON text is 12"), e.getMessage());
    assertTrue(e.getMessage().endsWith(" bytes; at most 1048576 bytes (1 MiB) are accepted"), e.getMessage());
  }

  @Test
  void nestingOf32IsReadAndDeeperIsRefusedEvenInsideAnUnknownField() {
    // root object (1) + 31 arrays = 32 levels: the JSON is fine, the field is not
    String ok = edit(MINIMAL).set("", "extra", "[".repeat(31) + "]".repeat(31)).text();
    SpecException unknown = assertThrows(SpecException.class, () -> Recipes.fromJson(ok));
    assertEquals("extra: unknown field; known fields: name, description, model, loss, augmentation, training, "
        + "data, inference", unknown.getMessage());
    String deep = edit(MINIMAL).set("", "extra", "[".repeat(32) + "]".repeat(32)).text();
    SpecException e = assertThrows(SpecException.class, () -> Recipes.fromJson(deep));
    assertEquals("the JSON is nested deeper than 32 levels", e.getMessage());
  }

  @Test
  void everyCaseHasAMessageStartingWithItsPath() {
    // the table above is the documentation of the messages: each names a path, except text-level ones
    List<String> messages = new ArrayList<>();
    Stream.of(strictFields(), wrongTypes(), outOfRange(), enumsAndTypes(), missingFields(), crossFieldChecks(), tiles())
        .flatMap(s -> s).forEach(a -> messages.add((String) a.get()[1]));
    for (String m : messages) {
      assertTrue(m.matches("^[a-zA-Z][A-Za-z0-9.\\[\\]]*: .*"), m);
    }
  }
}
