package org.unet4j.dsl.json;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Format 4 to 5. Version 5 only adds the stages' per-convolution {@code kernels}, whose default
 * ({@code []}: every convolution has the stage's {@code kernel}) means what a version 4 recipe meant
 * without it, so the body passes through unchanged: the upgrader exists so that a recipe listing
 * kernels is refused by a unet4j that reads version 4 only, instead of being half-read.
 */
final class FormatFourToFive implements RecipeUpgrader {
  @Override
  public int fromVersion() {
    return 4;
  }

  @Override
  public ObjectNode upgrade(ObjectNode recipe) {
    return recipe.deepCopy();
  }
}
