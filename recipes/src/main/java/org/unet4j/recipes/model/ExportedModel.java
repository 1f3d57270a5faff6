package org.unet4j.recipes.model;

import static com.google.common.base.Preconditions.checkArgument;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
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
import org.unet4j.dsl.model.Size3;
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
  /** A tile's input shape without the batch, channels last. */
  private final long[] tileShape;
  private final long tileValues;
  private final long outputValues;

  private ExportedModel(Path directory, Recipe recipe, ModelInfo info, SavedModelBundle bundle, Signature signature) {
    this.directory = directory;
    this.recipe = recipe;
    this.info = info;
    this.bundle = bundle;
    this.signature = signature;
    this.inputTensor = signature.getInputs().get(INPUT).name;
    this.probabilitiesTensor = signature.getOutputs().get(PROBABILITIES).name;
    this.tileShape = inputShape(recipe, info);
    this.tileValues = product(tileShape);
    this.outputValues = product(outputShape(recipe, info));
  }

  /**
   * The input shape of one tile of an export, without the batch: {@code [tile, tile, channels]},
   * or for a 3D net {@code [tileZ, tile, tile, channels]}, {@code tileZ} its recipe's
   * {@code inference.tileZ}.
   */
  static long[] inputShape(Recipe recipe, ModelInfo info) {
    return recipe.model().dimensions() == 3
        ? new long[] {recipe.inference().tileZ(), info.tile(), info.tile(), info.inputChannels()}
        : new long[] {info.tile(), info.tile(), info.inputChannels()};
  }

  /** The output shape of one tile of an export, without the batch, classes last. */
  static long[] outputShape(Recipe recipe, ModelInfo info) {
    if (recipe.model().dimensions() != 3) {
      return new long[] {info.outputSize(), info.outputSize(), info.classes()};
    }
    Size3 out = recipe.model().volumeGeometry().outputSize(new Size3(recipe.inference().tileZ(), info.tile(),
        info.tile()));
    return new long[] {out.z(), out.y(), out.x(), info.classes()};
  }

  /** {@code shape} with -1 (any batch) before it. */
  static List<Long> batchShape(long[] shape) {
    List<Long> withBatch = new ArrayList<>(shape.length + 1);
    withBatch.add(-1L);
    Arrays.stream(shape).forEach(withBatch::add);
    return withBatch;
  }

  private static long product(long[] shape) {
    long values = 1;
    for (long d : shape) {
      values *= d;
    }
    return values;
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
      long[] tile = inputShape(recipe, info);
      long[] batch = new long[tile.length + 1];
      batch[0] = -1;
      System.arraycopy(tile, 0, batch, 1, tile.length);
      Shape expected = Shape.of(batch);
      // Shape.equals is false whenever a dimension is unknown (the batch here), so compare the sizes.
      if (!Arrays.equals(input.shape.asArray(), expected.asArray())) {
        throw new CheckpointException(directory + ": the graph takes " + input.shape + " but "
            + ModelExport.MODEL_INFO + " and " + ModelExport.RECIPE + " say " + expected);
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
   * the recipe's {@code data.normalization} says; for a 3D net, blocks {@code [batch, tileZ, tile,
   * tile, channels]} to {@code [batch, outZ, out, out, classes]}.
   */
  public float[] predict(float[] images, int batch) {
    long expected = batch * tileValues;
    if (batch < 1 || images.length != expected) {
      throw new IllegalArgumentException("expected " + (batch < 1 ? "a batch of at least 1" : expected + " floats")
          + " for " + batch + " tile(s) of " + tileText() + ", got " + images.length + " floats");
    }
    float[] out = new float[Math.toIntExact(Math.multiplyExact(batch, outputValues))];
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
    long samples = batch * tileValues;
    long values = batch * outputValues;
    if (batch < 1 || images.length < samples || probabilities.length < values) {
      throw new IllegalArgumentException("expected " + (batch < 1 ? "a batch of at least 1" : "at least " + samples
          + " floats in and room for " + values + " out") + " for " + batch + " tile(s) of " + tileText() + ", got "
          + images.length + " and " + probabilities.length + " floats");
    }
    long[] shape = new long[tileShape.length + 1];
    shape[0] = batch;
    System.arraycopy(tileShape, 0, shape, 1, tileShape.length);
    try (TFloat32 input = TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(images, true, false).narrow(samples));
        Result result = bundle.session().runner().feed(inputTensor, input).fetch(probabilitiesTensor).run()) {
      TFloat32 out = (TFloat32) result.get(0);
      out.asRawTensor().data().asFloats().read(probabilities, 0, Math.toIntExact(out.size()));
    }
  }

  /** A tile's shape for people: {@code 60x60x1}, or {@code 20x22x22x1} for a 3D net. */
  private String tileText() {
    return Arrays.stream(tileShape).mapToObj(Long::toString).collect(Collectors.joining("x"));
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
