package org.unet4j.recipes.train;

import org.unet4j.dsl.InvalidInputException;

/**
 * A run was to be resumed but every checkpoint it holds is damaged. Starting again at step 0 would
 * silently throw its training away, so the trainer stops unless told to restart; nothing in the run
 * was changed.
 */
public final class NoUsableCheckpointException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  public NoUsableCheckpointException(String message) {
    super(message);
  }
}
