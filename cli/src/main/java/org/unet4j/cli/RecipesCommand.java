package org.unet4j.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.dsl.recipe.Recipes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code unet4j recipes}: the bundled recipes, by name, with their descriptions. */
@Command(name = "recipes", description = "List the bundled recipes.")
final class RecipesCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    // the names in one column as wide as the longest, so the descriptions line up
    int width = Recipes.bundled().stream().mapToInt(String::length).max().orElse(1);
    for (String name : Recipes.bundled()) {
      Recipe recipe = Recipes.load(name);
      out.printf("%-" + width + "s  %s%n", name, recipe.description());
    }
    out.flush();
    return 0;
  }
}
