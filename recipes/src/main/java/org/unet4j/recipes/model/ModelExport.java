package org.unet4j.recipes.model;

import com.google.common.collect.ImmutableList;
import com.google.common.io.MoreFiles;
import com.google.common.io.RecursiveDeleteOption;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.TensorFlow;
import org.unet4j.dsl.InvalidInputException;
import org.unet4j.dsl.SpecException;
import org.unet4j.dsl.geometry.VolumeTiling;
import org.unet4j.dsl.model.Size3;
import org.unet4j.dsl.recipe.InferenceSpec;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.dsl.recipe.Recipes;
import org.unet4j.layers.CompiledModel;
import org.unet4j.layers.ModelCompiler;
import org.unet4j.recipes.data.OutputFolderException;
import org.unet4j.recipes.model.ModelMismatchException;

/**
 * Exports a trained model as a lean TensorFlow SavedModel for prediction: the recipe's model is
 * compiled for inference only at a fixed tile, a checkpoint's weights are restored into it
 * (optimizer slots stay behind) and that graph is exported with one signature,
 * {@value ExportedModel#SIGNATURE}: {@code image} float32 {@code [-1, tile, tile, channels]},
 * normalised as in training, to {@code probabilities} and {@code logits}, both
 * {@code [-1, out, out, classes]}. Dropout is off and batch norm uses its moving averages unless a
 * caller feeds {@code training = true}.
 *
 * <p>A 3D net ({@code model.dimensions} 3) is exported at a fixed block: {@code image} is
 * {@code [-1, tileZ, tile, tile, channels]} and the outputs {@code [-1, outZ, out, out, classes]},
 * {@code tileZ} the recipe's {@code inference.tileZ} (or, for 0, the valid size along z nearest the
 * tile), which the exported recipe then states; {@value #MODEL_INFO} describes the plane (y and x).
 * {@code VolumePredictor} predicts volumes from such an export as from the run.
 *
 * <p>The export folder holds {@code saved_model.pb}, {@code variables/}, the recipe as
 * {@value #RECIPE} (its {@code inference.tile} set to the exported tile) and {@value #MODEL_INFO}
 * ({@link ModelInfo}). It is written into a temporary sibling folder and renamed into place, so a
 * failed export leaves no half-written folder behind.
 */
public final class ModelExport {
  /** The recipe in the export folder. */
  public static final String RECIPE = "recipe.json";
  /** The {@link ModelInfo} in the export folder. */
  public static final String MODEL_INFO = "unet4j-model.json";
  /** TensorFlow's graph file in the export folder. */
  public static final String SAVED_MODEL = "saved_model.pb";

  private static final String TEMP_INFIX = ".tmp-";

  private ModelExport() {}

  /**
   * What an export wrote.
   *
   * @param directory the export folder, absolute
   * @param info what {@value ModelExport#MODEL_INFO} says
   * @param input the signature's input shape, -1 (any batch) first, channels last
   * @param output the shape of its outputs, -1 first, classes last
   * @param skipped newer checkpoints of the run that failed verification and were passed over
   * @param bytes size of the export folder's files
   * @param seconds time the export took
   */
  public record Exported(Path directory, ModelInfo info, List<Long> input, List<Long> output, List<String> skipped,
      long bytes, double seconds) {
    public Exported {
      input = ImmutableList.copyOf(input);
      output = ImmutableList.copyOf(output);
      skipped = ImmutableList.copyOf(skipped);
    }
  }

