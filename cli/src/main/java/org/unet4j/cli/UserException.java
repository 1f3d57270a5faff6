package org.unet4j.cli;

/** A mistake in what the user asked for: reported as one line, no stack trace. */
public final class UserException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UserException(String message) {
    super(message);
  }
}
