package org.unet4j.dsl.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.unet4j.dsl.SpecException;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.dsl.recipe.Recipes;
import org.unet4j.dsl.recipe.ThinningMethod;

/**
 * Version 6's boolean {@code inference.thinBoundaries} becomes the name of the thinning it meant: true the ISBI
 * challenge's border thinning, false none; a recipe without it and other sections pass as they are.
 */
class FormatSixToSevenTest {
  private static final ObjectMapper PLAIN = new ObjectMapper();
  private static final String MINIMAL_V6 = "{\"format\":\"unet4j-recipe\",\"formatVersion\":6,\"name\":\"x\","
      + "\"model\":{\"contracting\":[{\"filters\":8}],\"bottleneck\":{\"filters\":16},\"expanding\":[{\"filters\":8}]}";

  private static ObjectNode upgrade(String json) throws Exception {
    return new FormatSixToSeven().upgrade((ObjectNode) PLAIN.readTree(json));
  }

  @Test
  void theBooleanBecomesTheThinningItMeant() throws Exception {
    assertEquals(PLAIN.readTree("{\"inference\":{\"threshold\":0.4,\"thinBoundaries\":\"border\"}}"),
        upgrade("{\"inference\":{\"threshold\":0.4,\"thinBoundaries\":true}}"));
    assertEquals(PLAIN.readTree("{\"inference\":{\"thinBoundaries\":\"none\"}}"),
        upgrade("{\"inference\":{\"thinBoundaries\":false}}"));
    assertEquals(PLAIN.readTree("{\"inference\":{\"tile\":92},\"name\":\"x\"}"),
        upgrade("{\"inference\":{\"tile\":92},\"name\":\"x\"}"));
    assertEquals(PLAIN.readTree("{\"name\":\"x\"}"), upgrade("{\"name\":\"x\"}"));
  }

  @Test
  void aVersionSixRecipeKeepsItsThinningThroughTheChain() {
    Recipe thinned = Recipes.fromJson(MINIMAL_V6 + ",\"inference\":{\"thinBoundaries\":true}}");
    assertEquals(ThinningMethod.BORDER, thinned.inference().thinBoundaries());
    assertEquals(0, thinned.inference().thinFloor());
    Recipe plain = Recipes.fromJson(MINIMAL_V6 + ",\"inference\":{\"thinBoundaries\":false}}");
    assertEquals(ThinningMethod.NONE, plain.inference().thinBoundaries());
  }

  /** Only version 7 names the methods, so a version 6 recipe that names one is refused at the field. */
  @Test
  void aVersionSixRecipeCannotNameAMethod() {
    SpecException e = assertThrows(SpecException.class,
        () -> Recipes.fromJson(MINIMAL_V6 + ",\"inference\":{\"thinBoundaries\":1}}"));
    assertTrue(e.getMessage().startsWith("inference.thinBoundaries:"), e.getMessage());
  }
}
