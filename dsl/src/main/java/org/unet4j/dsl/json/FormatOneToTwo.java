package org.unet4j.dsl.json;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Format 1 to 2. Version 2 only adds fields, each with a default that means what a version 1
 * recipe meant without it, so the body passes through unchanged: the upgrader exists so that a
 * recipe using a new field is refused by a unet4j that reads version 1 only, instead of being
 * half-read.
 */
final class FormatOneToTwo implements RecipeUpgrader {
  @Override
  public int fromVersion() {
    return 1;
  }

  @Override
  public ObjectNode upgrade(ObjectNode recipe) {
    return recipe.deepCopy();
  }
}
