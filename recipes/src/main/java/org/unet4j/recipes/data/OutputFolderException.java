package org.unet4j.recipes.data;

import java.nio.file.Path;
import org.unet4j.dsl.InvalidInputException;

/**
 * An output folder that was given but cannot take the outputs: it is a file, it is not empty, it
 * already holds a run (or holds none to resume), or none of its parents exists. Nothing was written.
 * A folder that is fine but refuses the write itself (a full or read-only disk) is not this: that
 * is an {@link java.io.UncheckedIOException}, a failure rather than a mistake in what was given.
 */
public final class OutputFolderException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  private final String folder;

  public OutputFolderException(Path folder, String message) {
    super(message);
    this.folder = folder.toString();
  }

  public OutputFolderException(Path folder, String message, Throwable cause) {
    super(message, cause);
    this.folder = folder.toString();
  }

  /** The folder that was given. */
  public Path folder() {
    return Path.of(folder);
  }
}
