package org.unet4j.recipes.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.unet4j.recipes.data.OutputFolderException;

/**
 * The folder of one training run: the resolved {@code recipe.json}, {@code metrics.csv},
 * {@code loss.png}, {@code train.log}, {@code checkpoints/} and, while a process writes it,
 * {@code run.lock}.
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

  /** The lock file of the process writing the run (see {@link RunLock}). */
  public Path lock() {
    return root.resolve(RunLock.FILE);
  }

  public Checkpoints checkpoints() {
    return new Checkpoints(root.resolve("checkpoints"), KEEP_CHECKPOINTS);
  }

  /** Whether a run was started here (its recipe was written). */
  public boolean holdsRun() {
    return Files.isRegularFile(recipe());
  }

  /**
   * Checks, without changing anything, that a new run can start here: the folder holds no run and
   * it, or the folder it would be created in, can be written. Meant to be called before loading
   * data, so that a mistake is reported at once.
   *
   * @throws OutputFolderException saying what is wrong with the folder
   * @throws RunWriteException when the folder cannot be written
   */
  public void checkCanStart() {
    if (holdsRun()) {
      throw new OutputFolderException(root, root + " already holds a run; continue it (resume) or choose another"
          + " folder for the new run");
    }
    checkWritable();
  }

  /**
   * Checks, without changing anything, that the run here can be continued: it holds a run and can
   * be written.
   *
   * @throws OutputFolderException saying what is wrong
   */
  public void checkCanResume() {
    if (!holdsRun()) {
      throw new OutputFolderException(root, root + " holds no run to resume (no recipe.json); start a new run there"
          + " instead");
    }
    checkWritable();
  }

  /**
   * The folder, or its nearest existing ancestor, must be a folder in which a file can be created:
   * permission bits alone do not tell (root ignores them; {@code /proc} refuses anyway), so a probe
   * file is created and deleted.
   */
  private void checkWritable() {
    Path absolute = root.toAbsolutePath().normalize();
    Path existing = absolute;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      throw new OutputFolderException(root, "cannot create " + root + ": none of its parent folders exists");
    }
    if (!Files.isDirectory(existing)) {
      throw new OutputFolderException(root, existing.equals(absolute)
          ? root + " is a file, not a folder; a run needs a folder of its own"
          : "cannot create " + root + ": " + existing + " is a file, not a folder");
    }
    try {
      Path probe = Files.createTempFile(existing, ".unet4j-probe-", "");
      Files.delete(probe);
    } catch (IOException | UnsupportedOperationException e) {
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      // Not a mistake in what was asked but a folder that refuses writes: a failed write (status 1).
      throw new RunWriteException(existing, "cannot write in " + existing + (existing.equals(absolute) ? "" : " (to"
          + " create " + root + ")") + ": " + why + "; choose a folder that can be written", e);
    }
  }
}
