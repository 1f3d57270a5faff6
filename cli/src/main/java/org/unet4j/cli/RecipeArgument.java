package org.unet4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.unet4j.dsl.SpecException;
import org.unet4j.dsl.recipe.DataSpec;
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
   * The folder that relative data paths of the recipe resolve against: a recipe file's own folder;
   * for a bundled recipe the unet4j installation (where its bundled data lies), else the working
   * directory.
   */
  static Path base(String nameOrPath) {
    Path file = Path.of(nameOrPath);
    if (Files.isRegularFile(file)) {
      return file.toAbsolutePath().getParent();
    }
    return Path.of(System.getProperty(HOME, "")).toAbsolutePath();
  }

  /** The recipe with its data paths made absolute against {@code base}, as a run records it. */
  static Recipe resolveData(Recipe recipe, Path base) {
    DataSpec d = recipe.data();
    DataSpec resolved = new DataSpec(absolute(d.images(), base), absolute(d.labels(), base), d.labelFormat(),
        d.normalization(), d.validationFraction());
    return new Recipe(recipe.name(), recipe.description(), recipe.model(), recipe.loss(), recipe.augmentation(),
        recipe.training(), resolved, recipe.inference());
  }

  private static String absolute(String pattern, Path base) {
    return pattern.isBlank() ? pattern : base.resolve(pattern).normalize().toString();
  }
}
