package org.unet4j.cli;

import java.util.concurrent.Callable;
import org.unet4j.dsl.recipe.Recipes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code unet4j schema}: the JSON Schema of recipes, generated from the specs. */
@Command(name = "schema", description = "Print the JSON Schema of recipes (draft 2020-12).")
final class SchemaCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getOut().print(Recipes.schema());
    spec.commandLine().getOut().flush();
    return 0;
  }
}
