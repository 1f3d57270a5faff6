package org.unet4j.layers;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.PlaceholderWithDefault;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.unet4j.dsl.model.ModelSpec;
import org.unet4j.dsl.model.Size3;

/**
 * A {@link ModelSpec} compiled into a TensorFlow {@link Graph} that this object owns and closes.
 *
 * <p>Feed {@link #input()} (float32 NHWC) and fetch {@link #probabilities()} for inference; no other
 * feed is needed because {@link #training()} defaults to false. For a training step feed
 * {@code training = true} (dropout on, batch norm on batch statistics) and also run
 * {@link #movingAverageUpdate()}. Variables are initialised by the graph's initialisers, which a
 * {@code new Session(graph())} runs on its first {@code run()}, or restored from a checkpoint.
 *
 * <p>Losses and optimisers add their ops to {@link #graph()}; the graph is not safe to modify while
 * sessions run it.
 */
public final class CompiledModel implements AutoCloseable {
  /** Op name of the input placeholder. */
  public static final String INPUT = "image";
  /** Op name of the training flag (a boolean placeholder with default false). */
  public static final String TRAINING = "training";
  /** Op name of the dropout seed (int64 [2], default zeros), fed per training step. */
  public static final String DROPOUT_SEED = "dropout_seed";
  /** Op name of the head's raw scores. */
  public static final String LOGITS = "logits";
  /** Op name of the class probabilities. */
  public static final String PROBABILITIES = "probabilities";
  /** Op name of the target that updates every batch-norm moving average. */
  public static final String MOVING_AVERAGE_UPDATE = "moving_average_update";

  private final ModelSpec spec;
  private final long seed;
  private final OptionalInt tile;
  private final Optional<Size3> volumeTile;
  private final Graph graph;
  private final Placeholder<TFloat32> input;
  private final PlaceholderWithDefault<TBool> training;
  private final PlaceholderWithDefault<TInt64> dropoutSeed;
  private final Operand<TFloat32> logits;
  private final Operand<TFloat32> probabilities;
  private final Op movingAverageUpdate;
  private final ImmutableList<ModelVariable> variables;
  private final ImmutableMap<String, Operand<TFloat32>> layers;
  private final ImmutableMap<String, ConvolutionForm> convolutionForms;

  CompiledModel(ModelSpec spec, long seed, OptionalInt tile, Optional<Size3> volumeTile, Graph graph, Placeholder<TFloat32> input,
      PlaceholderWithDefault<TBool> training, PlaceholderWithDefault<TInt64> dropoutSeed, Operand<TFloat32> logits,
      Operand<TFloat32> probabilities,
      Op movingAverageUpdate, List<ModelVariable> variables, Map<String, Operand<TFloat32>> layers,
      Map<String, ConvolutionForm> convolutionForms) {
    this.spec = spec;
    this.seed = seed;
    this.tile = tile;
    this.volumeTile = volumeTile;
    this.graph = graph;
    this.input = input;
    this.training = training;
    this.dropoutSeed = dropoutSeed;
    this.logits = logits;
    this.probabilities = probabilities;
    this.movingAverageUpdate = movingAverageUpdate;
    this.variables = ImmutableList.copyOf(variables);
    this.layers = ImmutableMap.copyOf(layers);
    this.convolutionForms = ImmutableMap.copyOf(convolutionForms);
  }

  /** The spec this model was compiled from. */
  public ModelSpec spec() {
    return spec;
  }

  /** The seed of the initial weights (and of the dropout masks). */
  public long seed() {
    return seed;
  }

  /**
   * The square input size a 2D net was compiled for, or empty when it accepts any valid size (and
   * for a 3D net: see {@link #volumeTile()}).
   */
  public OptionalInt tile() {
    return tile;
  }

  /** The (z, y, x) input size a 3D net was compiled for; empty for a 2D net or any size. */
  public Optional<Size3> volumeTile() {
    return volumeTile;
  }

  public Graph graph() {
    return graph;
  }

