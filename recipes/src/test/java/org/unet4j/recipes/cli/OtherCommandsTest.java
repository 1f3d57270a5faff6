package org.unet4j.recipes.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class OtherCommandsTest {
  @Test
  void schemaIsJsonWithTheEnvelope() throws Exception {
    CliRun run = CliRun.of("schema");
    assertEquals(0, run.status(), run.err());
    JsonNode schema = new ObjectMapper().readTree(run.out());
    assertEquals("unet4j-recipe", schema.at("/properties/format/const").asText());
    assertEquals(1, schema.at("/properties/formatVersion/const").asInt());
    assertTrue(schema.at("/$defs/ModelSpec").isObject());
  }

  @Test
  void recipesListsBothBundledRecipes() {
    CliRun run = CliRun.of("recipes");
    assertEquals(0, run.status(), run.err());
    assertTrue(run.out().startsWith("nuclei-demo "), run.out());
    assertTrue(run.out().contains("\npaper/isbi2012 "), run.out());
  }

  @Test
  void unknownCommandIsAUsageError() {
    CliRun run = CliRun.of("trian");
    assertEquals(Unet4j.USAGE, run.status());
    assertTrue(run.err().contains("trian"), run.err());
  }

  @Test
  void demoSaysPlainlyThatItIsNotAvailableYet() {
    CliRun run = CliRun.of("demo");
    assertEquals(3, run.status());
    assertTrue(run.err().contains("not available yet"), run.err());
    for (String step : new String[] {"./unet4j train nuclei-demo", "./unet4j predict --model runs/demo",
        "./unet4j evaluate --truth data/bbbc039/test/masks"}) {
      assertTrue(run.err().contains(step), "names the step " + step + ": " + run.err());
    }
  }
}
