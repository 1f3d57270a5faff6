package org.unet4j.recipes.model;

import static com.google.common.base.Preconditions.checkArgument;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.unet4j.dsl.SpecException;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.dsl.recipe.Recipes;
import org.unet4j.layers.CompiledModel;

/**
 * A model export ({@link ModelExport}) loaded for prediction: the SavedModel's session, its
 * recipe and its {@link ModelInfo}. {@link #predict} may be called from several threads at once
 * (TensorFlow sessions are thread-safe). Close it to free the native graph and session.
 */
public final class ExportedModel implements AutoCloseable {
  /** The SavedModel tag of the exported graph. */
  public static final String TAG = SavedModelBundle.DEFAULT_TAG;
  /** The key of the serving signature: {@code serving_default}. */
  public static final String SIGNATURE = Signature.DEFAULT_KEY;
  /** Signature input: float32 {@code [-1, tile, tile, channels]}, normalised as in training. */
  public static final String INPUT = CompiledModel.INPUT;
  /** Signature output: float32 {@code [-1, out, out, classes]}, soft-max or sigmoid of the logits. */
  public static final String PROBABILITIES = CompiledModel.PROBABILITIES;
  /** Signature output: float32 {@code [-1, out, out, classes]}, the head's raw scores. */
  public static final String LOGITS = CompiledModel.LOGITS;

  private final Path directory;
  private final Recipe recipe;
  private final ModelInfo info;
  private final SavedModelBundle bundle;
  private final Signature signature;
  private final String inputTensor;
  private final String probabilitiesTensor;

  private ExportedModel(Path directory, Recipe recipe, ModelInfo info, SavedModelBundle bundle, Signature signature) {
    this.directory = directory;
    this.recipe = recipe;
    this.info = info;
    this.bundle = bundle;
    this.signature = signature;
    this.inputTensor = signature.getInputs().get(INPUT).name;
    this.probabilitiesTensor = signature.getOutputs().get(PROBABILITIES).name;
  }

  /** Loads the export in {@code directory} with TensorFlow's default threads (all cores). */
  public static ExportedModel load(Path directory) {
    return load(directory, 0);
  }

  /**
   * Loads the export in {@code directory} with {@code threads} threads per op (0: TensorFlow's
   * default).
   *
   * @throws CheckpointException when the folder is not a complete unet4j export or its files
   *     disagree with each other
   * @throws DamagedExportException (an IllegalArgumentException) when TensorFlow cannot load its
   *     files: the message names the damaged one
   */
  public static ExportedModel load(Path directory, int threads) {
    checkArgument(threads >= 0, "threads must be 0 (default) or positive, got %s", threads);
    for (String file : List.of(ModelExport.SAVED_MODEL, ModelExport.MODEL_INFO, ModelExport.RECIPE)) {
      if (!Files.isRegularFile(directory.resolve(file))) {
        throw new CheckpointException(directory + " is not a unet4j model export: it has no " + file
            + " (make one by exporting a run)");
      }
    }
    ModelInfo info = ModelInfo.read(directory.resolve(ModelExport.MODEL_INFO));
    Recipe recipe;
    try {
      recipe = Recipes.load(directory.resolve(ModelExport.RECIPE).toString());
    } catch (SpecException e) {
      throw new CheckpointException(directory.resolve(ModelExport.RECIPE) + ": " + e.getMessage(), e);
    }
    SavedModelBundle.Loader loader = SavedModelBundle.loader(directory.toString()).withTags(TAG);
    if (threads > 0) {
      loader.withConfigProto(ConfigProto.newBuilder().setIntraOpParallelismThreads(threads)
          .setInterOpParallelismThreads(1).build());
    }
    SavedModelBundle bundle;
    try {
      bundle = loader.load();
    } catch (TensorFlowException e) {
      // TensorFlow's words ("Read less bytes than requested") name neither the file nor the cure.
      throw DamagedExportException.diagnose(directory, e);
    }
    try {
      Signature signature = bundle.function(SIGNATURE).signature();
      Signature.TensorDescription input = signature.getInputs().get(INPUT);
      if (input == null || !signature.getOutputs().containsKey(PROBABILITIES)) {
        throw new CheckpointException(directory + ": signature " + SIGNATURE + " lacks input " + INPUT
            + " or output " + PROBABILITIES + "; it was not written by unet4j export");
      }
      Shape expected = Shape.of(-1, info.tile(), info.tile(), info.inputChannels());
      // Shape.equals is false whenever a dimension is unknown (the batch here), so compare the sizes.
      if (!Arrays.equals(input.shape.asArray(), expected.asArray())) {
        throw new CheckpointException(directory + ": the graph takes " + input.shape + " but "
            + ModelExport.MODEL_INFO + " says " + expected);
      }
      return new ExportedModel(directory, recipe, info, bundle, signature);
    } catch (RuntimeException e) {
      bundle.close();
      throw e;
    }
  }