  /**
   * Exports {@code source}, a run directory (its best checkpoint when the run keeps one, else its
   * newest checkpoint that verifies) or one checkpoint
   * folder {@code RUN/checkpoints/ckpt-NNNNNNNNN} (with the run's recipe two levels up), into
   * {@code out}, which must not exist or be empty. The tile defaults to the recipe's
   * {@code inference.tile}.
   *
   * @throws CheckpointException when the source is not a run or checkpoint
   * @throws org.unet4j.recipes.model.ModelMismatchException when the tile does not fit the model (the
   *     message names the nearest valid tiles)
   * @throws org.unet4j.recipes.data.OutputFolderException when {@code out} is a file or not empty
   * @throws CheckpointException when there is no usable checkpoint or it does not fit the recipe
   */
  public static Exported export(Path source, Path out, OptionalInt tile) {
    long began = System.nanoTime();
    List<String> skipped = new ArrayList<>();
    Trained trained = locate(source, skipped);
    Recipe runRecipe = trained.recipe();
    Checkpoint checkpoint = trained.checkpoint();

    int size = tile.orElse(runRecipe.inference().tile());
    runRecipe.model().geometry().requireValid(size, runRecipe.name());
    Recipe recipe = withInferenceTile(runRecipe, size);
    if (recipe.model().dimensions() == 3) {
      // The block is fixed along z too: the exported recipe states it, so that prediction tiles alike.
      recipe = withInference(recipe, recipe.inference().toBuilder().tileZ(block(recipe).z()).build());
    }
    Path target = out.toAbsolutePath().normalize();
    checkTarget(target, out);
    ModelInfo info = ModelInfo.of(recipe, size, checkpoint, TensorFlow.version());

    @Nullable Path temp = null;
    boolean done = false;
    try {
      Path parent = target.getParent();
      Files.createDirectories(parent);
      temp = Files.createDirectory(parent.resolve("." + target.getFileName() + TEMP_INFIX + ProcessHandle.current()
          .pid() + "-" + Long.toHexString(System.nanoTime())));
      writeSavedModel(recipe, size, checkpoint, temp);
      Files.writeString(temp.resolve(RECIPE), Recipes.toJson(recipe), StandardCharsets.UTF_8);
      Files.writeString(temp.resolve(MODEL_INFO), info.toJson(), StandardCharsets.UTF_8);
      moveIntoPlace(temp, target, out);
      done = true;
      return new Exported(target, info, ExportedModel.batchShape(ExportedModel.inputShape(recipe, info)),
          ExportedModel.batchShape(ExportedModel.outputShape(recipe, info)), skipped, sizeOnDisk(target),
          (System.nanoTime() - began) / 1e9);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot export into " + out + ": " + e, e);
    } finally {
      if (!done && temp != null) {
        deleteQuietly(temp);
      }
    }
  }

  /** A run's recipe and the checkpoint an export takes from it. */
  record Trained(Recipe recipe, Checkpoint checkpoint) {}

  /**
   * The recipe and checkpoint of {@code source}, a run directory (its best checkpoint when it keeps
   * one, else its newest checkpoint that verifies; the ones that fail are added to {@code skipped})
   * or one of its checkpoint folders.
   *
   * @throws CheckpointException when the source is not a run or checkpoint, or has no usable checkpoint
   */
  static Trained locate(Path source, List<String> skipped) {
    Path from = source.toAbsolutePath().normalize();
    Recipe runRecipe;
    Checkpoint checkpoint;
    if (!Files.exists(from)) {
      throw new CheckpointException("no such run directory or checkpoint folder: " + source);
    }
    if (!Files.isDirectory(from)) {
      throw new CheckpointException(source + " is a file; give a run directory or one of its checkpoint"
          + " folders (RUN/checkpoints/ckpt-NNNNNNNNN)");
    }
    RunDirectory run = new RunDirectory(from);
    if (run.holdsRun()) {
      runRecipe = loadRecipe(run.recipe());
      Checkpoints checkpoints = run.checkpoints();
      // The checkpoint that prediction takes from the run ({@link ModelSource}): its best, if it keeps one.
      checkpoint = checkpoints.best(skipped).map(BestCheckpoint::checkpoint).or(() -> checkpoints.latest(skipped))
          .orElseThrow(() -> new CheckpointException(skipped.isEmpty()
          ? "no checkpoint in " + checkpoints.directory() + "; the run has not saved one yet"
          : "no usable checkpoint in " + checkpoints.directory() + ": " + String.join("; ", skipped)));
    } else if (isCheckpointFolder(from)) {
      checkpoint = Checkpoints.read(from);
      @Nullable Path runRoot = from.getParent() == null ? null : from.getParent().getParent();
      if (runRoot == null || !new RunDirectory(runRoot).holdsRun()) {
        throw new CheckpointException("checkpoint " + source + " is not inside a run directory: there is no"
            + " recipe.json two folders up; give the run directory instead");
      }
      runRecipe = loadRecipe(new RunDirectory(runRoot).recipe());
    } else {
      throw new CheckpointException(source + " is neither a run directory (it has no recipe.json) nor a"
          + " checkpoint folder (it has no " + Checkpoints.META + ")");
    }
    return new Trained(runRecipe, checkpoint);
  }

