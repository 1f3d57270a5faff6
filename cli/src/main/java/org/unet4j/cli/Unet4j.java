package org.unet4j.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ServiceLoader;
import org.unet4j.dsl.InvalidInputException;
import org.unet4j.recipes.train.TrainingDivergedException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code unet4j} command, and the one place that maps errors to messages and exit statuses,
 * the same for every command (and for those that other modules add through a {@link CommandProvider},
 * such as {@code spark-predict}):
 * a mistake in what was given (options, recipe, an input file that cannot be read) is one line
 * and status 2; an output that cannot be written or a diverged run is one line and status 1;
 * anything else is a bug, shown as an internal error with status 1, never as a user mistake.
 * {@code --verbose} adds the stack trace.
 *
 * <p>What users get wrong arrives as an {@link InvalidInputException} (a recipe, data, checkpoint,
 * model mismatch, evaluation input or output folder) whose message speaks of specs, files and shapes;
 * a command catches one only to put its option's name in front. A plain
 * {@code IllegalArgumentException} is a broken contract inside unet4j and so an internal error.
 */
@Command(name = "unet4j", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT,
    versionProvider = Version.class,
    description = "Declare, train and run U-Net segmentation networks (Ronneberger et al. 2015) on the JVM.",
    footerHeading = "%nExamples:%n",
    footer = {"  ./unet4j demo", "  ./unet4j train nuclei-demo --out runs/nuclei",
        "  ./unet4j predict --model runs/nuclei --out predictions 'images/*.tif'",
        "  ./unet4j help predict"},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:done",
        "1:failed: an output could not be written (read-only or full disk), training diverged, or an internal"
            + " error (--verbose shows its stack trace)",
        "2:a mistake in what was given: a bad option, recipe, tile, or an input file that is missing, damaged or"
            + " of a kind unet4j does not read; one line says what was wrong and what is valid"},
    subcommands = {InspectCommand.class, TrainCommand.class, ExportCommand.class, SchemaCommand.class,
        RecipesCommand.class, DemoCommand.class,
        WeightMapCommand.class,
        AugmentCommand.class,
        PredictCommand.class,
        EvaluateCommand.class,
        BenchCommand.class,
        CompletionCommand.class,
        CommandLine.HelpCommand.class})
public final class Unet4j {
  /** Exit status for a user mistake: bad recipe, invalid option value. */
  public static final int USAGE = 2;

  @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
      description = "Show stack traces of errors.")
  boolean verbose;

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /**
   * Runs the command line with the given streams and returns the exit status; the commands of every
   * {@link CommandProvider} on the class path are added to the built-in ones.
   */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return run(args, out, err, ServiceLoader.load(CommandProvider.class));
  }

  /** {@link #run(String[], PrintWriter, PrintWriter)} with the given providers instead of the class path's. */
  static int run(String[] args, PrintWriter out, PrintWriter err, Iterable<CommandProvider> providers) {
    CommandLine cli = new CommandLine(new Unet4j());
    for (CommandProvider provider : providers) {
      for (Object command : provider.commands()) {
        cli.addSubcommand(command);
      }
    }
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler((e, line, parsed) -> {
      boolean verbose = parsed.matchedOption("--verbose") != null
          || parsed.subcommands().stream().anyMatch(p -> p.matchedOption("--verbose") != null);
      String command = "unet4j " + line.getCommandName() + ": ";
      int status;
      if (e instanceof UserException || e instanceof InvalidInputException) {
        err.println(command + e.getMessage());
        status = USAGE;
      } else if (e instanceof TrainingDivergedException || e instanceof UncheckedIOException) {
        err.println(command + e.getMessage());
        status = 1;
      } else {
        err.println(command + "internal error: " + e);
        if (!verbose) {
          err.println("(a bug in unet4j, not in what was given; rerun with --verbose for the stack trace)");
        }
        status = 1;
      }
      if (verbose) {
        e.printStackTrace(err);
      }
      return status;
    });
    return cli.execute(args);
  }
}
