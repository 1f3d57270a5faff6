package org.unet4j.recipes.model;

import com.google.common.collect.ImmutableList;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;
import org.unet4j.dsl.SpecException;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.dsl.recipe.Recipes;

/**
 * Where a predictor's weights and recipe come from: a run directory (its best checkpoint by the
 * validation score of {@code training.selectBy} when it keeps one, else its newest checkpoint that
 * verifies, with the run's {@code recipe.json}; {@link #choice} says which), one checkpoint folder
 * {@code RUN/checkpoints/ckpt-NNNNNNNNN} (with the recipe two folders up) or a model export
 * ({@code unet4j export}), whose graph is fixed to one tile. Resolving reads only small files;
 * {@code Predictor.open} loads the weights.
 */
public final class ModelSource {
  /** What kind of folder the model is. */
  public enum Kind {
    RUN,
    CHECKPOINT,
    EXPORT
  }

  private final Kind kind;
  private final Path directory;
  private final Recipe recipe;
  private final @Nullable Checkpoint checkpoint;
  private final @Nullable ModelInfo exportInfo;
  private final ImmutableList<String> skipped;
  private final @Nullable BestCheckpoint best;
  private final @Nullable Checkpoint newest;

  private ModelSource(Kind kind, Path directory, Recipe recipe, @Nullable Checkpoint checkpoint,
      @Nullable ModelInfo exportInfo, List<String> skipped) {
    this(kind, directory, recipe, checkpoint, exportInfo, skipped, null, null);
  }

  private ModelSource(Kind kind, Path directory, Recipe recipe, @Nullable Checkpoint checkpoint,
      @Nullable ModelInfo exportInfo, List<String> skipped, @Nullable BestCheckpoint best,
      @Nullable Checkpoint newest) {
    this.best = best;
    this.newest = newest;
    this.kind = kind;
    this.directory = directory;
    this.recipe = recipe;
    this.checkpoint = checkpoint;
    this.exportInfo = exportInfo;
    this.skipped = ImmutableList.copyOf(skipped);
  }

  /**
   * Finds out what {@code path} is and reads its recipe (and, for a run or checkpoint, verifies the
   * checkpoint's checksums).
   *
   * @throws CheckpointException when {@code path} does not exist, is a file, or is none of
   *     the three kinds, or its recipe is not valid
   * @throws CheckpointException when a run has no usable checkpoint or a checkpoint is damaged
   */
  public static ModelSource of(Path path) {
    Path from = path.toAbsolutePath().normalize();
    if (!Files.exists(from)) {
      throw new CheckpointException("no such model: " + path + "; give a run directory, a checkpoint folder"
          + " (RUN/checkpoints/ckpt-NNNNNNNNN) or a model export (unet4j export)");
    }
    if (!Files.isDirectory(from)) {
      throw new CheckpointException(path + " is a file; give a run directory, a checkpoint folder"
          + " (RUN/checkpoints/ckpt-NNNNNNNNN) or a model export (unet4j export)");
    }
    if (Files.isRegularFile(from.resolve(ModelExport.SAVED_MODEL))
        || Files.isRegularFile(from.resolve(ModelExport.MODEL_INFO))) {
      ModelInfo info = readInfo(from.resolve(ModelExport.MODEL_INFO));
      Recipe recipe = loadRecipe(from.resolve(ModelExport.RECIPE), "the export's recipe");
      return new ModelSource(Kind.EXPORT, from, recipe, null, info, List.of());
    }
    RunDirectory run = new RunDirectory(from);
    if (run.holdsRun()) {
      Recipe recipe = loadRecipe(run.recipe(), "the run's recipe");
      List<String> skipped = new ArrayList<>();
      Checkpoints checkpoints = run.checkpoints();
      Optional<BestCheckpoint> best = checkpoints.best(skipped);
      Optional<Checkpoint> latest = checkpoints.latest(skipped);
      if (best.isEmpty() && latest.isEmpty()) {
        throw new CheckpointException(skipped.isEmpty()
            ? "no checkpoint in " + checkpoints.directory() + "; the run has not saved one yet"
            : "no usable checkpoint in " + checkpoints.directory() + ": " + String.join("; ", skipped));
      }
      return new ModelSource(Kind.RUN, from, recipe, best.map(BestCheckpoint::checkpoint).orElseGet(latest::get),
          null, skipped, best.orElse(null), latest.orElse(null));
    }
    String name = from.getFileName() == null ? "" : from.getFileName().toString();
    if (Files.isRegularFile(from.resolve("meta.json")) || name.startsWith("ckpt-")) {
      Checkpoint checkpoint = Checkpoints.read(from);
      @Nullable Path runRoot = from.getParent() == null ? null : from.getParent().getParent();
      if (runRoot == null || !new RunDirectory(runRoot).holdsRun()) {
        throw new CheckpointException("checkpoint " + path + " is not inside a run directory: there is no"
            + " recipe.json two folders up; give the run directory instead");
      }
      Recipe recipe = loadRecipe(new RunDirectory(runRoot).recipe(), "the run's recipe");
      return new ModelSource(Kind.CHECKPOINT, from, recipe, checkpoint, null, List.of());
    }
    throw new CheckpointException(path + " is not a model: it is neither a run directory (no recipe.json), a"
        + " checkpoint folder (no meta.json) nor a model export (no " + ModelExport.SAVED_MODEL + ")");
  }

