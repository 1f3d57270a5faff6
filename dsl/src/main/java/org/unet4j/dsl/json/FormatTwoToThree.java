package org.unet4j.dsl.json;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Format 2 to 3. Version 3 only adds fields (the multi-class, block, stride and volume settings),
 * each with a default that means what a version 2 recipe meant without it, so the body passes
 * through unchanged: the upgrader exists so that a recipe using a new field is refused by a unet4j
 * that reads version 2 only, instead of being half-read.
 */
final class FormatTwoToThree implements RecipeUpgrader {
  @Override
  public int fromVersion() {
    return 2;
  }

  @Override
  public ObjectNode upgrade(ObjectNode recipe) {
    return recipe.deepCopy();
  }
}
