package org.unet4j.cli;

import org.unet4j.dsl.json.RecipeFormat;
import picocli.CommandLine.IVersionProvider;

/** {@code unet4j --version}: the release and the recipe format it reads. */
final class Version implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String release = Unet4j.class.getPackage().getImplementationVersion();
    return new String[] {
        "unet4j " + (release == null ? "(development build)" : release),
        "recipe format version " + RecipeFormat.CURRENT_VERSION,
    };
  }
}
