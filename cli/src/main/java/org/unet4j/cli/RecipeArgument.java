package org.unet4j.cli;

import java.nio.file.Path;
import java.util.List;
import org.unet4j.dsl.SpecException;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.dsl.recipe.Recipes;

/** Loads the RECIPE argument of a command: a bundled name or a {@code .json} path. */
final class RecipeArgument {
  /** System property with the unet4j installation folder, set by the launcher. */
  static final String HOME = "unet4j.home";

  private RecipeArgument() {}

  static Recipe load(String nameOrPath) {
    try {
      return Recipes.load(nameOrPath);
    } catch (SpecException e) {
      throw new UserException(e.path().isEmpty() ? e.getMessage() : "recipe " + nameOrPath + ": " + e.getMessage());
    }
  }

  /**
   * The recipe with {@code --set path=value} overrides applied and validated; what the overrides
   * changed besides the fields named (a shortened warm-up) is said on standard error.
   */
  static Recipe withOverrides(Recipe recipe, List<String> assignments) {
    try {
      return Recipes.withOverrides(recipe, assignments, note -> System.err.println("unet4j: note: --set " + note));
    } catch (SpecException e) {
      throw new UserException("--set " + e.getMessage());
    }
  }

  /**
   * The recipe with {@code --set} overrides applied and its data paths made absolute, as a run
   * records them: the recipe's own paths against {@link Recipes#dataBase} (a recipe file's folder,
   * or the working directory for a bundled recipe), paths given with {@code --set} against the
   * working directory, where the user typed them.
   */
  static Recipe loadWithData(String nameOrPath, List<String> assignments) {
    Recipe recipe = load(nameOrPath);
    Recipe resolved = recipe.toBuilder().data(recipe.data().resolvedAgainst(Recipes.dataBase(nameOrPath))).build();
    Recipe overridden = withOverrides(resolved, assignments);
    return overridden.toBuilder().data(overridden.data().resolvedAgainst(Path.of(""))).build();
  }
}
