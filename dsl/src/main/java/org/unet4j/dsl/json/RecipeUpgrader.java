package org.unet4j.dsl.json;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Turns a recipe of one format version into the next: when the recipe format changes on purpose,
 * {@code formatVersion} goes up by one and an upgrader from the old version is registered in
 * {@link RecipeFormat}, so every recipe ever written keeps loading with its meaning intact.
 */
public interface RecipeUpgrader {
  /** The version this upgrader reads; it writes {@code fromVersion() + 1}. */
  int fromVersion();

  /** The recipe in the next version's form (the envelope's {@code formatVersion} is set by the caller). */
  ObjectNode upgrade(ObjectNode recipe);
}
