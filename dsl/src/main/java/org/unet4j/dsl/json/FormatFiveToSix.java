package org.unet4j.dsl.json;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Format 5 to 6. Version 6 only adds {@code inference.thinBoundaries}, whose default ({@code false}: the
 * boundaries as the net predicts them) means what a version 5 recipe meant without it, so the body passes
 * through unchanged: the upgrader exists so that a recipe thinning its boundaries is refused by a unet4j that
 * reads version 5 only, instead of being half-read.
 */
final class FormatFiveToSix implements RecipeUpgrader {
  @Override
  public int fromVersion() {
    return 5;
  }

  @Override
  public ObjectNode upgrade(ObjectNode recipe) {
    return recipe.deepCopy();
  }
}
