package org.unet4j.recipes.data;

import java.nio.file.Path;
import org.unet4j.dsl.InvalidInputException;

/**
 * An image file that cannot be read: missing, empty, not a TIFF or PNG, or holding samples unet4j
 * does not read (signed or 32-bit integers, 64-bit floats). The message starts with the file and
 * says what is wrong and, where there is one, what to do.
 */
public final class ImageReadException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  private final String file;

  public ImageReadException(Path file, String problem) {
    super(file + ": " + problem);
    this.file = file.toString();
  }

  public ImageReadException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
    this.file = file.toString();
  }

  /** The file that could not be read. */
  public Path file() {
    return Path.of(file);
  }
}
