package org.unet4j.dsl.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.unet4j.dsl.SpecException;

/** The envelope and the upgrader chain, with fake format versions 1 to 3. */
class RecipeFormatTest {
  private static final ObjectMapper PLAIN = new ObjectMapper();

  /** Renames one field, logging that it ran. */
  private record Rename(int fromVersion, String from, String to, List<Integer> log) implements RecipeUpgrader {
    @Override
    public ObjectNode upgrade(ObjectNode recipe) {
      log.add(fromVersion);
      ObjectNode next = recipe.deepCopy();
      JsonNode value = next.remove(from);
      if (value == null) {
        throw new AssertionError("version " + fromVersion + " has no " + from + ": " + recipe);
      }
      next.set(to, value);
      return next;
    }
  }

  private static JsonNode tree(String json) throws Exception {
    return PLAIN.readTree(json);
  }

  @Test
  void upgradersRunInOrderFromTheRecipesVersionToTheCurrentOne() throws Exception {
    List<Integer> log = new ArrayList<>();
    // version 1 called it "title", version 2 "label", version 3 "name"; given out of order on purpose
    List<RecipeUpgrader> chain = List.of(new Rename(2, "label", "name", log), new Rename(1, "title", "label", log));
    JsonNode v1 = tree("{\"format\":\"unet4j-recipe\",\"formatVersion\":1,\"title\":\"t\",\"steps\":5}");

    ObjectNode body = RecipeFormat.unwrap(v1, 3, chain);
    assertEquals(tree("{\"steps\":5,\"name\":\"t\"}"), body);
    assertEquals(List.of(1, 2), log);
    assertEquals(1, v1.get("formatVersion").intValue(), "the input is not changed");
    assertTrue(v1.has("title"));

    log.clear();
    assertEquals(tree("{\"name\":\"t\"}"),
        RecipeFormat.unwrap(tree("{\"format\":\"unet4j-recipe\",\"formatVersion\":2,\"label\":\"t\"}"), 3, chain));
    assertEquals(List.of(2), log);

    log.clear();
    assertEquals(tree("{\"name\":\"t\"}"),
        RecipeFormat.unwrap(tree("{\"format\":\"unet4j-recipe\",\"formatVersion\":3,\"name\":\"t\"}"), 3, chain));
    assertEquals(List.of(), log);
  }

  @Test
  void aMissingUpgraderIsReported() throws Exception {
    List<Integer> log = new ArrayList<>();
    JsonNode v1 = tree("{\"format\":\"unet4j-recipe\",\"formatVersion\":1,\"title\":\"t\"}");
    IllegalStateException first = assertThrows(IllegalStateException.class,
        () -> RecipeFormat.unwrap(v1, 3, List.of(new Rename(2, "label", "name", log))));
    assertEquals("no upgrader from recipe format version 1", first.getMessage());
    IllegalStateException second = assertThrows(IllegalStateException.class,
        () -> RecipeFormat.unwrap(v1, 3, List.of(new Rename(1, "title", "label", log))));
    assertEquals("no upgrader from recipe format version 2", second.getMessage());
  }

  @Test
  void versionsOutsideTheChainAreUserErrors() throws Exception {
    SpecException future = assertThrows(SpecException.class, () -> RecipeFormat.unwrap(
        tree("{\"format\":\"unet4j-recipe\",\"formatVersion\":4}"), 3, List.of()));
    assertEquals("formatVersion: this recipe has format version 4 but this unet4j reads versions 1..3; "
        + "upgrade unet4j to read it", future.getMessage());
    SpecException zero = assertThrows(SpecException.class, () -> RecipeFormat.unwrap(
        tree("{\"format\":\"unet4j-recipe\",\"formatVersion\":-1}"), 3, List.of()));
    assertEquals("formatVersion: expected an integer 1..3, got -1", zero.getMessage());
    SpecException notObject = assertThrows(SpecException.class, () -> RecipeFormat.unwrap(tree("[]"), 3, List.of()));
    assertEquals("expected a recipe object, got an array", notObject.getMessage());
  }

  @Test
  void theRegisteredChainCoversEveryOlderVersion() {
    for (int v = 1; v < RecipeFormat.CURRENT_VERSION; v++) {
      int from = v;
      assertEquals(1, RecipeFormat.UPGRADERS.stream().filter(u -> u.fromVersion() == from).count(),
          "one upgrader from version " + v);
    }
    assertTrue(RecipeFormat.UPGRADERS.stream().allMatch(u -> u.fromVersion() >= 1
        && u.fromVersion() < RecipeFormat.CURRENT_VERSION), "no upgrader from the current version or later");
  }

  @Test
  void wrapPutsTheEnvelopeFirst() throws Exception {
    ObjectNode root = RecipeFormat.wrap((ObjectNode) tree("{\"name\":\"x\",\"steps\":1}"));
    List<String> names = new ArrayList<>();
    root.fieldNames().forEachRemaining(names::add);
    assertEquals(List.of("format", "formatVersion", "name", "steps"), names);
    assertEquals(RecipeFormat.FORMAT, root.get("format").textValue());
    assertEquals(RecipeFormat.CURRENT_VERSION, root.get("formatVersion").intValue());
    assertEquals(tree("{\"name\":\"x\",\"steps\":1}"), RecipeFormat.unwrap(root));
  }
}
