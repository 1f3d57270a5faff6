package org.unet4j.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.unet4j.docs.RecipeReference.Block;
import org.unet4j.docs.RecipeReference.Row;
import org.unet4j.dsl.recipe.Recipes;

/**
 * The recipe reference page is what the generator makes of the current schema, and the generator
 * documents every field a written recipe has, with the bounds and defaults of the spec records.
 */
class RecipeReferenceTest {
  private static final RecipeReference REFERENCE = RecipeReference.of(Recipes.schema());

  /**
   * Fails when {@code docs/guide/recipe-reference.md} differs from the generated page; with
   * {@code -Dunet4j.docs.write=true} it rewrites the page instead.
   */
  @Test
  void committedPageIsTheOneGeneratedFromTheSchema() throws IOException {
    String generated = REFERENCE.markdown();
    Path page = GuideFiles.root().resolve(RecipeReference.PAGE);
    if (Boolean.getBoolean("unet4j.docs.write")) {
      Files.writeString(page, generated, StandardCharsets.UTF_8);
      return;
    }
    String committed = Files.isRegularFile(page) ? Files.readString(page, StandardCharsets.UTF_8) : "";
    if (!committed.equals(generated)) {
      fail(RecipeReference.PAGE + " is out of date with the recipe schema ("
          + (committed.isEmpty() ? "the page is missing" : firstDifference(committed, generated))
          + "). Regenerate it from the repository root with:\n  " + RecipeReference.REGENERATE);
    }
  }

  /**
   * Every field of fully written recipes (the codec's output, not the schema) has a row, and every
   * row outside the variant blocks names a field that such a recipe has.
   */
  @Test
  void everyFieldOfAWrittenRecipeHasARowAndNoRowIsInvented() {
    Set<String> documented = new TreeSet<>();
    REFERENCE.rows().forEach(r -> documented.add(r.path()));
    Set<String> written = new TreeSet<>();
    for (String name : List.of("paper/isbi2012", "nuclei-demo")) {
      paths(Recipes.toTree(Recipes.load(name)), "", written);
    }
    // A term of a combined loss is any loss variant; its rows are the variants' own (loss.w0, ...).
    Set<String> missing = new TreeSet<>();
    for (String path : written) {
      String variantPath = path;
      while (variantPath.startsWith("loss.terms[].loss.")) {
        variantPath = "loss." + variantPath.substring("loss.terms[].loss.".length());
      }
      missing.add(variantPath);
    }
    missing.removeAll(documented);
    assertEquals(Set.of(), missing, "fields of written recipes without a row in the reference");

    Set<String> paper = new TreeSet<>();
    paths(Recipes.toTree(Recipes.load("paper/isbi2012")), "", paper);
    for (Block block : REFERENCE.blocks()) {
      if (block.variantOf().isEmpty()) {
        for (Row row : block.rows()) {
          assertTrue(paper.contains(row.path()), () -> "row " + row.path() + " of " + block.heading()
              + " is not a field of paper/isbi2012");
        }
      }
    }
  }

  /** Values, defaults and ranges as the record annotations declare them (read off the records by hand). */
  @Test
  void rowsCarryTheDefaultsAndBoundsOfTheSpecRecords() {
    assertEquals(new Row("training.tile", "integer", "`572`", "1..65536",
        "input tile size in pixels; must be valid for the model"), row("training", "training.tile"));
    assertEquals(new Row("model.contracting[].dropout", "number", "`0`", "0 <= x < 1",
        "dropout rate after the last convolution, 0 for none"), row("model", "model.contracting[].dropout"));
    assertEquals("required", row("model", "model.contracting[].filters").defaultValue());
    assertEquals("required", row("Top level", "name").defaultValue());
    assertEquals("`\"unet4j-recipe\"`", row("Top level", "format").values());
    assertEquals(new Row("loss.sigma", "number", "`5`", "0 < x <= 1000",
        "border width sigma in pixels (5 in the paper)"), row("loss: weighted-cross-entropy", "loss.sigma"));
    assertEquals("`\"instance\"`, `\"color-components\"`, `\"binary\"`, `\"isbi-membrane\"`, `\"index\"`,"
        + " `\"class-colors\"`, `\"three-class\"`", row("data", "data.labelFormat").values());
    assertEquals(new Row("data.ignoreLabel", "integer", "`-1`", "-1..65535", "raw label value of pixels to ignore"
        + " (weight 0 in every loss, left out of class balance and scores), e.g. 255 for unannotated regions; for"
        + " class-colors a grey r = g = b = value; -1 for none"), row("data", "data.ignoreLabel"));
    assertEquals("`{\"type\": \"sgd\"}`", row("training", "training.optimizer").defaultValue());
    assertEquals("0..9007199254740991", row("training", "training.seed").range());
    assertEquals("`{}` (every field defaulted)", row("model", "model.pooling").defaultValue());
    assertEquals("array of objects with `type` `\"elastic\"`, `\"rotation\"`, `\"shift\"`, `\"flip\"`, `\"scale\"`,"
        + " `\"gray-value\"`", row("augmentation", "augmentation.transforms").values());
    assertEquals("`0.99`", row("training.optimizer: sgd", "training.optimizer.momentum").defaultValue());
    assertTrue(row("loss: combined", "loss.terms[].loss").description().contains("`loss`"),
        "the terms of a combined loss point back at the loss variants instead of repeating them");
  }

