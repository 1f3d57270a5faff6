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
    spec.commandLine().getErr().println("unet4j demo: not available yet. Training and prediction are still being"
        + " built; meanwhile `unet4j inspect nuclei-demo` shows the demo's model.");
    return 3;
  }
}