  /**
   * Compiles the inference graph at {@code tile}, restores the checkpoint into it (checking every
   * shape first) and exports it; only the model's variables exist in this graph, so only they are
   * saved. The graph is {@link ModelCompiler#compileForExport}'s: {@link ModelCompiler#compileForInference}'s
   * function from TensorFlow's own ops only (no unet4j native op, which other processes do not
   * know); a session that loads the export transforms the Winograd kernels in its first run and
   * keeps them, instead of on every call; the transformed kernels live in resource variables that
   * are not saved.
   */
  private static void writeSavedModel(Recipe recipe, int tile, Checkpoint checkpoint, Path folder)
      throws IOException {
    try (CompiledModel model = recipe.model().dimensions() == 3
            ? ModelCompiler.compile(recipe.model(), block(recipe), recipe.training().seed())
            : ModelCompiler.compileForExport(recipe.model(), tile, recipe.training().seed());
        Session session = new Session(model.graph())) {
      Checkpoints.restore(session, model, checkpoint);
      Signature signature = Signature.builder().key(ExportedModel.SIGNATURE)
          .input(ExportedModel.INPUT, model.input())
          .output(ExportedModel.PROBABILITIES, model.probabilities())
          .output(ExportedModel.LOGITS, model.logits())
          .build();
      SavedModelBundle.exporter(folder.toString()).withTags(ExportedModel.TAG).withSession(session)
          .withSignature(signature).export();
    }
  }

  /** A complete checkpoint has {@code meta.json}; a folder named like one without it is reported as incomplete. */
  private static boolean isCheckpointFolder(Path folder) {
    String name = folder.getFileName() == null ? "" : folder.getFileName().toString();
    return Files.isRegularFile(folder.resolve(Checkpoints.META)) || name.startsWith("ckpt-");
  }

  private static Recipe loadRecipe(Path file) {
    try {
      return Recipes.load(file.toString());
    } catch (SpecException e) {
      throw new CheckpointException("the run's recipe " + file + " is not valid: " + e.getMessage(), e);
    }
  }

  private static Recipe withInferenceTile(Recipe r, int tile) {
    return r.inference().tile() == tile ? r : withInference(r, r.inference().withTile(tile));
  }

  private static Recipe withInference(Recipe r, InferenceSpec inference) {
    return new Recipe(r.name(), r.description(), r.model(), r.loss(), r.augmentation(), r.training(), r.data(),
        inference);
  }

  /**
   * The input block of a 3D net's recipe: {@code inference.tile} along y and x, {@code tileZ}
   * along z (for 0, the valid size nearest the tile).
   *
   * @throws ModelMismatchException when the block is not valid along an axis (naming the axis and
   *     the nearest valid sizes)
   */
  static Size3 block(Recipe recipe) {
    InferenceSpec inference = recipe.inference();
    try {
      return VolumeTiling.of(recipe.model(), inference.tile(), inference.tileZ()).tile();
    } catch (InvalidInputException e) {
      throw new ModelMismatchException("inference tile " + inference.tile() + " (z " + inference.tileZ() + ") does"
          + " not fit " + recipe.name() + ": " + e.getMessage(), e);
    }
  }

  private static void checkTarget(Path target, Path out) {
    if (!Files.exists(target)) {
      if (target.getParent() == null) {
        throw new OutputFolderException(out, "cannot export into the file system root " + out);
      }
      return;
    }
    if (!Files.isDirectory(target)) {
      throw new OutputFolderException(out, out + " exists and is a file; give a new folder for the export");
    }
    if (!isEmpty(target)) {
      throw new OutputFolderException(out, out + " already exists and is not empty; export into a new folder or"
          + " remove it first (nothing was overwritten)");
    }
  }

  /**
   * Renames the finished folder to {@code target}; an empty folder there (allowed) is replaced. The
   * rename is atomic where the file system supports it, so readers see the whole export or none.
   */
  private static void moveIntoPlace(Path temp, Path target, Path out) throws IOException {
    if (Files.isDirectory(target)) {
      if (!isEmpty(target)) {
        throw new OutputFolderException(out, out + " was filled by someone else during the export; nothing was"
            + " overwritten");
      }
      Files.delete(target);
    }
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, target);
    }
  }

  private static boolean isEmpty(Path folder) {
    try (Stream<Path> entries = Files.list(folder)) {
      return entries.findAny().isEmpty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + folder, e);
    }
  }

  /** Total size of the regular files under {@code folder}. */
  public static long sizeOnDisk(Path folder) {
    try (Stream<Path> files = Files.walk(folder)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> {
        try {
          return Files.size(f);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).sum();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot measure " + folder, e);
    }
  }

  private static void deleteQuietly(Path folder) {
    try {
      MoreFiles.deleteRecursively(folder, RecursiveDeleteOption.ALLOW_INSECURE);
    } catch (IOException | RuntimeException e) {
      // The export already failed with its own error; a stray temporary folder is named as such.
    }
  }
}