  /** A small schema written by hand, and the rows it must give. */
  @Test
  void handWrittenSchemaGivesItsRows() {
    String schema = """
        {"title": "t", "$id": "x", "type": "object", "description": "A thing.",
         "properties": {
           "name": {"type": "string", "description": "its name"},
           "shape": {"$ref": "#/$defs/Shape"},
           "pet": {"oneOf": [{"$ref": "#/$defs/Cat"}, {"$ref": "#/$defs/Dog"}], "default": {"type": "cat"}}},
         "required": ["name"],
         "$defs": {
           "Shape": {"type": "object", "description": "Its shape.",
             "properties": {
               "sides": {"type": "integer", "minimum": 3, "maximum": 12, "default": 4},
               "ratio": {"type": "number", "exclusiveMinimum": 0, "maximum": 1.5, "description": "w/h"},
               "tags": {"type": "array", "items": {"type": "string"}, "default": []}},
             "required": ["ratio"]},
           "Cat": {"type": "object", "description": "A cat",
             "properties": {"type": {"const": "cat"}, "lives": {"type": "integer", "minimum": 1, "maximum": 9}},
             "required": ["type"]},
           "Dog": {"type": "object", "properties": {"type": {"const": "dog"},
             "size": {"enum": ["small", "big"], "default": "big"}}, "required": ["type"]}}}
        """;
    RecipeReference reference = RecipeReference.of(schema);
    assertEquals(List.of("Top level", "shape", "pet", "pet: cat", "pet: dog"),
        reference.blocks().stream().map(Block::heading).toList());
    assertEquals(List.of(
        new Row("name", "string", "required", "", "its name"),
        new Row("shape", "object", "`{}` (every field defaulted)", "", "Its shape."),
        new Row("pet", "object with `type` `\"cat\"`, `\"dog\"`", "`{\"type\": \"cat\"}`", "",
            "one of the variants below, chosen by its `type`"),
        new Row("shape.sides", "integer", "`4`", "3..12", ""),
        new Row("shape.ratio", "number", "required", "0 < x <= 1.5", "w/h"),
        new Row("shape.tags", "array of strings", "`[]`", "", ""),
        new Row("pet", "object with `type` `\"cat\"`, `\"dog\"`", "`{\"type\": \"cat\"}`", "",
            "one of the variants below, chosen by its `type`"),
        new Row("pet.type", "`\"cat\"`", "required", "", ""),
        new Row("pet.lives", "integer", "none", "1..9", ""),
        new Row("pet.type", "`\"dog\"`", "required", "", ""),
        new Row("pet.size", "`\"small\"`, `\"big\"`", "`\"big\"`", "", "")), reference.rows());
    String page = reference.markdown();
    assertTrue(page.contains("\n### pet: cat\n\n`pet` with `\"type\": \"cat\"`. A cat.\n\n| Field |"), page);
    assertTrue(page.contains("| `shape.ratio` | number | required | `0 < x <= 1.5` | w/h |\n"), page);
    assertTrue(page.contains("Sections: [Top level](#top-level), [shape](#shape), [pet](#pet).\n"), page);
    assertTrue(page.contains("\n### pet: dog\n\n`pet` with `\"type\": \"dog\"`.\n\n| Field |"), page);
  }

  private static Row row(String heading, String path) {
    Block block = REFERENCE.blocks().stream().filter(b -> b.heading().equals(heading)).findFirst()
        .orElseThrow(() -> new AssertionError("no block " + heading));
    return block.rows().stream().filter(r -> r.path().equals(path)).findFirst()
        .orElseThrow(() -> new AssertionError("no row " + path + " in " + heading + ": " + block.rows()));
  }

  /** The JSON paths of every field of a tree, list elements written {@code []}. */
  private static void paths(JsonNode node, String at, Set<String> out) {
    if (node.isObject()) {
      node.fields().forEachRemaining(f -> {
        String path = at.isEmpty() ? f.getKey() : at + "." + f.getKey();
        out.add(path);
        paths(f.getValue(), path, out);
      });
    } else if (node.isArray()) {
      node.forEach(item -> paths(item, at + "[]", out));
    }
  }

  private static String firstDifference(String committed, String generated) {
    String[] a = committed.split("\n", -1);
    String[] b = generated.split("\n", -1);
    for (int i = 0; i < Math.max(a.length, b.length); i++) {
      String x = i < a.length ? a[i] : "(end of file)";
      String y = i < b.length ? b[i] : "(end of file)";
      if (!x.equals(y)) {
        return "line " + (i + 1) + " is\n  " + x + "\nbut the schema gives\n  " + y;
      }
    }
    return "they differ in line endings";
  }
}
