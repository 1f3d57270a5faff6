package org.unet4j.recipes.model;

import org.unet4j.dsl.InvalidInputException;

/** Another process is writing the run directory; nothing in it was changed. */
public final class RunLockedException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  public RunLockedException(String message) {
    super(message);
  }
}
