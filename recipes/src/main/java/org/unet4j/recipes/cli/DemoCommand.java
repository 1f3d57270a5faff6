package org.unet4j.recipes.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code unet4j demo}: the end-to-end run on the bundled nuclei images. */
@Command(name = "demo", description = "Train, predict and evaluate on bundled nuclei images.")
final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getErr().println(String.join("\n",
        "unet4j demo: not available yet. Its steps already work one by one on the bundled nuclei images:",
        "  ./unet4j train nuclei-demo --out runs/demo",
        "  ./unet4j predict --model runs/demo --out runs/demo/predictions data/bbbc039/test/images",
        "  ./unet4j evaluate --truth data/bbbc039/test/masks --pred runs/demo/predictions --labels color-components"));
    return 3;
  }
}
