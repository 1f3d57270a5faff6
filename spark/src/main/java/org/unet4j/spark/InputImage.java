package org.unet4j.spark;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.unet4j.recipes.infer.PredictionInputs;

/**
 * One input image file and the name its outputs get ({@code NAME_prob.tif}, ...). The path is a
 * string because it travels to the executors; every executor must see the file at this path.
 *
 * @param name the output name: the file name without its extension
 * @param path the absolute path of the file
 */
public record InputImage(String name, String path) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The inputs of a batch, by output name in the order given. */
  public static List<InputImage> of(PredictionInputs inputs) {
    List<InputImage> images = new ArrayList<>(inputs.inputs().size());
    inputs.inputs().forEach((name, file) -> images.add(new InputImage(name, file.toString())));
    return images;
  }

  public InputImage {
    checkNotNull(name, "name");
    checkNotNull(path, "path");
    checkArgument(!name.isEmpty(), "an image name is not empty (%s)", path);
  }

  public Path file() {
    return Path.of(path);
  }
}
