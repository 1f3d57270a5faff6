package org.unet4j.spark;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.io.Serializable;
import java.nio.file.Path;

/**
 * One input image file and the name its outputs get ({@code NAME_prob.tif}, ...). The path is a
 * string because it travels to the executors; every executor must see the file at this path.
 *
 * @param name the output name: the file name without its extension
 * @param path the absolute path of the file
 */
public record InputImage(String name, String path) implements Serializable {
  private static final long serialVersionUID = 1L;

  public InputImage {
    checkNotNull(name, "name");
    checkNotNull(path, "path");
    checkArgument(!name.isEmpty(), "an image name is not empty (%s)", path);
  }

  public Path file() {
    return Path.of(path);
  }
}
