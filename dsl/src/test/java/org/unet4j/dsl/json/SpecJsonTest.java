package org.unet4j.dsl.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.unet4j.dsl.SpecException;
import org.unet4j.dsl.model.Padding;
import org.unet4j.dsl.model.StageSpec;
import org.unet4j.dsl.recipe.AdamOptimizer;
import org.unet4j.dsl.recipe.CombinedLoss;
import org.unet4j.dsl.recipe.CrossEntropyLoss;
import org.unet4j.dsl.recipe.DiceLoss;
import org.unet4j.dsl.recipe.FocalLoss;
import org.unet4j.dsl.recipe.LossSpec;
import org.unet4j.dsl.recipe.OptimizerSpec;
import org.unet4j.dsl.recipe.SgdOptimizer;
import org.unet4j.dsl.recipe.WeightedCrossEntropyLoss;

/** The codec below recipes: parsing limits, the stable text form, and reading any spec record. */
class SpecJsonTest {

  @Test
  void theWrittenTextHasTwoSpaceIndentColonSpaceAndAFinalNewline() {
    ObjectNode node = SpecJson.objectNode();
    node.put("a", 1);
    node.putArray("b").add(2).add("x");
    node.putObject("c").put("d", true);
    node.putArray("e");
    assertEquals("{\n  \"a\": 1,\n  \"b\": [\n    2,\n    \"x\"\n  ],\n  \"c\": {\n    \"d\": true\n  },\n"
        + "  \"e\": [ ]\n}\n", SpecJson.write(node));
  }

  @Test
  void stringsAreNotRewritten() {
    ObjectNode node = SpecJson.objectNode();
    node.put("s", "a : b\n\"c\" : [ ]");
    String text = SpecJson.write(node);
    assertEquals("{\n  \"s\": \"a : b\\n\\\"c\\\" : [ ]\"\n}\n", text);
    assertEquals(node, SpecJson.parse(text));
  }

  @Test
  void aRecordIsWrittenWithTypeFirstAndReadBack() {
    JsonNode tree = SpecJson.toTree(new AdamOptimizer(0.8, 0.99, 1e-8));
    assertEquals("{\"type\":\"adam\",\"beta1\":0.8,\"beta2\":0.99,\"epsilon\":1.0E-8}", tree.toString());
    assertEquals(new AdamOptimizer(0.8, 0.99, 1e-8), SpecJson.fromTree(OptimizerSpec.class, tree, "training.optimizer"));
  }

  @Test
  void aRecordIsReadUnderTheGivenPath() {
    JsonNode stage = SpecJson.parse("{\"filters\": 8, \"padding\": \"same\"}");
    assertEquals(new StageSpec(8, 2, 3, Padding.SAME, org.unet4j.dsl.model.Activation.RELU,
        org.unet4j.dsl.model.Normalization.NONE, 0), SpecJson.read(StageSpec.class, stage, "model.contracting[2]"));
    SpecException e = assertThrows(SpecException.class, () -> SpecJson.read(StageSpec.class,
        SpecJson.parse("{\"filters\": 8, \"convs\": 0}"), "model.contracting[2]"));
    assertEquals("model.contracting[2].convs: expected 1..8, got 0", e.getMessage());
    SpecException root = assertThrows(SpecException.class, () -> SpecJson.read(StageSpec.class,
        SpecJson.parse("{\"convs\": 1}"), ""));
    assertEquals("filters: missing required field", root.getMessage());
  }

  @Test
  void variantsAreListedByLogicalNameInPermitsOrder() {
    assertEquals(List.of("weighted-cross-entropy", "cross-entropy", "dice", "focal", "combined"),
        List.copyOf(SpecJson.variants(LossSpec.class).keySet()));
    assertEquals(List.of(WeightedCrossEntropyLoss.class, CrossEntropyLoss.class, DiceLoss.class, FocalLoss.class,
        CombinedLoss.class), List.copyOf(SpecJson.variants(LossSpec.class).values()));
    assertEquals(SgdOptimizer.class, SpecJson.variants(OptimizerSpec.class).get("sgd"));
  }

  @Test
  void parseRefusesEmptyTextTrailingContentAndSyntaxErrors() {
    assertEquals("the JSON text is empty; expected an object",
        assertThrows(SpecException.class, () -> SpecJson.parse("")).getMessage());
    assertEquals("unexpected content after the JSON object at line 3",
        assertThrows(SpecException.class, () -> SpecJson.parse("{}\n\n[]")).getMessage());
    assertEquals("unexpected content after the JSON object at line 1",
        assertThrows(SpecException.class, () -> SpecJson.parse("1 2")).getMessage());
    String syntax = assertThrows(SpecException.class, () -> SpecJson.parse("{\n\"a\": 1,,\n}")).getMessage();
    assertTrue(syntax.startsWith("not valid JSON at line 2, column 8: "), syntax);
    String duplicate = assertThrows(SpecException.class, () -> SpecJson.parse("{\"a\": 1, \"a\": 2}")).getMessage();
    assertTrue(duplicate.startsWith("not valid JSON at line 1, column ") && duplicate.contains("'a'"), duplicate);
  }

  @Test
  void parseAcceptsScalarsAndNestingUpToTheLimit() {
    assertEquals(5, SpecJson.parse("5").intValue());
    String deepest = "[".repeat(SpecJson.MAX_NESTING) + "]".repeat(SpecJson.MAX_NESTING);
    assertTrue(SpecJson.parse(deepest).isArray());
    String deeper = "[".repeat(SpecJson.MAX_NESTING + 1) + "]".repeat(SpecJson.MAX_NESTING + 1);
    assertEquals("the JSON is nested deeper than 32 levels",
        assertThrows(SpecException.class, () -> SpecJson.parse(deeper)).getMessage());
    String deepObjects = "{\"a\":".repeat(SpecJson.MAX_NESTING + 1) + "1" + "}".repeat(SpecJson.MAX_NESTING + 1);
    assertEquals("the JSON is nested deeper than 32 levels",
        assertThrows(SpecException.class, () -> SpecJson.parse(deepObjects)).getMessage());
  }

  @Test
  void otherParserLimitsAreNotReportedAsNesting() {
    // a 1001-digit number once read as "nested deeper than 32 levels"
    String longNumber = "{\"a\": " + "1".repeat(1001) + "}";
    assertEquals("the JSON text exceeds a parser limit: Number value length (1001) exceeds the maximum allowed (1000)",
        assertThrows(SpecException.class, () -> SpecJson.parse(longNumber)).getMessage());
    String longName = "{\"" + "a".repeat(60_000) + "\": 1}";
    String message = assertThrows(SpecException.class, () -> SpecJson.parse(longName)).getMessage();
    assertTrue(message.startsWith("the JSON text exceeds a parser limit: Name length"), message);
  }

  @Test
  void parseRefusesMoreThanOneMebibyte() {
    assertEquals(1 << 20, SpecJson.MAX_BYTES);
    String exactly = "[" + " ".repeat(SpecJson.MAX_BYTES - 2) + "]";
    assertTrue(SpecJson.parse(exactly).isArray());
    String over = "[" + " ".repeat(SpecJson.MAX_BYTES - 1) + "]";
    assertEquals("the JSON text is 1048577 bytes; at most 1048576 bytes (1 MiB) are accepted",
        assertThrows(SpecException.class, () -> SpecJson.parse(over)).getMessage());
  }
}
