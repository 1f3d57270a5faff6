package org.unet4j.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code unet4j completion}: prints a bash (and zsh, through {@code bashcompinit}) completion
 * script for every command and option, generated from the command line itself so it never falls
 * behind.
 */
@Command(name = "completion", description = {"Print a shell completion script for bash and zsh.",
    "Load it into the current shell with: source <(./unet4j completion)",
    "or install it: ./unet4j completion > ~/.local/share/bash-completion/completions/unet4j"})
final class CompletionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    out.print(AutoComplete.bash("unet4j", spec.root().commandLine()));
    out.flush();
    return 0;
  }
}
