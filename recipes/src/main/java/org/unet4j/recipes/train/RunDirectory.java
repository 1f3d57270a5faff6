package org.unet4j.recipes.train;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The folder of one training run: the resolved {@code recipe.json}, {@code metrics.csv},
 * {@code loss.png}, {@code train.log} and {@code checkpoints/}.
 */
public record RunDirectory(Path root) {
  /** How many checkpoints a run keeps. */
  public static final int KEEP_CHECKPOINTS = 3;

  public Path recipe() {
    return root.resolve("recipe.json");
  }

  public Path metrics() {
    return root.resolve("metrics.csv");
  }

  public Path lossCurve() {
    return root.resolve("loss.png");
  }

  public Path log() {
    return root.resolve("train.log");
  }

  public Checkpoints checkpoints() {
    return new Checkpoints(root.resolve("checkpoints"), KEEP_CHECKPOINTS);
  }

  /** Whether a run was started here (its recipe was written). */
  public boolean holdsRun() {
    return Files.isRegularFile(recipe());
  }
}
