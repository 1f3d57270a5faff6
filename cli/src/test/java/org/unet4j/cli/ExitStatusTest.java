package org.unet4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unet4j.dsl.InvalidInputException;
import org.unet4j.dsl.SpecException;
import org.unet4j.recipes.data.DataException;
import org.unet4j.recipes.data.ImageIo;
import org.unet4j.recipes.data.ImageReadException;
import org.unet4j.recipes.data.OutputFolderException;
import org.unet4j.recipes.eval.EvaluationInput;
import org.unet4j.recipes.eval.EvaluationInputException;
import org.unet4j.recipes.model.ModelMismatchException;
import org.unet4j.recipes.model.CheckpointException;
import org.unet4j.recipes.train.NoUsableCheckpointException;
import org.unet4j.recipes.model.RunLockedException;
import picocli.CommandLine.Command;

/**
 * One rule for exit statuses, the same for every command: inputs that cannot be read are a
 * mistake in what was given (2), outputs that cannot be written fail (1), and a bug is an
 * internal error (1), never shown as a user mistake.
 */
class ExitStatusTest {
  @TempDir Path dir;

  /** A command that fails with a bug. */
  @Command(name = "buggy")
  static final class Buggy implements Callable<Integer> {
    private final RuntimeException bug;

    Buggy(RuntimeException bug) {
      this.bug = bug;
    }

    @Override
    public Integer call() {
      throw bug;
    }
  }

  /** A command that calls the library against its contract: an image of width -1. */
  @Command(name = "wrong-call")
  static final class WrongCall implements Callable<Integer> {
    @Override
    public Integer call() {
      org.unet4j.recipes.data.Image.gray(-1, 2, org.unet4j.recipes.data.PixelType.UINT8, new float[0]);
      return 0;
    }
  }

  private static CliRun run(Object command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandProvider provider = () -> List.of(command);
    int status = Unet4j.run(args, new PrintWriter(out, true), new PrintWriter(err, true), List.of(provider));
    return new CliRun(status, out.toString(), err.toString());
  }

  /** IllegalStateException, NullPointerException and IllegalArgumentException from a bug alike. */
  @Test
  void aBugIsAnInternalErrorNotAUserMistake() {
    for (RuntimeException bug : new RuntimeException[] {new IllegalStateException("sums out of step"),
        new NullPointerException("model"), new IllegalArgumentException("index -1")}) {
      CliRun r = run(new Buggy(bug), "buggy");
      assertEquals(1, r.status(), r.err());
      assertEquals("unet4j buggy: internal error: " + bug + "\n(a bug in unet4j, not in what was given; rerun with"
          + " --verbose for the stack trace)", r.err().strip());
      CliRun verbose = run(new Buggy(bug), "buggy", "--verbose");
      assertEquals(1, verbose.status());
      assertTrue(verbose.err().contains("\tat "), "stack trace: " + verbose.err());
    }
  }

  /**
   * Every kind of mistake in what was given, thrown by the library from inside a command, reaches
   * the one handler as status 2 with its own message on one line and no stack trace.
   */
  @Test
  void everyKindOfUserMistakeIsStatusTwoWithItsMessage() {
    Path file = Path.of("runs", "a");
    List<RuntimeException> mistakes = List.of(
        new InvalidInputException("something given is wrong"),
        new SpecException("model.classes", "expected 2..64, got 1"),
        new ImageReadException(file, "not a TIFF or PNG file"),
        new DataException("x.tif has 3 channel(s) but the model reads 1 (model.inputChannels)"),
        new OutputFolderException(file, file + " already holds a run"),
        new ModelMismatchException("tile 500 does not fit paper: valid near it: 492, 508"),
        new CheckpointException("checkpoint runs/a/step-10 is damaged"),
        new EvaluationInputException(EvaluationInput.TRUTH, "t.tif: no such file or folder"),
        new RunLockedException("runs/a is being written by another process"),
        new NoUsableCheckpointException("every checkpoint of runs/a is damaged"));
    for (RuntimeException mistake : mistakes) {
      CliRun r = run(new Buggy(mistake), "buggy");
      assertEquals(Unet4j.USAGE, r.status(), mistake + ": " + r.err());
      assertEquals("unet4j buggy: " + mistake.getMessage(), r.err().strip(), mistake.toString());
    }
    assertTrue(mistakes.stream().allMatch(m -> m instanceof IllegalArgumentException),
        "callers that catch IllegalArgumentException keep catching them all");
  }

  /**
   * A library precondition broken by a command (a Guava checkArgument) is a bug, status 1, even
   * though it is an IllegalArgumentException as the user mistakes are.
   */
  @Test
  void aBrokenPreconditionInsideTheLibraryIsAnInternalError() {
    CliRun r = run(new WrongCall(), "wrong-call");
    assertEquals(1, r.status(), r.err());
    assertTrue(r.err().startsWith("unet4j wrong-call: internal error: java.lang.IllegalArgumentException"), r.err());
    assertTrue(r.err().contains("a bug in unet4j, not in what was given"), r.err());
  }

  /**
   * evaluate writing its JSON into a folder that is a file: status 1 (an output), and no file of
   * the name left behind, as predict does for an output it cannot write.
   */
  @Test
  void anUnwritableOutputFailsWithStatusOne() throws IOException {
    Path truth = dir.resolve("truth.png");
    Path pred = dir.resolve("pred.png");
    org.unet4j.recipes.data.Image square = org.unet4j.recipes.data.Image.gray(4, 4,
        org.unet4j.recipes.data.PixelType.UINT8, new float[] {0, 0, 0, 0, 0, 255, 255, 0, 0, 255, 255, 0, 0, 0, 0, 0});
    ImageIo.writePng(truth, square);
    ImageIo.writePng(pred, square);
    Path notAFolder = Files.writeString(dir.resolve("file"), "x");
    CliRun r = CliRun.of("evaluate", "--truth", truth.toString(), "--pred", pred.toString(), "--json",
        notAFolder.resolve("scores.json").toString());
    assertEquals(1, r.status(), r.err());
    assertTrue(r.err().startsWith("unet4j evaluate: cannot write " + notAFolder.resolve("scores.json")), r.err());
    assertFalse(r.err().contains("internal error"), r.err());
  }

  /** A damaged input file is a mistake in what was given: status 2, one line naming the file. */
  @Test
  void aDamagedInputIsStatusTwo() throws IOException {
    Path truth = dir.resolve("truth.tif");
    Files.write(truth, new byte[] {'I', 'I', 42, 0, 8, 0, 0, 0, 1});
    Path pred = dir.resolve("pred.png");
    ImageIo.writePng(pred, org.unet4j.recipes.data.Image.gray(2, 2, org.unet4j.recipes.data.PixelType.UINT8,
        new float[4]));
    CliRun r = CliRun.of("evaluate", "--truth", truth.toString(), "--pred", pred.toString());
    assertEquals(Unet4j.USAGE, r.status(), r.err());
    assertTrue(r.err().startsWith("unet4j evaluate: " + truth), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
  }
}
