package org.unet4j.dsl.json;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Format 3 to 4. Version 4 only adds fields (block and volume settings), each with a default that
 * means what a version 3 recipe meant without it, so the body passes through unchanged: the upgrader exists so that a recipe using a new field is refused by a unet4j
 * that reads version 3 only, instead of being half-read.
 */
final class FormatThreeToFour implements RecipeUpgrader {
  @Override
  public int fromVersion() {
    return 3;
  }

  @Override
  public ObjectNode upgrade(ObjectNode recipe) {
    return recipe.deepCopy();
  }
}
