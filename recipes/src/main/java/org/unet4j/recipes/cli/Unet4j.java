package org.unet4j.recipes.cli;

import java.io.PrintWriter;
import org.unet4j.dsl.SpecException;
import org.unet4j.recipes.train.TrainingDivergedException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code unet4j} command. User mistakes (a bad recipe, an invalid tile) print one clear line
 * and exit with status 2; {@code --verbose} adds the stack trace.
 */
@Command(name = "unet4j", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT,
    versionProvider = Version.class,
    description = "Declare, train and run U-Net segmentation networks (Ronneberger et al. 2015) on the JVM.",
    footerHeading = "%nExamples:%n",
    footer = {"  ./unet4j demo", "  ./unet4j train nuclei-demo --out runs/nuclei",
        "  ./unet4j predict --model runs/nuclei --out predictions 'images/*.tif'",
        "  ./unet4j help predict"},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:done", "1:failed: training diverged, a file could not be read or written, an internal error",
        "2:a usage mistake (bad option, recipe, tile or input); one line says what was wrong and what is valid"},
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

  /** Runs the command line with the given streams and returns the exit status. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return run(args, out, err, new Object[0]);
  }

  /**
   * {@link #run(String[], PrintWriter, PrintWriter)} with more subcommands: picocli command
   * objects from modules that build on this one (such as {@code spark-predict}), with the same
   * error handling and exit statuses.
   */
  public static int run(String[] args, PrintWriter out, PrintWriter err, Object... subcommands) {
    CommandLine cli = new CommandLine(new Unet4j());
    for (Object subcommand : subcommands) {
      cli.addSubcommand(subcommand);
    }
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler((e, line, parsed) -> {
      boolean verbose = parsed.matchedOption("--verbose") != null
          || parsed.subcommands().stream().anyMatch(p -> p.matchedOption("--verbose") != null);
      if (e instanceof UserException || e instanceof SpecException) {
        err.println("unet4j " + line.getCommandName() + ": " + e.getMessage());
        if (verbose) {
          e.printStackTrace(err);
        }
        return USAGE;
      }
      if (e instanceof TrainingDivergedException) {
        err.println("unet4j " + line.getCommandName() + ": " + e.getMessage());
        return 1;
      }
      err.println("unet4j " + line.getCommandName() + ": failed: " + e);
      if (verbose) {
        e.printStackTrace(err);
      } else {
        err.println("(run with --verbose for the stack trace)");
      }
      return 1;
    });
    return cli.execute(args);
  }
}
