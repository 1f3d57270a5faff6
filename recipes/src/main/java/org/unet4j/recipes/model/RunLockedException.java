package org.unet4j.recipes.model;

/** Another process is writing the run directory; nothing in it was changed. */
public final class RunLockedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RunLockedException(String message) {
    super(message);
  }
}
