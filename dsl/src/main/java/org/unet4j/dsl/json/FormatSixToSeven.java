package org.unet4j.dsl.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Format 6 to 7. Version 7 names the way {@code inference.thinBoundaries} thins ({@code "none"},
 * {@code "border"}, {@code "ridge"}) where version 6 had a boolean, and adds {@code inference.thinFloor}: a
 * version 6 {@code true} meant the ISBI challenge's border thinning and becomes {@code "border"}, {@code false}
 * becomes {@code "none"}, so a recipe keeps writing what it wrote. Any other value is left for the reader to
 * refuse with the field's path.
 */
final class FormatSixToSeven implements RecipeUpgrader {
  @Override
  public int fromVersion() {
    return 6;
  }

  @Override
  public ObjectNode upgrade(ObjectNode recipe) {
    ObjectNode upgraded = recipe.deepCopy();
    JsonNode inference = upgraded.get("inference");
    if (inference instanceof ObjectNode section) {
      JsonNode thin = section.get("thinBoundaries");
      if (thin != null && thin.isBoolean()) {
        section.put("thinBoundaries", thin.booleanValue() ? "border" : "none");
      }
    }
    return upgraded;
  }
}
