package org.unet4j.recipes.model;

import java.nio.file.Path;
import java.util.Map;

/**
 * A complete checkpoint on disk: the folder {@code ckpt-000500} holding TensorFlow's
 * {@code model.index} and {@code model.data-*} files, plus {@code meta.json} with the step, the
 * loss, every variable's shape and the SHA-256 of every file.
 *
 * @param variables variable path -> shape, e.g. {@code contracting/0/conv1/kernel -> [3, 3, 1, 16]}
 */
public record Checkpoint(Path directory, long step, double loss, Map<String, long[]> variables) {
  /** TensorFlow's file prefix inside the folder. */
  public static final String PREFIX = "model";

  /** The prefix to pass to {@code Session.save/restore}. */
  public String prefix() {
    return directory.resolve(PREFIX).toString();
  }
}