  /**
   * The image batch, float32 NHWC: {@code [-1, tile, tile, channels]}, or {@code [-1, -1, -1, channels]};
   * for a 3D net the volume batch, NDHWC: {@code [-1, z, y, x, channels]}.
   */
  public Placeholder<TFloat32> input() {
    return input;
  }

  /**
   * True during training: dropout drops and batch norm normalises with the batch's own statistics.
   * Defaults to false, so inference and SavedModel calls need no feed.
   */
  public PlaceholderWithDefault<TBool> training() {
    return training;
  }

  /**
   * Selects the dropout masks of a training step (int64 {@code [2]}, default zeros): the same
   * value always draws the same masks. The trainer feeds {@code [seed, step]}.
   */
  public PlaceholderWithDefault<TInt64> dropoutSeed() {
    return dropoutSeed;
  }

  /** The head's output before the output activation, {@code [-1, out, out, classes]}. */
  public Operand<TFloat32> logits() {
    return logits;
  }

  /** Pixel-wise soft-max over the classes (paper eq. 1) or a sigmoid per class. */
  public Operand<TFloat32> probabilities() {
    return probabilities;
  }

  /**
   * Moves every batch-norm moving mean and variance towards the statistics of the batch being fed
   * (a no-op without batch norm). Run it as a target of each training step, with training fed true.
   */
  public Op movingAverageUpdate() {
    return movingAverageUpdate;
  }

  /** Every variable, in the order of the forward pass. */
  public List<ModelVariable> variables() {
    return variables;
  }

  /** The variables gradients train: kernels, biases, batch-norm gamma and beta. */
  public List<ModelVariable> trainableVariables() {
    return variables.stream().filter(ModelVariable::trainable).collect(ImmutableList.toImmutableList());
  }

  /** The variable at a spec path such as {@code expanding/0/upconv/kernel}. */
  public ModelVariable variable(String path) {
    for (ModelVariable v : variables) {
      if (v.path().equals(path)) {
        return v;
      }
    }
    throw new IllegalArgumentException("no variable " + path + "; this model has "
        + variables.stream().map(ModelVariable::path).collect(Collectors.joining(", ")));
  }

  /**
   * The output of every layer by its path, in forward order, with the same paths as
   * {@link org.unet4j.dsl.model.Geometry#layers(int)}: {@code contracting/0/conv1},
   * {@code contracting/0/pool}, {@code expanding/0/upconv}, {@code expanding/0/concat}, {@code head}.
   */
  public Map<String, Operand<TFloat32>> layers() {
    return layers;
  }

  /**
   * The form each convolution, up-convolution and the head got, by layer path in forward order
   * ({@code contracting/0/conv1}, ..., {@code expanding/0/upconv}, ..., {@code head}): how the
   * lowering and the machine's rule compiled them.
   */
  public Map<String, ConvolutionForm> convolutionForms() {
    return convolutionForms;
  }

  /** Trainable parameters, counted from the shapes of the graph's trainable variables. */
  public long parameterCount() {
    return trainableVariables().stream().mapToLong(ModelVariable::size).sum();
  }

  /** Channels of the output: the spec's classes. */
  public int outputChannels() {
    return spec.classes();
  }

  /** Output size along an axis for the compiled tile; throws when compiled for any size. */
  public int outputSize() {
    if (tile.isEmpty()) {
      throw new IllegalStateException("compiled for any input size; use outputSize(input)");
    }
    return spec.geometry().outputSize(tile.getAsInt());
  }

  /** The output size of a 3D net compiled for a (z, y, x) tile. */
  public Size3 volumeOutputSize() {
    return spec.volumeGeometry().outputSize(volumeTile.orElseThrow(() -> new IllegalStateException(
        "not a 3D net compiled for a (z, y, x) tile")));
  }

  /** Output size along an axis for a valid input size; throws naming the stage otherwise. */
  public int outputSize(int input) {
    return spec.geometry().outputSize(input);
  }

  /** Closes the graph and every op in it. */
  @Override
  public void close() {
    graph.close();
  }
}
