package org.unet4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CompletionCommandTest {
  @Test
  void completionScriptKnowsEveryCommandAndTheirOptions() {
    CliRun run = CliRun.of("completion");
    assertEquals(0, run.status(), run.err());
    String script = run.out();
    assertTrue(script.startsWith("#!/usr/bin/env bash"), script.substring(0, 80));
    assertTrue(script.contains("complete -F _complete_unet4j"), "registers the completion function");
    for (String command : List.of("demo", "train", "predict", "evaluate", "inspect", "weight-map", "augment",
        "export", "schema", "recipes", "completion")) {
      assertTrue(script.contains(command), command);
    }
    // Options of a subcommand are offered after it.
    assertTrue(script.contains("--threshold"), "predict's options");
    assertTrue(script.contains("--resume"), "train's options");
  }

  @Test
  void helpListsTheExitStatusesAndExamples() {
    CliRun run = CliRun.of("--help");
    assertEquals(0, run.status(), run.err());
    assertTrue(run.out().contains("Exit status:"), run.out());
    assertTrue(run.out().contains("  2   a mistake in what was given: a bad option, recipe, tile"), run.out());
    assertTrue(run.out().contains("./unet4j predict --model runs/nuclei"), run.out());
  }
}
