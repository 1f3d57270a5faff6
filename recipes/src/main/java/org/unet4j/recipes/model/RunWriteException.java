package org.unet4j.recipes.model;

import java.nio.file.Path;

/**
 * A file of a run could not be written (a full disk, a lost mount, a quota): says what happened
 * and to which file. The checkpoint being written is discarded; earlier ones are intact.
 */
public final class RunWriteException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Path file;

  public RunWriteException(Path file, String message, Throwable cause) {
    super(message, cause);
    this.file = file;
  }

  /** The file or folder that could not be written. */
  public Path file() {
    return file;
  }
}