  public Kind kind() {
    return kind;
  }

  /** The folder, absolute. */
  public Path directory() {
    return directory;
  }

  /** The recipe the model was trained with; its inference spec is the default for prediction. */
  public Recipe recipe() {
    return recipe;
  }

  /** The checkpoint of a run or checkpoint folder; null for an export. */
  public @Nullable Checkpoint checkpoint() {
    return checkpoint;
  }

  /** The tile an export's graph is fixed to; empty for runs and checkpoints, which take any valid tile. */
  public OptionalInt fixedTile() {
    return exportInfo == null ? OptionalInt.empty() : OptionalInt.of(exportInfo.tile());
  }

  /** The training step of the weights. */
  public long step() {
    return checkpoint != null ? checkpoint.step() : exportInfo == null ? 0 : exportInfo.step();
  }

  /** The best checkpoint of a run that keeps one ({@code training.selectBy}), whose weights these are. */
  public Optional<BestCheckpoint> best() {
    return Optional.ofNullable(best);
  }

  /**
   * Which checkpoint of a run these weights are, for people: {@code the best checkpoint (step 300,
   * validation iou 0.9120) of /runs/x; the newest is step 500}, or {@code the newest checkpoint
   * (step 500) of /runs/x}; for a checkpoint folder or an export, that folder.
   */
  public String choice() {
    if (kind != Kind.RUN) {
      return describe();
    }
    if (best == null) {
      return String.format(Locale.ROOT, "the newest checkpoint (step %d) of %s", step(), directory);
    }
    return String.format(Locale.ROOT, "the best checkpoint (%s) of %s; the newest is %s", best.describe(), directory,
        newest == null ? "not usable" : "step " + newest.step());
  }

  /** Checkpoints of a run that failed verification and were passed over. */
  public List<String> skipped() {
    return skipped;
  }

  /** One line for people: {@code tiny at step 40 (run directory /runs/a)}. */
  public String describe() {
    String what = switch (kind) {
      case RUN -> "run directory";
      case CHECKPOINT -> "checkpoint";
      case EXPORT -> "export";
    };
    return String.format(Locale.ROOT, "%s at step %d (%s %s)", recipe.name(), step(), what, directory);
  }

  @Override
  public String toString() {
    return "ModelSource[" + describe() + "]";
  }

  private static Recipe loadRecipe(Path file, String what) {
    if (!Files.isRegularFile(file)) {
      throw new CheckpointException(what + " " + file + " is missing");
    }
    try {
      return Recipes.load(file.toString());
    } catch (SpecException e) {
      throw new CheckpointException(what + " " + file + " is not valid: " + e.getMessage(), e);
    }
  }

  private static ModelInfo readInfo(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new CheckpointException(file.getParent() + " is not a complete unet4j model export: it has no "
          + ModelExport.MODEL_INFO + " (make one by exporting a run)");
    }
    return ModelInfo.read(file);
  }
}
