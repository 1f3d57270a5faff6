package org.unet4j.recipes.data;

import org.unet4j.dsl.InvalidInputException;

/**
 * Images, labels or lists of them that cannot be used as given: an image without labels, labels of
 * another size, a channel count the model does not read, a pixel that is not a finite number, a
 * pattern or list file that names no image, two inputs that would write the same output. The
 * message names the file (or the image's place in the data) and says what would be valid.
 */
public final class DataException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  public DataException(String message) {
    super(message);
  }

  public DataException(String message, Throwable cause) {
    super(message, cause);
  }
}
