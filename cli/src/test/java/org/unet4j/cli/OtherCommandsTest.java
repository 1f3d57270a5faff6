package org.unet4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.unet4j.dsl.json.RecipeFormat;

class OtherCommandsTest {
  @Test
  void schemaIsJsonWithTheEnvelope() throws Exception {
    CliRun run = CliRun.of("schema");
    assertEquals(0, run.status(), run.err());
    JsonNode schema = new ObjectMapper().readTree(run.out());
    assertEquals("unet4j-recipe", schema.at("/properties/format/const").asText());
    assertEquals(RecipeFormat.CURRENT_VERSION, schema.at("/properties/formatVersion/const").asInt());
    assertTrue(schema.at("/$defs/ModelSpec").isObject());
  }

  @Test
  void recipesListsEveryBundledRecipeWithItsDescriptionInOneColumn() {
    CliRun run = CliRun.of("recipes");
    assertEquals(0, run.status(), run.err());
    assertTrue(run.out().startsWith("nuclei-demo "), run.out());
    assertTrue(run.out().contains("\npaper/isbi2012 "), run.out());
    // the longest name sets the column: two spaces after it, and every description starts there
    int column = "paper/isbi2012-cpu".length() + 2;
    assertTrue(run.out().contains("\npaper/isbi2012-cpu  The ISBI 2012 experiment sized for a 2-core CPU"), run.out());
    for (String line : run.out().split("\n")) {
      assertTrue(line.length() > column && line.charAt(column - 1) == ' ' && line.charAt(column) != ' ', line);
    }
  }

  @Test
  void everyCommandHasHelp() {
    for (String command : new String[] {"inspect", "train", "export", "predict", "evaluate", "weight-map", "augment",
        "demo", "schema", "recipes"}) {
      CliRun run = CliRun.of(command, "--help");
      assertEquals(0, run.status(), command + ": " + run.err());
      assertTrue(run.out().startsWith("Usage: unet4j " + command), command + ": " + run.out());
    }
  }

  @Test
  void unknownCommandIsAUsageError() {
    CliRun run = CliRun.of("trian");
    assertEquals(Unet4j.USAGE, run.status());
    assertTrue(run.err().contains("trian"), run.err());
  }
}
