package org.unet4j.recipes.model;

import org.unet4j.dsl.InvalidInputException;

/** A checkpoint that cannot be used: missing, corrupt, or made for another architecture. */
public final class CheckpointException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  public CheckpointException(String message) {
    super(message);
  }

  public CheckpointException(String message, Throwable cause) {
    super(message, cause);
  }
}