  public Path directory() {
    return directory;
  }

  /** The recipe the model was trained with, {@code inference.tile} set to the exported tile. */
  public Recipe recipe() {
    return recipe;
  }

  public ModelInfo info() {
    return info;
  }

  /** The serving signature, for callers that run {@link #session()} themselves. */
  public Signature signature() {
    return signature;
  }

  /** The loaded session; owned by this object. */
  public Session session() {
    return bundle.session();
  }

  /** The loaded SavedModel; owned by this object. */
  public SavedModelBundle bundle() {
    return bundle;
  }

  /**
   * The probabilities of {@code batch} tiles, {@code [batch, out, out, classes]} flattened, for
   * {@code images} of {@code [batch, tile, tile, channels]} flattened (channels last), normalised as
   * the recipe's {@code data.normalization} says.
   */
  public float[] predict(float[] images, int batch) {
    int tile = info.tile();
    long expected = (long) batch * tile * tile * info.inputChannels();
    if (batch < 1 || images.length != expected) {
      throw new IllegalArgumentException("expected " + (batch < 1 ? "a batch of at least 1" : expected + " floats")
          + " for " + batch + " tile(s) of " + tile + "x" + tile + "x" + info.inputChannels() + ", got "
          + images.length + " floats");
    }
    float[] out = new float[Math.multiplyExact(batch, info.outputSize() * info.outputSize() * info.classes())];
    predict(images, batch, out);
    return out;
  }

  /**
   * {@link #predict(float[], int)} into {@code probabilities}: reads the first {@code batch} tiles
   * of {@code images} and writes their probabilities to the start of {@code probabilities}, so that
   * a caller can reuse one pair of arrays for batches of any size up to theirs.
   *
   * @throws IllegalArgumentException when an array is shorter than the batch needs
   */
  public void predict(float[] images, int batch, float[] probabilities) {
    int tile = info.tile();
    long samples = (long) batch * tile * tile * info.inputChannels();
    long values = (long) batch * info.outputSize() * info.outputSize() * info.classes();
    if (batch < 1 || images.length < samples || probabilities.length < values) {
      throw new IllegalArgumentException("expected " + (batch < 1 ? "a batch of at least 1" : "at least " + samples
          + " floats in and room for " + values + " out") + " for " + batch + " tile(s) of " + tile + "x" + tile
          + "x" + info.inputChannels() + ", got " + images.length + " and " + probabilities.length + " floats");
    }
    try (TFloat32 input = TFloat32.tensorOf(Shape.of(batch, tile, tile, info.inputChannels()),
            DataBuffers.of(images, true, false).narrow(samples));
        Result result = bundle.session().runner().feed(inputTensor, input).fetch(probabilitiesTensor).run()) {
      TFloat32 out = (TFloat32) result.get(0);
      out.asRawTensor().data().asFloats().read(probabilities, 0, Math.toIntExact(out.size()));
    }
  }

  @Override
  public String toString() {
    return "ExportedModel[" + directory + ", " + info.recipe() + " step " + info.step() + ", tile " + info.tile()
        + " -> " + info.outputSize() + "]";
  }

  /** Closes the session and the graph. */
  @Override
  public void close() {
    bundle.close();
  }
}
