package org.unet4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Commands that another module adds through {@link CommandProvider} run like the built-in ones. */
class CommandProviderTest {
  /** A command with an option, to see that a second run does not see the first run's value. */
  @Command(name = "greet", description = "Say hello.")
  static final class Greet implements Callable<Integer> {
    @Option(names = "--name") String name = "world";

    @Override
    public Integer call() {
      if (name.isEmpty()) {
        throw new UserException("--name: expected a name, got an empty one");
      }
      GREETED.add(name);
      return 0;
    }
  }

  private static final List<String> GREETED = new ArrayList<>();

  private static CliRun run(CommandProvider provider, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = Unet4j.run(args, new PrintWriter(out, true), new PrintWriter(err, true), List.of(provider));
    return new CliRun(status, out.toString(), err.toString());
  }

  @Test
  void aProvidedCommandIsListedRunsAndFailsLikeTheBuiltInOnes() {
    GREETED.clear();
    int[] asked = {0};
    CommandProvider provider = () -> {
      asked[0]++;
      return List.of(new Greet());
    };
    CliRun help = run(provider, "--help");
    assertEquals(0, help.status(), help.err());
    assertTrue(help.out().contains("greet") && help.out().contains("Say hello."), help.out());
    assertTrue(help.out().contains("predict"), "the built-in commands stay: " + help.out());

    assertEquals(0, run(provider, "greet", "--name", "Olaf").status());
    assertEquals(0, run(provider, "greet").status());
    assertEquals(List.of("Olaf", "world"), GREETED, "each run gets new command objects");
    assertEquals(3, asked[0], "the provider is asked once per run");

    CliRun bad = run(provider, "greet", "--name", "");
    assertEquals(Unet4j.USAGE, bad.status());
    assertEquals("unet4j greet: --name: expected a name, got an empty one\n", bad.err());
  }

  /** The cli module registers no provider itself: only modules built on it add commands. */
  @Test
  void theClassPathOfTheCommandLineAloneAddsNothing() {
    CliRun help = CliRun.of("--help");
    assertEquals(0, help.status(), help.err());
    assertFalse(help.out().contains("spark-predict"), help.out());
    assertFalse(help.out().contains("greet"), help.out());
  }
}
