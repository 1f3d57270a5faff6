package org.unet4j.dsl;

/**
 * Something a user gave that cannot be used: a recipe or spec ({@link SpecException}), an image or
 * label file, a run, checkpoint or model export, a tile that does not fit the model. The message
 * says what was received and what would be valid, in terms of specs, files and shapes; it never
 * names a command-line option, because the same library runs from code, from Spark and from the
 * command line, and only the command line knows its options (it puts them in front itself).
 *
 * <p>The runtime throws a subclass that says where the mistake lies (data, checkpoint, model
 * mismatch, evaluation input, output folder); the {@code unet4j} command line reports every one as
 * a single line with exit status 2. A plain {@link IllegalArgumentException},
 * {@link IllegalStateException} or {@link NullPointerException} is a broken contract between parts
 * of unet4j, a bug, and is reported as an internal error with status 1, never as a user mistake.
 * This class extends {@code IllegalArgumentException} so that callers catching that keep working.
 */
public class InvalidInputException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public InvalidInputException(String message) {
    super(message);
  }

  public InvalidInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
