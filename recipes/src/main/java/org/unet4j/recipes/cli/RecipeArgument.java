package org.unet4j.recipes.cli;

import org.unet4j.dsl.SpecException;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.dsl.recipe.Recipes;

/** Loads the RECIPE argument of a command: a bundled name or a {@code .json} path. */
final class RecipeArgument {
  private RecipeArgument() {}

  static Recipe load(String nameOrPath) {
    try {
      return Recipes.load(nameOrPath);
    } catch (SpecException e) {
      throw new UserException(e.path().isEmpty() ? e.getMessage() : "recipe " + nameOrPath + ": " + e.getMessage());
    }
  }
}
