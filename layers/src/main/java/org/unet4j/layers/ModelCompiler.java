package org.unet4j.layers;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.math.Mean;
import org.tensorflow.op.core.PlaceholderWithDefault;
import org.tensorflow.op.core.StridedSlice;
import org.tensorflow.op.core.SwitchCond;
import org.tensorflow.op.core.VarHandleOp;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.image.ResizeBilinear;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.op.nn.LeakyRelu;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TType;
import org.unet4j.dsl.SpecException;
import org.unet4j.dsl.model.Activation;
import org.unet4j.dsl.model.Axis;
import org.unet4j.dsl.model.Block;
import org.unet4j.dsl.model.LayerKind;
import org.unet4j.dsl.model.LayerShape;
import org.unet4j.dsl.model.ModelSpec;
import org.unet4j.dsl.model.Normalization;
import org.unet4j.dsl.model.Padding;
import org.unet4j.dsl.model.PoolingKind;
import org.unet4j.dsl.model.Size3;

/**
 * Compiles a {@link ModelSpec} into a TensorFlow graph, a walk over its {@link ModelSpec#blocks()}
 * that reads like the paper's Fig. 1: contracting stages (convolutions, pooling), the bottleneck,
 * expanding stages (up-convolution, centre crop and concatenation, convolutions) and the 1x1 head;
 * each kind of block is lowered by its method of the {@code Lowering} visitor.
 *
 * <p>Every op lives under the scope of its spec path and every variable is named
 * {@code <layer path>/<role>}: {@code contracting/2/conv1/kernel}, {@code contracting/2/conv1/bias},
 * {@code contracting/2/conv1/norm/gamma}, {@code expanding/0/upconv/kernel}, {@code head/kernel}.
 *
 * <p>Choices the spec leaves open:
 * <ul>
 *   <li>Each convolution is conv, then batch norm when asked (the conv then has no bias), then the
 *       activation; in a residual stage the last convolution's shortcut is added before its
 *       activation.
 *   <li>The up-convolution is a transposed convolution ({@code Conv2DBackpropInput}, p x p, stride p)
 *       with a bias and the stage's activation, as in the authors' released Caffe net (each
 *       "up-conv" is followed by a ReLU; the paper's init argument assumes "alternating convolution
 *       and ReLU layers"). Its kernel is {@code [p, p, cout, cin]}, the layout of TF's and Keras'
 *       {@code Conv2DTranspose}, so the variable is literally the p x p up-convolution kernel and
 *       checkpoints are interchangeable with those tools. A 1x1 convolution plus
 *       {@code DepthToSpace} computes the same function as fast (TFJAVA.md Sec. 4) but would store
 *       the kernel permuted as {@code [1, 1, cin, p*p*cout]}.
 *   <li>The concatenation puts the cropped skip first, then the up-convolved map (the paper's and
 *       Caffe net's order).
 *   <li>Dropout and batch norm obey one boolean {@link CompiledModel#training()} placeholder
 *       (default false), because rates are per stage in the spec and batch norm needs the same flag.
 *   <li>On a CPU the large 3x3 convolutions take Winograd's form
 *       ({@link ConvolutionLowering#WINOGRAD}), the rest matrix products where TensorFlow runs on
 *       oneDNN (whose convolution kernels reach a fraction of its matrix rate) and TensorFlow's
 *       convolutions where it does not; on a GPU every convolution is TensorFlow's (cuDNN)
 *       ({@link #defaultLowering()}, {@link CompiledModel#convolutionForms()},
 *       {@code docs/performance.md}).
 * </ul>
 */
public final class ModelCompiler {
  /** Weight of the old value in the batch-norm moving averages (Keras' default). */
  public static final float BATCH_NORM_MOMENTUM = 0.99f;
  /** Added to the variance before the batch-norm square root (Keras' default). */
  public static final float BATCH_NORM_EPSILON = 1e-3f;

  /**
   * The largest im2col patch matrix, for one image, that {@link ConvolutionLowering#MATMUL} builds
   * for a convolution (1 GiB: the paper's net at tile 572 needs at most 743 MB); a larger layer
   * uses TensorFlow's convolution kernel. Graphs compiled for any size do not know their layers'
   * sizes and lower every convolution.
   */
  public static final long PATCH_LIMIT_BYTES = 1L << 30;

  /**
   * The most bytes of one image's transformed tiles that the backward pass of a Winograd layer
   * rebuilds at a time ({@link WinogradRule#gradientChunkBytes()}): the tiles, their gradient and
   * its inverse transform are each that large while a chunk is computed.
   */
  static final long GRADIENT_CHUNK_BYTES = 128L << 20;

  /**
   * System property that sets the lowering of {@link #compile(ModelSpec, int, long)} for the whole
   * process: {@code matmul}, {@code native} or {@code auto} (the default: see
   * {@link #defaultLowering()}); with the launcher:
   * {@code UNET4J_JAVA_OPTS=-Dunet4j.convolution=native ./unet4j ...}.
   */
  public static final String LOWERING_PROPERTY = "unet4j.convolution";

  /**
   * The smallest 3x3 convolution, in FLOPs per image of the direct form, that an inference graph
   * transforms on a CPU without oneDNN: smaller ones run their forward pass as fast with
   * TensorFlow's Eigen kernel (the layers of {@code nuclei-demo}: 0.2-0.3 GFLOP each).
   */
  static final long MIN_INFERENCE_WINOGRAD_FLOPS = 1_000_000_000L;

  private static final int CHANNEL_AXIS = 3;

  /**
   * When {@link ConvolutionLowering#WINOGRAD} transforms a layer's kernel: in every run (training,
   * where the kernel changes with each step and gradients flow through the transform), or once per
   * session, at its first run, into a resource variable that checkpoints do not hold (inference).
   */
  enum KernelTransform {
    EVERY_RUN,
    ONCE_PER_SESSION
  }

  /**
   * Which convolutions {@link ConvolutionLowering#WINOGRAD} leaves to TensorFlow's {@code Conv2D}:
   * those of fewer than {@code minChannels} input channels (the first layer of a net for grey
   * images, whose transforms outweigh their products) or fewer than {@code minWidestChannels} on
   * both sides (16-channel layers, where oneDNN's and Eigen's direct kernels beat every matrix
   * form); which 3x3 ones it transforms, by {@code form}: the others of at least {@code minFlops}
   * per image; how it lowers the rest ({@code rest}: {@code MATMUL} or {@code NATIVE}); and, in a
   * training graph, how many bytes of one image's transformed tiles a Winograd layer's backward pass
   * rebuilds at a time ({@code gradientChunkBytes}, see {@link WinogradProduct}); and whether
   * F(4x4)'s transforms are unet4j's native ops ({@code nativeTransforms}, {@link WinogradOps}) or
   * built from TensorFlow's (a gather, matrix products, a transpose).
   */
  record WinogradRule(int minChannels, int minWidestChannels, long minFlops, WinogradForm form,
      ConvolutionLowering rest, long gradientChunkBytes, boolean nativeTransforms) {
    WinogradRule {
      checkArgument(rest == ConvolutionLowering.MATMUL || rest == ConvolutionLowering.NATIVE,
          "the layers Winograd's form leaves are lowered as MATMUL or NATIVE, got %s", rest);
      checkArgument(gradientChunkBytes > 0, "gradientChunkBytes must be positive, got %s", gradientChunkBytes);
      checkArgument(!nativeTransforms || WinogradOps.available(),
          "native Winograd transforms are not available in this process: %s", WinogradOps.describe());
    }

    /** A rule with native transforms wherever they are available ({@link WinogradOps#available()}). */
    WinogradRule(int minChannels, int minWidestChannels, long minFlops, WinogradForm form, ConvolutionLowering rest,
        long gradientChunkBytes) {
      this(minChannels, minWidestChannels, minFlops, form, rest, gradientChunkBytes, WinogradOps.available());
    }

    /**
     * A rule whose training graphs chunk a layer's backward pass by
     * {@value ModelCompiler#GRADIENT_CHUNK_BYTES} bytes of tiles, with native transforms wherever
     * they are available.
     */
    WinogradRule(int minChannels, int minWidestChannels, long minFlops, WinogradForm form, ConvolutionLowering rest) {
      this(minChannels, minWidestChannels, minFlops, form, rest, GRADIENT_CHUNK_BYTES);
    }

    /** This rule with the transforms built from TensorFlow's ops. */
    WinogradRule withGraphTransforms() {
      return new WinogradRule(minChannels, minWidestChannels, minFlops, form, rest, gradientChunkBytes, false);
    }

    /** Whether a layer of this rule's form uses the native ops: F(4x4) only. */
    boolean nativeOps() {
      return nativeTransforms && form == WinogradForm.F4;
    }

    /**
     * The rule for a CPU, from per-layer measurements of every form with oneDNN on and off
     * ({@code docs/performance.md}, lever 1c). F(4x4) for every 3x3 layer of 8 or more input and
     * 32 or more input or output channels: per training step it beats the other forms at every
     * size of the paper's net and of {@code nuclei-demo}, either way, and so does its forward pass
     * with oneDNN; without oneDNN an inference graph ({@link KernelTransform#ONCE_PER_SESSION})
     * keeps Eigen's {@code Conv2D} for layers under {@value #MIN_INFERENCE_WINOGRAD_FLOPS} FLOPs,
     * whose forward pass it runs as fast or faster. The rest: with oneDNN im2col products (its
     * convolutions are slow), without it Eigen's convolutions (faster there than the matrix forms).
     */
    static WinogradRule forCpu(boolean oneDnn, KernelTransform transform) {
      long minFlops = !oneDnn && transform == KernelTransform.ONCE_PER_SESSION ? MIN_INFERENCE_WINOGRAD_FLOPS : 0;
      return new WinogradRule(8, 32, minFlops, WinogradForm.F4,
          oneDnn ? ConvolutionLowering.MATMUL : ConvolutionLowering.NATIVE);
    }

    /** {@link #forCpu} for how TensorFlow runs in this process. */
    static WinogradRule forThisMachine(KernelTransform transform) {
      return forCpu(OneDnn.enabled(), transform);
    }

    /** Whether a layer from {@code in} to {@code out} channels is left to {@code Conv2D}. */
    boolean leavesToConv2d(int in, int out) {
      return in < minChannels || Math.max(in, out) < minWidestChannels;
    }

    /** Whether the 3x3 convolution of {@code x} (not padded yet) is transformed; unknown sizes count as large. */
    boolean transforms(Operand<TFloat32> x, int out, Padding padding) {
      long height = x.shape().get(1);
      long width = x.shape().get(2);
      long shrink = padding == Padding.VALID ? 2 : 0;
      return height < 0 || width < 0 || 2L * 9 * channels(x) * out * (height - shrink) * (width - shrink) >= minFlops;
    }
  }

  private final ModelSpec spec;
  private final long seed;
  private final ConvolutionLowering lowering;
  private final WinogradRule winogradRule;
  private final KernelTransform kernelTransform;
  private final ScopeTree scopes;
  private final boolean volume;
  private final PlaceholderWithDefault<TBool> training;
  private final PlaceholderWithDefault<TInt64> dropoutSeed;
  private final List<ModelVariable> variables = new ArrayList<>();
  private final Map<String, Operand<TFloat32>> layers = new LinkedHashMap<>();
  private final List<Op> movingAverageUpdates = new ArrayList<>();
  private final Map<String, ConvolutionForm> forms = new LinkedHashMap<>();

  private ModelCompiler(ModelSpec spec, long seed, ConvolutionLowering lowering, WinogradRule winogradRule,
      KernelTransform kernelTransform, Graph graph, List<LayerShape> referenceLayers) {
    this.spec = spec;
    this.seed = seed;
    this.lowering = lowering;
    this.winogradRule = winogradRule;
    this.kernelTransform = kernelTransform;
    this.scopes = new ScopeTree(Ops.create(graph));
    this.volume = spec.dimensions() == 3;
    // A new sub-scope collects the names already used under it by scanning every op in the graph
    // (NameScope.withUsedFrom), so the scopes are all created while the graph is still empty; this
    // made a depth-4 net compile in 30 ms instead of 200 ms and keeps compilation linear in its size.
    for (LayerShape layer : referenceLayers) {
      scopes.at(layer.path());
      if (layer.kind() == LayerKind.CONV) {
        scopes.at(layer.path() + "/norm");
      }
    }
    Ops tf = scopes.root();
    this.training = tf.withName(CompiledModel.TRAINING).placeholderWithDefault(tf.constant(false), Shape.scalar());
    this.dropoutSeed = tf.withName(CompiledModel.DROPOUT_SEED).placeholderWithDefault(tf.constant(new long[2]),
        Shape.of(2));
  }

  /**
   * Compiles {@code spec} for square tiles of {@code tile} pixels (any batch size). The same spec and
   * seed always give bit-identical initial weights.
   *
   * @throws SpecException when {@code tile} is not a valid input size, with the nearest valid ones
   */
  public static CompiledModel compile(ModelSpec spec, int tile, long seed) {
    return compile(spec, tile, seed, defaultLowering());
  }

  /**
   * {@link #compile(ModelSpec, int, long)} for prediction only: the graph computes the same
   * function, but each Winograd kernel transform runs once per session, at its first run, and is
   * kept (in a resource variable that checkpoints neither save nor restore) for every later run.
   * Restore the weights before the first run of a session; a session keeps the kernels it first
   * saw, so weights changed later need a new session. Never train such a graph.
   *
   * @throws SpecException when {@code tile} is not a valid input size, with the nearest valid ones
   */
  public static CompiledModel compileForInference(ModelSpec spec, int tile, long seed) {
    return compileForInference(spec, tile, seed, defaultLowering());
  }

  /** {@link #compileForInference(ModelSpec, int, long)} with the convolutions lowered as {@code lowering} says. */
  public static CompiledModel compileForInference(ModelSpec spec, int tile, long seed, ConvolutionLowering lowering) {
    return compileForInference(spec, tile, seed, lowering, WinogradRule.forThisMachine(KernelTransform.ONCE_PER_SESSION));
  }

  /**
   * {@link #compileForInference(ModelSpec, int, long)} for a graph that leaves this process (a
   * SavedModel export): only TensorFlow's own ops, so that any TensorFlow loads it. Winograd's
   * transforms are built from TensorFlow's ops instead of unet4j's native ones ({@link WinogradOps}),
   * which only a process that loaded them knows.
   */
  public static CompiledModel compileForExport(ModelSpec spec, int tile, long seed) {
    return compileForInference(spec, tile, seed, defaultLowering(),
        WinogradRule.forThisMachine(KernelTransform.ONCE_PER_SESSION).withGraphTransforms());
  }

  private static CompiledModel compileForInference(ModelSpec spec, int tile, long seed, ConvolutionLowering lowering,
      WinogradRule rule) {
    SpecException invalid = spec.geometry().whyInvalid(tile);
    if (invalid != null) {
      throw invalid;
    }
    return compile(spec, OptionalInt.of(tile), seed, lowering, rule, KernelTransform.ONCE_PER_SESSION);
  }

  /**
   * The lowering of {@link #compile(ModelSpec, int, long)}: as the {@value #LOWERING_PROPERTY}
   * system property says, or by default ({@code auto}) the fastest for where TensorFlow runs:
   * {@link ConvolutionLowering#NATIVE} on a GPU ({@link Devices#gpu()}: cuDNN's convolutions), and
   * {@link ConvolutionLowering#WINOGRAD} on a CPU, with or without oneDNN: Winograd's form for the
   * large 3x3 layers, and for the rest what is faster with how TensorFlow runs here
   * ({@link OneDnn#enabled()}; measurements in {@code docs/performance.md}).
   *
   * @throws IllegalArgumentException when the property holds none of {@code auto}, {@code matmul},
   *     {@code winograd} and {@code native}
   */
  public static ConvolutionLowering defaultLowering() {
    String value = System.getProperty(LOWERING_PROPERTY, "auto").trim();
    if (value.equalsIgnoreCase("auto")) {
      return Devices.gpu() ? ConvolutionLowering.NATIVE : ConvolutionLowering.WINOGRAD;
    }
    for (ConvolutionLowering lowering : ConvolutionLowering.values()) {
      if (lowering.name().equalsIgnoreCase(value)) {
        return lowering;
      }
    }
    throw new IllegalArgumentException("-D" + LOWERING_PROPERTY + "=" + value
        + ": expected auto, matmul, winograd or native");
  }

  /**
   * {@link #compile(ModelSpec, int, long)} with the convolutions lowered as {@code lowering}
   * says; the variables, their initial values and the function computed are the same.
   */
  public static CompiledModel compile(ModelSpec spec, int tile, long seed, ConvolutionLowering lowering) {
    spec.geometry().requireValid(tile);
    return compile(spec, OptionalInt.of(tile), seed, lowering, WinogradRule.forThisMachine(KernelTransform.EVERY_RUN),
        KernelTransform.EVERY_RUN);
  }

  /**
   * Compiles {@code spec} with free height and width: the input is {@code [-1, -1, -1, channels]}
   * and every size is computed in the graph. Feed only sizes that
   * {@code spec.geometry().isValidInput} accepts (height and width each); others are not checked
   * and pooling would silently drop the remainder.
   */
  public static CompiledModel compileForAnySize(ModelSpec spec, long seed) {
    return compileForAnySize(spec, seed, spec.dimensions() == 3 ? defaultVolumeLowering() : defaultLowering());
  }

  /** {@link #compileForAnySize(ModelSpec, long)} with the convolutions lowered as {@code lowering} says. */
  public static CompiledModel compileForAnySize(ModelSpec spec, long seed, ConvolutionLowering lowering) {
    if (spec.dimensions() == 3) {
      return compileVolume(spec, null, seed, volumeLowering(lowering));
    }
    return compile(spec, OptionalInt.empty(), seed, lowering, WinogradRule.forThisMachine(KernelTransform.EVERY_RUN),
        KernelTransform.EVERY_RUN);
  }

  /** Compiles with {@code rule} deciding which convolutions {@link ConvolutionLowering#WINOGRAD} transforms. */
  static CompiledModel compile(ModelSpec spec, OptionalInt tile, long seed, ConvolutionLowering lowering,
      WinogradRule rule) {
    return compile(spec, tile, seed, lowering, rule, KernelTransform.EVERY_RUN);
  }

  /** Compiles with {@code rule}, transforming Winograd kernels as {@code kernelTransform} says. */
  static CompiledModel compile(ModelSpec spec, OptionalInt tile, long seed, ConvolutionLowering lowering,
      WinogradRule rule, KernelTransform kernelTransform) {
    if (spec.dimensions() == 3) {
      throw new IllegalArgumentException("a 3D net takes (z, y, x) tiles: compile(spec, Size3, seed) or "
          + "compileForAnySize(spec, seed)");
    }
    int referenceSize = tile.orElseGet(() -> spec.geometry().smallestValidInput());
    return build(spec, seed, lowering, rule, kernelTransform, spec.geometry().layers(referenceSize),
        (compiler, graph) -> compiler.build(graph, tile, null));
  }

  /**
   * Compiles a 3D net ({@link ModelSpec#dimensions()} 3) for tiles of {@code tile} voxels (any batch
   * size): the input is {@code [-1, z, y, x, channels]}, float32. The convolutions are lowered as
   * {@link #defaultVolumeLowering()} says; pooling is TensorFlow's {@code MaxPool3D}/{@code AvgPool3D},
   * whose gradients are registered. The same spec and seed always give bit-identical initial weights.
   *
   * @throws SpecException when {@code tile} is not a valid input, naming the stage and the axis
   */
  public static CompiledModel compile(ModelSpec spec, Size3 tile, long seed) {
    return compile(spec, tile, seed, defaultVolumeLowering());
  }

  /**
   * {@link #compile(ModelSpec, Size3, long)} with the convolutions lowered as {@code lowering} says:
   * {@link ConvolutionLowering#NATIVE} makes every convolution TensorFlow's {@code Conv3D} and every
   * up-convolution its {@code Conv3DBackpropInputV2} (trainable through {@link Conv3dGradients});
   * {@link ConvolutionLowering#MATMUL} makes every convolution a gather of its patches and a matrix
   * product, and every up-convolution a matrix product whose blocks a transpose puts in place, which
   * train through the gradients TensorFlow Java has ({@code GatherV2}, {@code MatMul},
   * {@code Reshape}, {@code Transpose}) but hold kz k k times a layer's input. The variables, their
   * initial values and the function are the same.
   *
   * @throws SpecException when {@code tile} is not a valid input, naming the stage and the axis
   * @throws IllegalArgumentException for {@link ConvolutionLowering#WINOGRAD}, which has no 3D form
   */
  public static CompiledModel compile(ModelSpec spec, Size3 tile, long seed, ConvolutionLowering lowering) {
    spec.volumeGeometry().requireValid(tile);
    return compileVolume(spec, tile, seed, volumeLowering(lowering));
  }

  /**
   * The lowering of {@link #compile(ModelSpec, Size3, long)}: {@code native} or {@code matmul} when
   * the {@value #LOWERING_PROPERTY} system property says so, else ({@code auto}, or {@code winograd},
   * which has no 3D form) {@link ConvolutionLowering#NATIVE} wherever {@link Conv3dGradients} can
   * differentiate it, {@link ConvolutionLowering#MATMUL} elsewhere. Native is the default because it
   * needs a fraction of the memory (the matrix form's patches are kz k k times each layer's input,
   * so the net of Çiçek et al. 2016 cannot train in 24 GB that way) and its forward pass was as
   * fast on the CPU measured ({@code docs/guide/volumes.md}, Speed and memory).
   */
  public static ConvolutionLowering defaultVolumeLowering() {
    ConvolutionLowering asked = defaultLowering();
    String value = System.getProperty(LOWERING_PROPERTY, "auto").trim();
    if (value.equalsIgnoreCase("native") || value.equalsIgnoreCase("matmul")) {
      return asked;
    }
    return Conv3dGradients.register() ? ConvolutionLowering.NATIVE : ConvolutionLowering.MATMUL;
  }

  private static ConvolutionLowering volumeLowering(ConvolutionLowering lowering) {
    checkArgument(lowering != ConvolutionLowering.WINOGRAD,
        "3D convolutions have no Winograd form: lower them as NATIVE or MATMUL");
    if (lowering == ConvolutionLowering.NATIVE) {
      // Before any gradient of the graph is asked for.
      Conv3dGradients.register();
    }
    return lowering;
  }

  /** A 3D net at {@code tile}, or with free sizes when it is null. */
  private static CompiledModel compileVolume(ModelSpec spec, @Nullable Size3 tile, long seed,
      ConvolutionLowering lowering) {
    Size3 reference = tile != null ? tile : spec.volumeGeometry().smallestValidInput();
    return build(spec, seed, lowering, WinogradRule.forThisMachine(KernelTransform.EVERY_RUN),
        KernelTransform.EVERY_RUN, spec.volumeGeometry().layers(reference),
        (compiler, graph) -> compiler.build(graph, OptionalInt.empty(), tile));
  }

  /** What to do with a fresh compiler and its graph. */
  private interface Body {
    CompiledModel apply(ModelCompiler compiler, Graph graph);
  }

  private static CompiledModel build(ModelSpec spec, long seed, ConvolutionLowering lowering, WinogradRule rule,
      KernelTransform kernelTransform, List<LayerShape> referenceLayers, Body body) {
    Graph graph = new Graph();
    try {
      return body.apply(new ModelCompiler(spec, seed, lowering, rule, kernelTransform, graph, referenceLayers), graph);
    } catch (RuntimeException | Error e) {
      graph.close();
      throw e;
    }
  }

  private CompiledModel build(Graph graph, OptionalInt tile, @Nullable Size3 volumeTile) {
    Ops tf = scopes.root();
    long size = tile.isPresent() ? tile.getAsInt() : -1;
    Shape shape = !volume ? Shape.of(-1, size, size, spec.inputChannels())
        : volumeTile == null ? Shape.of(-1, -1, -1, -1, spec.inputChannels())
        : Shape.of(-1, volumeTile.z(), volumeTile.y(), volumeTile.x(), spec.inputChannels());
    Placeholder<TFloat32> input = tf.withName(CompiledModel.INPUT).placeholder(TFloat32.class,
        Placeholder.shape(shape));

    Operand<TFloat32> logits = tf.withName(CompiledModel.LOGITS).identity(new Lowering(input).run());
    Operand<TFloat32> probabilities = outputActivation(tf.withName(CompiledModel.PROBABILITIES), logits);
    Op update = tf.withName(CompiledModel.MOVING_AVERAGE_UPDATE).withControlDependencies(movingAverageUpdates)
        .noOp();
    return new CompiledModel(spec, seed, tile, Optional.ofNullable(volumeTile), graph, input, training, dropoutSeed, logits, probabilities, update,
        variables, layers, forms);
  }

  // ---- blocks --------------------------------------------------------------------------------

  /**
   * What a convolution's lowering reads besides its kernel and channels: its kernel along z (0: as
   * the in-plane one), padding, normalization (with its groups) and activation (with leaky ReLU's
   * slope).
   */
  private record ConvSettings(int kernelZ, Padding padding, Normalization normalization, int groups,
      Activation activation, float leakySlope) {
    static ConvSettings of(Block.Conv conv) {
      return new ConvSettings(conv.kernelZ(), conv.padding(), conv.normalization(), conv.groups(),
          conv.nonlinearity().activation(), (float) conv.nonlinearity().leakySlope());
    }

    /** Settings that only {@link #activate} reads: those of the up-convolution and the shortcut. */
    static ConvSettings of(Block.Nonlinearity nonlinearity) {
      return new ConvSettings(0, Padding.VALID, Normalization.NONE, 0, nonlinearity.activation(),
          (float) nonlinearity.leakySlope());
    }
  }

  /**
   * The lowering of {@link ModelSpec#blocks()}, in their order, one method per kind; the main path's
   * map goes from block to block, and what later blocks take from earlier ones waits here: the
   * contracting stages' outputs by level (the skips, taken at each level's down-sampling), the
   * projected gating signal of an attention gate, the cropped skip it gated, and the input of a
   * residual stage's convolutions (for its shortcut).
   */
  private final class Lowering implements Block.Visitor<Operand<TFloat32>> {
    private Operand<TFloat32> x;
    private final Map<Integer, Operand<TFloat32>> skips = new HashMap<>();
    private @Nullable Operand<TFloat32> gate;
    private @Nullable Operand<TFloat32> gated;
    private @Nullable Operand<TFloat32> stageInput;

    Lowering(Operand<TFloat32> input) {
      this.x = input;
    }

    /** The head's output: the logits. */
    Operand<TFloat32> run() {
      for (Block block : spec.blocks()) {
        x = block.accept(this);
      }
      return x;
    }

    @Override
    public Operand<TFloat32> conv(Block.Conv block) {
      if (block.opensStage()) {
        stageInput = x;
      }
      return ModelCompiler.this.conv(block.path(), x, block.channels(), block.kernel(), ConvSettings.of(block),
          block.activated());
    }

    @Override
    public Operand<TFloat32> pool(Block.Pool block) {
      skips.put(block.level(), x);
      return ModelCompiler.this.pool(block.path(), x, block.level());
    }

    @Override
    public Operand<TFloat32> upConv(Block.UpConv block) {
      return ModelCompiler.this.upConv(block.path(), x, block.channels(), ConvSettings.of(block.nonlinearity()),
          block.level());
    }

    @Override
    public Operand<TFloat32> upsample(Block.Upsample block) {
      return ModelCompiler.this.upsample(block.path(), x, block.size(), block.padding());
    }

    /** The gate projects the coarse map the stage up-samples; the main path goes on from that map. */
    @Override
    public Operand<TFloat32> gate(Block.Gate block) {
      gate = gatingSignal(block.path(), x, block.channels());
      return x;
    }

    /** The skip, cropped where the concatenation crops it, gated; the concatenation takes it. */
    @Override
    public Operand<TFloat32> attention(Block.Attention block) {
      gated = ModelCompiler.this.attention(block.path(), cropped(block.stage(), block.level()),
          Objects.requireNonNull(gate, "an attention block without its gate"),
          spec.poolingAlong(block.level(), Axis.Y));
      return x;
    }

    @Override
    public Operand<TFloat32> concat(Block.Concat block) {
      Operand<TFloat32> skip = gated != null ? gated : cropped(block.stage(), block.level());
      gated = null;
      gate = null;
      return ModelCompiler.this.concat(block.path(), skip, x);
    }

    @Override
    public Operand<TFloat32> shortcut(Block.Shortcut block) {
      return ModelCompiler.this.shortcut(block.path(),
          Objects.requireNonNull(stageInput, "a shortcut without its stage's convolutions"), x,
          ConvSettings.of(block.nonlinearity()));
    }

    @Override
    public Operand<TFloat32> dropout(Block.Dropout block) {
      return ModelCompiler.this.dropout(block.path(), x, block.rate());
    }

    @Override
    public Operand<TFloat32> head(Block.Head block) {
      return ModelCompiler.this.head(block.path(), x);
    }

    /**
     * The skip of {@code level} centre-cropped to the up-sampled map, under the scope of expanding
     * stage {@code stage}'s concatenation.
     */
    private Operand<TFloat32> cropped(int stage, int level) {
      return centreCrop(scopes.at("expanding/" + stage + "/concat"),
          Objects.requireNonNull(skips.get(level), "a skip taken before its level's down-sampling"), x);
    }
  }

  /**
   * A k x k convolution (in a 3D net kz x k x k, its kernel {@code [kz, k, k, cin, cout]} as
   * TensorFlow's {@code Conv3D} has it), optional batch norm, the activation.
   */
  private Operand<TFloat32> conv(String path, Operand<TFloat32> x, int filters, int kernel, ConvSettings settings,
      boolean activated) {
    Ops tf = scopes.at(path);
    int in = channels(x);
    int kernelZ = settings.kernelZ() != 0 ? settings.kernelZ() : kernel;
    Padding padding = settings.padding();
    UnaryOperator<Operand<TFloat32>> activation = activated ? v -> activate(tf, v, settings) : v -> v;
    Variable<TFloat32> w = volume
        ? heNormal(path, Shape.of(kernelZ, kernel, kernel, in, filters), kernelZ * HeInit.convFanIn(kernel, in))
        : heNormal(path, Shape.of(kernel, kernel, in, filters), HeInit.convFanIn(kernel, in));
    if (settings.normalization() != Normalization.NONE) {
      // The normalization's offset takes the place of the bias.
      Operand<TFloat32> y = volume ? convolveVolume(path, x, w, padding, v -> v) : convolve(path, x, w, kernel, padding,
          v -> v);
      return layer(path, activation.apply(normalization(path + "/norm", y, settings)));
    }
    Variable<TFloat32> b = bias(path, filters);
    UnaryOperator<Operand<TFloat32>> pointwise = new BiasAndActivation(b, activated ? fusedSlope(settings) : 1f,
        v -> activation.apply(tf.nn.biasAdd(v, b)));
    return layer(path, volume ? convolveVolume(path, x, w, padding, pointwise)
        : convolve(path, x, w, kernel, padding, pointwise));
  }

  /**
   * A bias and an activation applied to each pixel's channels by TensorFlow's ops ({@code ops}),
   * which unet4j's native Winograd blocks can also compute as they place the blocks
   * ({@link WinogradOps#activatedBlocks}): the bias is added, then {@code v} where {@code v > 0},
   * else {@code slope v}; {@code slope} is 0 for ReLU, the slope for leaky ReLU, 1 without an
   * activation, NaN for an activation the blocks do not compute.
   */
  private record BiasAndActivation(Operand<TFloat32> bias, float slope, UnaryOperator<Operand<TFloat32>> ops)
      implements UnaryOperator<Operand<TFloat32>> {
    @Override
    public Operand<TFloat32> apply(Operand<TFloat32> v) {
      return ops.apply(v);
    }

    /** Whether the blocks compute it: an activation of slope 0 to 1, whose output is positive where its input is. */
    boolean fusable() {
      return slope >= 0 && slope <= 1;
    }
  }

  /** The slope of {@link BiasAndActivation} for the settings' activation. */
  private static float fusedSlope(ConvSettings settings) {
    return switch (settings.activation()) {
      case RELU -> 0f;
      case LEAKY_RELU -> settings.leakySlope();
      case ELU, GELU -> Float.NaN;
    };
  }

  /**
   * A residual stage's output: its last convolution {@code y} (not activated yet) plus the stage's
   * {@code input}, centre-cropped to {@code y} (unpadded convolutions lose a border) and projected
   * by a 1x1 convolution with a bias when the channels differ (He et al. 2016, eq. 2), then the
   * activation.
   */
  private Operand<TFloat32> shortcut(String path, Operand<TFloat32> input, Operand<TFloat32> y,
      ConvSettings settings) {
    Ops tf = scopes.at(path);
    Operand<TFloat32> x = centreCrop(tf, input, y);
    int in = channels(x);
    int out = channels(y);
    if (in != out) {
      Variable<TFloat32> b = bias(path, out);
      UnaryOperator<Operand<TFloat32>> addBias = v -> tf.nn.biasAdd(v, b);
      x = volume ? convolveVolume(path, x, heNormal(path, Shape.of(1, 1, 1, in, out), in), Padding.VALID, addBias)
          : convolve(path, x, heNormal(path, Shape.of(1, 1, in, out), HeInit.convFanIn(1, in)), 1, Padding.VALID,
              addBias);
    }
    return layer(path, activate(tf, tf.math.add(y, x), settings));
  }

  /**
   * Oktay et al.'s W_g g + b_g: the gating signal {@code g} (the coarser decoder map that the
   * stage up-convolves) projected to the gate's {@code channels} by a 1x1 convolution, on its own
   * grid; {@link #attention} spreads it over the skip's.
   */
  private Operand<TFloat32> gatingSignal(String path, Operand<TFloat32> g, int channels) {
    Ops tf = scopes.at(path);
    Variable<TFloat32> w = heNormal(path, Shape.of(1, 1, channels(g), channels), HeInit.convFanIn(1, channels(g)));
    Variable<TFloat32> b = bias(path, channels);
    return layer(path, convolve(path, g, w, 1, Padding.VALID, v -> tf.nn.biasAdd(v, b)));
  }

  /**
   * The attention gate of Oktay et al. 2018 (Sec. 2.2, eq. 1-2) on the cropped skip {@code x}:
   * coefficients alpha = sigmoid(psi^T relu(W_x^T x + W_g^T g + b_g) + b_psi) in (0, 1), one per
   * pixel, and x alpha. The projected gating signal {@code gate} lies on the coarse grid; each of
   * its pixels covers the p x p block of skip pixels that the up-convolution fills from it, so it is
   * repeated over that block (nearest-neighbour resampling, exact because the up-convolved and the
   * cropped skip sizes are p times the coarse one). W_x has no bias (b_g serves both sums).
   */
  private Operand<TFloat32> attention(String path, Operand<TFloat32> x, Operand<TFloat32> gate, int pool) {
    Ops tf = scopes.at(path);
    int in = channels(x);
    int inner = channels(gate);
    Variable<TFloat32> wx = heNormal(path, Shape.of(1, 1, in, inner), HeInit.convFanIn(1, in));
    Variable<TFloat32> psi = variable(path, "psi", heValues(path, "psi", Shape.of(inner, 1), inner), true);
    Variable<TFloat32> b = bias(path, 1);
    // After bilinear upsampling the stage's map is smaller than p times the coarse one: the repeated
    // gate is centre-cropped as the skip was.
    Operand<TFloat32> spread = centreCrop(tf, tf.nn.depthToSpace(tf.tile(gate,
        tf.constant(new int[] {1, 1, 1, pool * pool})), (long) pool), x);
    Operand<TFloat32> theta = convolve(path, x, wx, 1, Padding.VALID, v -> v);
    Operand<TFloat32> hidden = tf.reshape(tf.nn.relu(tf.math.add(theta, spread)), tf.constant(new int[] {-1, inner}));
    Operand<TFloat32> coefficients = tf.math.sigmoid(tf.nn.biasAdd(tf.linalg.matMul(hidden, psi), b));
    Operand<TFloat32> alpha = tf.reshape(coefficients,
        tf.stack(List.of(tf.constant(-1), dim(tf, x, 1), dim(tf, x, 2), tf.constant(1))));
    return layer(path, tf.math.mul(x, alpha));
  }

  /**
   * p x p max or average pooling with stride p (paper: 2x2 max pooling, stride 2); in a 3D net
   * pz x p x p after contracting stage {@code level}.
   */
  private Operand<TFloat32> pool(String path, Operand<TFloat32> x, int level) {
    Ops tf = scopes.at(path);
    int pool = spec.pooling().size();
    if (volume) {
      List<Long> window = List.of(1L, (long) spec.poolingAlong(level, Axis.Z), (long) pool, (long) pool, 1L);
      return layer(path, spec.pooling().kind() == PoolingKind.MAX ? tf.nn.maxPool3d(x, window, window, "VALID")
          : tf.nn.avgPool3d(x, window, window, "VALID"));
    }
    if (spec.pooling().kind() == PoolingKind.STRIDED_CONV) {
      return layer(path, stridedConv(path, x, pool));
    }
    List<Long> window = List.of(1L, (long) pool, (long) pool, 1L);
    Operand<TFloat32> y;
    if (spec.pooling().kind() != PoolingKind.MAX) {
      y = tf.nn.avgPool(x, window, window, "VALID");
    } else if (lowering == ConvolutionLowering.WINOGRAD && winogradRule.nativeOps()) {
      // With the native Winograd ops (never in an export's graph): in one pass, and differentiated in one.
      y = WinogradOps.maxPool(tf, x, pool);
    } else {
      y = tf.nn.maxPool(x, tf.constant(new int[] {1, pool, pool, 1}), tf.constant(new int[] {1, pool, pool, 1}),
          "VALID");
    }
    return layer(path, y);
  }

  /**
   * Down-sampling by a p x p convolution with stride p that keeps the channels, with a bias and no
   * activation. Its windows do not overlap, so it is {@code SpaceToDepth} (each window's pixels
   * side by side, in the kernel's row, column, channel order) and a 1x1 convolution by the kernel
   * {@code [p, p, c, c]} seen as {@code [1, 1, p p c, c]}, lowered as every other convolution.
   */
  private Operand<TFloat32> stridedConv(String path, Operand<TFloat32> x, int pool) {
    Ops tf = scopes.at(path);
    int c = channels(x);
    Variable<TFloat32> w = heNormal(path, Shape.of(pool, pool, c, c), HeInit.convFanIn(pool, c));
    Variable<TFloat32> b = bias(path, c);
    Operand<TFloat32> kernel = tf.reshape(w, tf.constant(new int[] {1, 1, pool * pool * c, c}));
    return convolve(path, tf.nn.spaceToDepth(x, (long) pool), kernel, 1, Padding.VALID, v -> tf.nn.biasAdd(v, b));
  }

  /**
   * The p x p up-convolution with stride p to {@code filters} channels (paper: 2x2, halving them),
   * paired with contracting stage {@code level}.
   */
  private Operand<TFloat32> upConv(String path, Operand<TFloat32> x, int filters, ConvSettings activation, int level) {
    if (volume) {
      return upConvVolume(path, x, filters, activation, spec.poolingAlong(level, Axis.Z));
    }
    Ops tf = scopes.at(path);
    int in = channels(x);
    int pool = spec.pooling().size();
    Variable<TFloat32> w = heNormal(path, Shape.of(pool, pool, filters, in), HeInit.upConvFanIn(in));
    Variable<TFloat32> b = bias(path, filters);
    if (matrices()) {
      forms.put(path, ConvolutionForm.MATMUL);
      // Output pixel (p y + i, p x + j, c) is input pixel (y, x) times kernel[i, j, c, :]; DepthToSpace
      // reads channel (i p + j) cout + c into that place, so the matrix is the kernel as [cin, p, p, cout]
      // and the bias repeats p² times along the product's columns.
      Operand<TFloat32> matrix = tf.reshape(tf.linalg.transpose(w, tf.constant(new int[] {3, 0, 1, 2})),
          tf.constant(new int[] {in, pool * pool * filters}));
      Operand<TFloat32> product = tf.linalg.matMul(tf.reshape(x, tf.constant(new int[] {-1, in})), matrix);
      Operand<TFloat32> activated = activate(tf, tf.nn.biasAdd(product, tf.tile(b, tf.constant(new int[] {pool * pool}))),
          activation);
      Operand<TFloat32> blocks = tf.reshape(activated, tf.stack(List.of(tf.constant(-1), dim(tf, x, 1), dim(tf, x, 2),
          tf.constant(pool * pool * filters))));
      return layer(path, tf.nn.depthToSpace(blocks, (long) pool));
    }
    forms.put(path, ConvolutionForm.CONV2D);
    Operand<TInt32> outputShape = tf.stack(List.of(dim(tf, x, 0), tf.math.mul(dim(tf, x, 1), tf.constant(pool)),
        tf.math.mul(dim(tf, x, 2), tf.constant(pool)), tf.constant(filters)));
    Operand<TFloat32> y = tf.nn.conv2dBackpropInput(outputShape, w, x, List.of(1L, (long) pool, (long) pool, 1L),
        "VALID");
    return layer(path, activate(tf, tf.nn.biasAdd(y, b), activation));
  }

  /**
   * Bilinear upsampling by the pooling factor p with half-pixel centres ({@code ResizeBilinear},
   * whose gradient TensorFlow registers); a learnt 3x3 convolution to the stage's channels, with a
   * bias and the stage's activation, padded as the stage is, follows as its own block. Unpadded
   * ({@code padding}), the floor(p/2) pixels at each border, whose sampling points lie outside the
   * coarse map's pixel centres and would be clamped to the edge, are cut off, so no tile sees values
   * that a larger tile would not.
   */
  private Operand<TFloat32> upsample(String path, Operand<TFloat32> x, int pool, Padding padding) {
    Ops tf = scopes.at(path);
    Operand<TInt32> height = tf.math.mul(dim(tf, x, 1), tf.constant(pool));
    Operand<TInt32> width = tf.math.mul(dim(tf, x, 2), tf.constant(pool));
    Operand<TFloat32> fine = tf.image.resizeBilinear(x, tf.stack(List.of(height, width)),
        ResizeBilinear.halfPixelCenters(true));
    if (padding == Padding.VALID) {
      int cut = pool / 2;
      Operand<TInt32> trim = tf.constant(2 * cut);
      fine = tf.slice(fine, tf.constant(new int[] {0, cut, cut, 0}), tf.stack(List.of(tf.constant(-1),
          tf.math.sub(height, trim), tf.math.sub(width, trim), tf.constant(channels(x)))));
    }
    return layer(path, fine);
  }

  /**
   * {@code pointwise} of the k x k convolution with stride 1 of {@code x} with {@code w}
   * ({@code [k, k, cin, cout]}), lowered as {@link #lowering} says; see
   * {@link ConvolutionLowering#MATMUL} for the matrix form. {@code pointwise} acts on each pixel's
   * channels (bias, activation): in the matrix form it is applied to the product before it becomes
   * an image again, so that Grappler fuses the three into one {@code _FusedMatMul}.
   */
  private Operand<TFloat32> convolve(String path, Operand<TFloat32> x, Operand<TFloat32> w, int kernel,
      Padding padding, UnaryOperator<Operand<TFloat32>> pointwise) {
    Ops tf = scopes.at(path);
    int in = channels(x);
    int out = (int) w.shape().get(3);
    ConvolutionForm form = form(x, out, kernel, padding);
    forms.put(path, form);
    if (form == ConvolutionForm.CONV2D) {
      return pointwise.apply(tf.nn.conv2d(x, w, List.of(1L, 1L, 1L, 1L), padding == Padding.VALID ? "VALID" : "SAME"));
    }
    if (padding == Padding.SAME && kernel > 1) {
      int before = (kernel - 1) / 2;
      int after = kernel - 1 - before;
      x = tf.pad(x, tf.constant(new int[][] {{0, 0}, {before, after}, {before, after}, {0, 0}}), tf.constant(0f));
    }
    if (form != ConvolutionForm.MATMUL) {
      WinogradForm winograd = winogradRule.form();
      Operand<TFloat32> transformed = winogradKernel(path, tf, w, winograd);
      int chunks = gradientChunks(x, winograd);
      return winogradRule.nativeOps() ? nativeWinograd(tf, x, transformed, pointwise, chunks)
          : winograd(tf, x, transformed, out, pointwise, winograd, chunks);
    }
    Operand<TInt32> height = tf.math.sub(dim(tf, x, 1), tf.constant(kernel - 1));
    Operand<TInt32> width = tf.math.sub(dim(tf, x, 2), tf.constant(kernel - 1));
    int depth = kernel * kernel * in;
    Operand<TFloat32> rows = kernel == 1 ? tf.reshape(x, tf.constant(new int[] {-1, in}))
        : patches(tf, x, kernel, height, width);
    Operand<TFloat32> product = tf.linalg.matMul(rows, tf.reshape(w, tf.constant(new int[] {depth, out})));
    return tf.reshape(pointwise.apply(product), tf.stack(List.of(tf.constant(-1), height, width, tf.constant(out))));
  }

  /**
   * The form of a convolution of {@code x} (before any padding) to {@code out} channels: Winograd's
   * for the 3x3 layers the rule transforms, TensorFlow's {@code Conv2D} where the lowering or the
   * rule leaves a layer to it or its im2col patches would exceed {@link #PATCH_LIMIT_BYTES}, else a
   * matrix product.
   */
  private ConvolutionForm form(Operand<TFloat32> x, int out, int kernel, Padding padding) {
    if (lowering == ConvolutionLowering.NATIVE || patchBytes(x, kernel, padding) > PATCH_LIMIT_BYTES
        || lowering == ConvolutionLowering.WINOGRAD && winogradRule.leavesToConv2d(channels(x), out)) {
      return ConvolutionForm.CONV2D;
    }
    if (lowering == ConvolutionLowering.WINOGRAD && kernel == 3 && winogradRule.transforms(x, out, padding)) {
      return winogradRule.form().reported;
    }
    return matrices() ? ConvolutionForm.MATMUL : ConvolutionForm.CONV2D;
  }

  /**
   * In how many chunks of input channels the backward pass of a Winograd layer whose input is
   * {@code x} rebuilds its tiles and computes its gradients ({@link WinogradProduct}): enough that
   * one chunk's tiles of one image take at most the rule's {@code gradientChunkBytes} (1 for maps of
   * unknown size), at most one per input channel; 0 in a graph that is not differentiated, whose
   * product is TensorFlow's own.
   */
  private int gradientChunks(Operand<TFloat32> x, WinogradForm form) {
    if (!differentiated()) {
      return 0;
    }
    long height = x.shape().get(1);
    long width = x.shape().get(2);
    if (height < 0 || width < 0) {
      return 1;
    }
    long tiles = ((height - 2 + form.block - 1) / form.block) * ((width - 2 + form.block - 1) / form.block);
    long bytes = (long) form.tile * form.tile * tiles * channels(x) * Float.BYTES;
    long chunk = winogradRule.gradientChunkBytes();
    return (int) Math.min(channels(x), Math.max(1, (bytes + chunk - 1) / chunk));
  }

  /**
   * Whether this graph may be differentiated: one that transforms its Winograd kernels in every run.
   * A graph with kernels transformed once per session is for inference only, and keeps TensorFlow's
   * own activations (which Grappler fuses with the convolution before them).
   */
  private boolean differentiated() {
    return kernelTransform == KernelTransform.EVERY_RUN;
  }

  /** Whether layers that are not Winograd's are matrix products: {@code MATMUL}, or {@code WINOGRAD} whose rule says so. */
  private boolean matrices() {
    return lowering == ConvolutionLowering.MATMUL
        || lowering == ConvolutionLowering.WINOGRAD && winogradRule.rest() == ConvolutionLowering.MATMUL;
  }

  /**
   * im2col: for every output pixel the k x k input pixels under the kernel, side by side in the
   * kernel's (row, column, channel) order, as a {@code [batch height width, k k cin]} matrix. One gather
   * reads them all: input pixel {@code (y + dy, x + dx)} of image {@code b} is row
   * {@code (b h + y + dy) w + x + dx} of the input seen as a {@code [b h w, cin]} matrix. Its
   * gradient is one {@code UnsortedSegmentSum}, which adds the k² contributions to each input pixel
   * in a fixed order; k² slices would make TensorFlow add k² gradients in an order that changes
   * from one graph build to the next, and training would stop being bit-reproducible.
   */
  private static Operand<TFloat32> patches(Ops tf, Operand<TFloat32> x, int kernel, Operand<TInt32> height,
      Operand<TInt32> width) {
    int in = channels(x);
    Operand<TInt32> rowLength = dim(tf, x, 2);
    Operand<TInt32> imageSize = tf.math.mul(dim(tf, x, 1), rowLength);
    Operand<TInt32> one = tf.constant(1);
    Operand<TInt32> zero = tf.constant(0);
    // Row of each output pixel's top-left tap within its image: y w + x, [height, width].
    Operand<TInt32> origins = tf.math.add(
        tf.reshape(tf.math.mul(tf.range(zero, height, one), rowLength), tf.constant(new int[] {-1, 1})),
        tf.reshape(tf.range(zero, width, one), tf.constant(new int[] {1, -1})));
    // Offset of each tap from the top-left one: dy w + dx, [k, k].
    Operand<TInt32> kernelRange = tf.range(zero, tf.constant(kernel), one);
    Operand<TInt32> taps = tf.math.add(tf.reshape(tf.math.mul(kernelRange, rowLength), tf.constant(new int[] {-1, 1})),
        tf.reshape(kernelRange, tf.constant(new int[] {1, -1})));
    Operand<TInt32> perImage = tf.math.add(tf.reshape(origins, tf.constant(new int[] {-1, 1})),
        tf.reshape(taps, tf.constant(new int[] {1, -1})));
    Operand<TInt32> images = tf.math.mul(tf.range(zero, dim(tf, x, 0), one), imageSize);
    Operand<TInt32> rows = tf.reshape(tf.math.add(tf.reshape(images, tf.constant(new int[] {-1, 1})),
        tf.reshape(perImage, tf.constant(new int[] {1, -1}))), tf.constant(new int[] {-1}));
    Operand<TFloat32> pixels = tf.reshape(x, tf.constant(new int[] {-1, in}));
    return tf.reshape(tf.gather(pixels, rows, zero), tf.constant(new int[] {-1, kernel * kernel * in}));
  }

  /**
   * Winograd's minimal filtering F(m x m, 3x3) (Lavin and Gray 2016): each m x m block of output
   * pixels comes from the (m + 2) x (m + 2) input tile under it as {@code A^T [(G g G^T) . (B^T d B)] A}.
   */
  enum WinogradForm {
    /** F(2x2, 3x3): 16 multiplications per 4 outputs and channel pair (direct: 36). */
    F2(2, ConvolutionForm.WINOGRAD_2X2,
        new float[][] {{1, 0, -1, 0}, {0, 1, 1, 0}, {0, -1, 1, 0}, {0, 1, 0, -1}},
        new float[][] {{1, 0, 0}, {0.5f, 0.5f, 0.5f}, {0.5f, -0.5f, 0.5f}, {0, 0, 1}},
        new float[][] {{1, 1, 1, 0}, {0, 1, -1, -1}}),
    /** F(4x4, 3x3): 36 multiplications per 16 outputs and channel pair (direct: 144), points 0, +-1, +-2. */
    F4(4, ConvolutionForm.WINOGRAD_4X4,
        new float[][] {{4, 0, -5, 0, 1, 0}, {0, -4, -4, 1, 1, 0}, {0, 4, -4, -1, 1, 0}, {0, -2, -1, 2, 1, 0},
            {0, 2, -1, -2, 1, 0}, {0, 4, 0, -5, 0, 1}},
        new float[][] {{1 / 4f, 0, 0}, {-1 / 6f, -1 / 6f, -1 / 6f}, {-1 / 6f, 1 / 6f, -1 / 6f},
            {1 / 24f, 1 / 12f, 1 / 6f}, {1 / 24f, -1 / 12f, 1 / 6f}, {0, 0, 1}},
        new float[][] {{1, 1, 1, 1, 1, 0}, {0, 1, -1, 2, -2, 0}, {0, 1, 1, 4, 4, 0}, {0, 1, -1, 8, -8, 1}});

    final int block;
    final ConvolutionForm reported;
    final int tile;
    final float[][] inputTransform;
    final float[][] kernelTransform;
    final float[][] outputTransform;

    WinogradForm(int block, ConvolutionForm reported, float[][] bt, float[][] g, float[][] at) {
      this.block = block;
      this.reported = reported;
      this.tile = block + 2;
      this.inputTransform = kronecker(bt, bt);
      this.kernelTransform = kronecker(g, g);
      this.outputTransform = kronecker(at, at);
    }
  }

  /**
   * The valid 3x3 convolution of {@code x} with {@code w} by Winograd's minimal filtering
   * ({@link WinogradForm}), which takes t² multiplications per m x m output block, t = m + 2, and
   * channel pair instead of 9 m². One gather collects the overlapping t x t tiles, one matrix
   * product transforms them, one batched product {@code [t², tiles, cin] x [t², cin, cout]} does the
   * work, one more product transforms back and a transpose puts the blocks in place. Output sizes
   * that are not a multiple of m get garbage rows and columns, computed from clamped indices and
   * cropped.
   */
  private static Operand<TFloat32> winograd(Ops tf, Operand<TFloat32> x, Operand<TFloat32> kernel, int out,
      UnaryOperator<Operand<TFloat32>> pointwise, WinogradForm form, int chunks) {
    int in = channels(x);
    int m = form.block;
    int t = form.tile;
    int positions = t * t;
    Operand<TInt32> zero = tf.constant(0);
    Operand<TInt32> one = tf.constant(1);
    Operand<TInt32> block = tf.constant(m);
    Operand<TInt32> inHeight = dim(tf, x, 1);
    Operand<TInt32> inWidth = dim(tf, x, 2);
    Operand<TInt32> height = tf.math.sub(inHeight, tf.constant(2));
    Operand<TInt32> width = tf.math.sub(inWidth, tf.constant(2));
    Operand<TInt32> tilesDown = tf.math.floorDiv(tf.math.add(height, tf.constant(m - 1)), block);
    Operand<TInt32> tilesAcross = tf.math.floorDiv(tf.math.add(width, tf.constant(m - 1)), block);
    // Input row of tile position (a, b, image, tile row, tile column), clamped into the image.
    Operand<TInt32> taps = tf.range(zero, tf.constant(t), one);
    Operand<TInt32> rowOf = tf.math.mul(tf.math.minimum(
        tf.math.add(tf.reshape(taps, tf.constant(new int[] {t, 1, 1, 1, 1})),
            tf.reshape(tf.math.mul(tf.range(zero, tilesDown, one), block), tf.constant(new int[] {1, 1, 1, -1, 1}))),
        tf.math.sub(inHeight, one)), inWidth);
    Operand<TInt32> columnOf = tf.math.minimum(
        tf.math.add(tf.reshape(taps, tf.constant(new int[] {1, t, 1, 1, 1})),
            tf.reshape(tf.math.mul(tf.range(zero, tilesAcross, one), block), tf.constant(new int[] {1, 1, 1, 1, -1}))),
        tf.math.sub(inWidth, one));
    Operand<TInt32> imageOf = tf.reshape(
        tf.math.mul(tf.range(zero, dim(tf, x, 0), one), tf.math.mul(inHeight, inWidth)),
        tf.constant(new int[] {1, 1, -1, 1, 1}));
    Operand<TInt32> rows = tf.reshape(tf.math.add(tf.math.add(rowOf, columnOf), imageOf), tf.constant(new int[] {-1}));
    Operand<TFloat32> pixels = tf.reshape(x, tf.constant(new int[] {-1, in}));
    Operand<TFloat32> product = chunks == 0
        ? WinogradProduct.forInference(tf, pixels, rows, form.inputTransform, kernel)
        : WinogradProduct.forTraining(tf, pixels, rows, form.inputTransform, kernel, chunks);
    Operand<TFloat32> products = tf.reshape(product, tf.constant(new int[] {positions, -1}));
    Operand<TFloat32> blocks = tf.reshape(tf.linalg.matMul(tf.constant(form.outputTransform), products),
        tf.constant(new int[] {-1, out}));
    Operand<TFloat32> image = tf.reshape(
        tf.linalg.transpose(tf.reshape(blocks, tf.stack(List.of(block, block, dim(tf, x, 0), tilesDown, tilesAcross,
            tf.constant(out)))), tf.constant(new int[] {2, 3, 0, 4, 1, 5})),
        tf.stack(List.of(tf.constant(-1), tf.math.mul(tilesDown, block), tf.math.mul(tilesAcross, block),
            tf.constant(out))));
    long staticHeight = x.shape().get(1);
    long staticWidth = x.shape().get(2);
    if (staticHeight < 0 || staticWidth < 0 || (staticHeight - 2) % m != 0 || (staticWidth - 2) % m != 0) {
      image = tf.slice(image, tf.constant(new int[] {0, 0, 0, 0}),
          tf.stack(List.of(tf.constant(-1), height, width, tf.constant(out))));
    }
    // The bias and activation act on the placed image, not on the blocks before the transpose: the
    // activation's output is then the tensor the next layers read, and the only one a training step
    // keeps (OutputGradientActivation).
    return pointwise.apply(image);
  }

  /**
   * {@link #winograd}'s F(4x4) convolution with unet4j's native transforms ({@link WinogradOps}):
   * one op makes the transformed tiles, 36 matrix products (TensorFlow's) multiply them with the
   * kernel position by position, one op transforms the products back into the cropped output image,
   * adding the bias and applying the activation as it writes them where it can ({@link BiasAndActivation}).
   */
  private static Operand<TFloat32> nativeWinograd(Ops tf, Operand<TFloat32> x, Operand<TFloat32> kernel,
      UnaryOperator<Operand<TFloat32>> pointwise, int chunks) {
    if (pointwise instanceof BiasAndActivation fused && fused.fusable()) {
      return chunks == 0 ? WinogradProduct.nativeForInference(tf, x, kernel, fused.bias(), fused.slope())
          : WinogradProduct.nativeForTraining(tf, x, kernel, chunks, fused.bias(), fused.slope());
    }
    return pointwise.apply(chunks == 0 ? WinogradProduct.nativeForInference(tf, x, kernel)
        : WinogradProduct.nativeForTraining(tf, x, kernel, chunks));
  }

  /**
   * The kernel {@code w} ({@code [3, 3, cin, cout]}) in Winograd's domain, {@code G g G^T} for every
   * channel pair as a {@code [t², cin, cout]} tensor: computed from the variable in every run, or,
   * with {@link KernelTransform#ONCE_PER_SESSION}, in the first run of a session only. Then the
   * transform is a conditional: while the resource variable {@code <path>/winograd_kernel} is
   * uninitialised the kernel is transformed and assigned to it, afterwards it is read. The variable
   * is not a {@code VariableV2}, so checkpoints neither save nor expect it.
   */
  private Operand<TFloat32> winogradKernel(String path, Ops tf, Operand<TFloat32> w, WinogradForm form) {
    int in = (int) w.shape().get(2);
    int out = (int) w.shape().get(3);
    Shape shape = Shape.of(form.tile * form.tile, in, out);
    if (kernelTransform == KernelTransform.EVERY_RUN) {
      return transformKernel(tf, w, form, shape);
    }
    Operand<? extends TType> cache = tf.withName("winograd_kernel").varHandleOp(TFloat32.class, shape,
        VarHandleOp.sharedName(path + "/winograd_kernel"));
    // Switch and Merge, as TensorFlow's graph-mode conditionals are built: only the taken branch runs.
    SwitchCond<TFloat32> branch = tf.switchCond(w, tf.varIsInitializedOp(cache));
    Operand<TFloat32> fresh = transformKernel(tf, branch.outputFalse(), form, shape);
    Operand<TFloat32> stored = tf.withControlDependencies(List.of(tf.assignVariableOp(cache, fresh)))
        .identity(fresh);
    Operand<TFloat32> kept = tf.withControlDependencies(List.of(tf.identity(branch.outputTrue())))
        .readVariableOp(cache, TFloat32.class);
    return tf.merge(List.of(stored, kept)).output();
  }

  /** {@code G g G^T} for every channel pair of {@code w}, as a tensor of {@code shape}. */
  private static Operand<TFloat32> transformKernel(Ops tf, Operand<TFloat32> w, WinogradForm form, Shape shape) {
    int pairs = Math.toIntExact(shape.get(1) * shape.get(2));
    return tf.reshape(tf.linalg.matMul(tf.constant(form.kernelTransform), tf.reshape(w, tf.constant(new int[] {9, pairs}))),
        tf.constant(new int[] {(int) shape.get(0), (int) shape.get(1), (int) shape.get(2)}));
  }

  /** The Kronecker product a (x) b: entry (i p + k, j q + l) is a[i][j] b[k][l]. */
  private static float[][] kronecker(float[][] a, float[][] b) {
    int p = b.length;
    int q = b[0].length;
    float[][] product = new float[a.length * p][a[0].length * q];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[0].length; j++) {
        for (int k = 0; k < p; k++) {
          for (int l = 0; l < q; l++) {
            product[i * p + k][j * q + l] = a[i][j] * b[k][l];
          }
        }
      }
    }
    return product;
  }

  /** Bytes of the im2col patches of one image; 0 when the map's size is not known when compiling. */
  private static long patchBytes(Operand<TFloat32> x, int kernel, Padding padding) {
    long height = x.shape().get(1);
    long width = x.shape().get(2);
    if (height < 0 || width < 0) {
      return 0;
    }
    long shrink = padding == Padding.VALID ? kernel - 1 : 0;
    return (height - shrink) * (width - shrink) * kernel * kernel * x.shape().get(CHANNEL_AXIS) * Float.BYTES;
  }

  // ---- 3D blocks -----------------------------------------------------------------------------

  /**
   * {@code pointwise} of the kz x k x k convolution with stride 1 of the volume {@code x} with
   * {@code w} ({@code [kz, k, k, cin, cout]}): TensorFlow's {@code Conv3D} when the lowering is
   * native, else one matrix product: every output voxel's patch (see {@link #volumePatches}) times
   * the kernel as a {@code [kz k k cin, cout]} matrix; a 1x1x1 kernel is the product alone.
   */
  private Operand<TFloat32> convolveVolume(String path, Operand<TFloat32> x, Operand<TFloat32> w, Padding padding,
      UnaryOperator<Operand<TFloat32>> pointwise) {
    Ops tf = scopes.at(path);
    int in = channels(x);
    int kernelZ = (int) w.shape().get(0);
    int kernel = (int) w.shape().get(1);
    int out = (int) w.shape().get(4);
    if (lowering == ConvolutionLowering.NATIVE) {
      forms.put(path, ConvolutionForm.CONV3D);
      return pointwise.apply(tf.nn.conv3d(x, w, List.of(1L, 1L, 1L, 1L, 1L),
          padding == Padding.VALID ? "VALID" : "SAME"));
    }
    forms.put(path, ConvolutionForm.MATMUL);
    if (padding == Padding.SAME) {
      int[] z = {(kernelZ - 1) / 2, kernelZ / 2};
      int[] yx = {(kernel - 1) / 2, kernel / 2};
      x = tf.pad(x, tf.constant(new int[][] {{0, 0}, z, yx, yx, {0, 0}}), tf.constant(0f));
    }
    Operand<TInt32> depth = tf.math.sub(dim(tf, x, 1), tf.constant(kernelZ - 1));
    Operand<TInt32> height = tf.math.sub(dim(tf, x, 2), tf.constant(kernel - 1));
    Operand<TInt32> width = tf.math.sub(dim(tf, x, 3), tf.constant(kernel - 1));
    int taps = kernelZ * kernel * kernel;
    Operand<TFloat32> rows = taps == 1 ? tf.reshape(x, tf.constant(new int[] {-1, in}))
        : volumePatches(tf, x, kernelZ, kernel, depth, height, width);
    Operand<TFloat32> product = tf.linalg.matMul(rows, tf.reshape(w, tf.constant(new int[] {taps * in, out})));
    return tf.reshape(pointwise.apply(product),
        tf.stack(List.of(tf.constant(-1), depth, height, width, tf.constant(out))));
  }

  /**
   * im2col for volumes: for every output voxel the kz x k x k input voxels under the kernel, in the
   * kernel's (z, y, x, channel) order, as a {@code [batch depth height width, kz k k cin]} matrix.
   * Input voxel {@code (z + dz, y + dy, x + dx)} of volume {@code b} is row
   * {@code ((b D + z + dz) H + y + dy) W + x + dx} of the input seen as a {@code [b D H W, cin]}
   * matrix, so one gather reads them all and its gradient is one {@code UnsortedSegmentSum} (as for
   * {@link #patches}, which this extends by an axis).
   */
  private static Operand<TFloat32> volumePatches(Ops tf, Operand<TFloat32> x, int kernelZ, int kernel,
      Operand<TInt32> depth, Operand<TInt32> height, Operand<TInt32> width) {
    int in = channels(x);
    Operand<TInt32> rowLength = dim(tf, x, 3);
    Operand<TInt32> planeSize = tf.math.mul(dim(tf, x, 2), rowLength);
    Operand<TInt32> volumeSize = tf.math.mul(dim(tf, x, 1), planeSize);
    // Row of each output voxel's first tap within its volume: z H W + y W + x, [depth, height, width].
    Operand<TInt32> origins = grid(tf, List.of(depth, height, width), List.of(planeSize, rowLength));
    // Offset of each tap from the first: dz H W + dy W + dx, [kz, k, k].
    Operand<TInt32> offsets = grid(tf, List.of(tf.constant(kernelZ), tf.constant(kernel), tf.constant(kernel)),
        List.of(planeSize, rowLength));
    Operand<TInt32> perVolume = tf.math.add(tf.reshape(origins, tf.constant(new int[] {-1, 1})),
        tf.reshape(offsets, tf.constant(new int[] {1, -1})));
    Operand<TInt32> volumes = tf.math.mul(tf.range(tf.constant(0), dim(tf, x, 0), tf.constant(1)), volumeSize);
    Operand<TInt32> rows = tf.reshape(tf.math.add(tf.reshape(volumes, tf.constant(new int[] {-1, 1})),
        tf.reshape(perVolume, tf.constant(new int[] {1, -1}))), tf.constant(new int[] {-1}));
    Operand<TFloat32> voxels = tf.reshape(x, tf.constant(new int[] {-1, in}));
    return tf.reshape(tf.gather(voxels, rows, tf.constant(0)),
        tf.constant(new int[] {-1, kernelZ * kernel * kernel * in}));
  }

  /**
   * {@code i H W + j W + k} for every {@code (i, j, k)} in {@code [0, sizes[0]) x [0, sizes[1]) x
   * [0, sizes[2])}, as a {@code sizes[0] x sizes[1] x sizes[2]} tensor; {@code strides} are
   * {@code H W} and {@code W}.
   */
  private static Operand<TInt32> grid(Ops tf, List<Operand<TInt32>> sizes, List<Operand<TInt32>> strides) {
    Operand<TInt32> zero = tf.constant(0);
    Operand<TInt32> one = tf.constant(1);
    Operand<TInt32> i = tf.reshape(tf.math.mul(tf.range(zero, sizes.get(0), one), strides.get(0)),
        tf.constant(new int[] {-1, 1, 1}));
    Operand<TInt32> j = tf.reshape(tf.math.mul(tf.range(zero, sizes.get(1), one), strides.get(1)),
        tf.constant(new int[] {1, -1, 1}));
    Operand<TInt32> k = tf.reshape(tf.range(zero, sizes.get(2), one), tf.constant(new int[] {1, 1, -1}));
    return tf.math.add(tf.math.add(i, j), k);
  }

  /**
   * The pz x p x p up-convolution with stride (pz, p, p) of a volume: TensorFlow's
   * {@code Conv3DBackpropInputV2} when the lowering is native, else a matrix product: output
   * voxel {@code (pz z + a, p y + b, p x + c)} is input voxel {@code (z, y, x)} times
   * {@code kernel[a, b, c, :, :]}. The kernel is {@code [pz, p, p, cout, cin]}, the layout of
   * Keras' {@code Conv3DTranspose}; the product gives each input voxel its pz p p cout outputs,
   * and a transpose interleaves the blocks (the 3D counterpart of {@code DepthToSpace}).
   */
  private Operand<TFloat32> upConvVolume(String path, Operand<TFloat32> x, int filters, ConvSettings activation,
      int poolZ) {
    Ops tf = scopes.at(path);
    int in = channels(x);
    int pool = spec.pooling().size();
    int block = poolZ * pool * pool;
    Variable<TFloat32> w = heNormal(path, Shape.of(poolZ, pool, pool, filters, in), HeInit.upConvFanIn(in));
    Variable<TFloat32> b = bias(path, filters);
    Operand<TInt32> depth = dim(tf, x, 1);
    Operand<TInt32> height = dim(tf, x, 2);
    Operand<TInt32> width = dim(tf, x, 3);
    if (lowering == ConvolutionLowering.NATIVE) {
      forms.put(path, ConvolutionForm.CONV3D);
      Operand<TInt32> outputShape = tf.stack(List.of(dim(tf, x, 0), tf.math.mul(depth, tf.constant(poolZ)),
          tf.math.mul(height, tf.constant(pool)), tf.math.mul(width, tf.constant(pool)), tf.constant(filters)));
      Operand<TFloat32> y = tf.nn.conv3dBackpropInput(outputShape, w, x, List.of(1L, (long) poolZ, (long) pool,
          (long) pool, 1L), "VALID");
      return layer(path, activate(tf, tf.nn.biasAdd(y, b), activation));
    }
    forms.put(path, ConvolutionForm.MATMUL);
    Operand<TFloat32> matrix = tf.reshape(tf.linalg.transpose(w, tf.constant(new int[] {4, 0, 1, 2, 3})),
        tf.constant(new int[] {in, block * filters}));
    Operand<TFloat32> product = tf.linalg.matMul(tf.reshape(x, tf.constant(new int[] {-1, in})), matrix);
    Operand<TFloat32> activated = activate(tf, tf.nn.biasAdd(product, tf.tile(b, tf.constant(new int[] {block}))),
        activation);
    Operand<TFloat32> blocks = tf.reshape(activated, tf.stack(List.of(tf.constant(-1), depth, height, width,
        tf.constant(poolZ), tf.constant(pool), tf.constant(pool), tf.constant(filters))));
    Operand<TFloat32> interleaved = tf.linalg.transpose(blocks, tf.constant(new int[] {0, 1, 4, 2, 5, 3, 6, 7}));
    return layer(path, tf.reshape(interleaved, tf.stack(List.of(tf.constant(-1),
        tf.math.mul(depth, tf.constant(poolZ)), tf.math.mul(height, tf.constant(pool)),
        tf.math.mul(width, tf.constant(pool)), tf.constant(filters)))));
  }

  /**
   * The skip centre-cropped to the up-convolved map's size, then concatenated with it (paper Fig. 1,
   * grey arrows): "the cropping is necessary due to the loss of border pixels in every convolution".
   * The offsets are computed from the two shapes in the graph, so the same code serves fixed tiles
   * and free sizes; a fixed tile still gets fully static shapes.
   */
  private Operand<TFloat32> concat(String path, Operand<TFloat32> cropped, Operand<TFloat32> up) {
    Ops tf = scopes.at(path);
    return layer(path, tf.concat(List.of(cropped, up), tf.constant(up.shape().numDimensions() - 1)));
  }

  /** The centre of {@code skip} the size of {@code up} in space, all its channels; see {@link #concat}. */
  private static Operand<TFloat32> centreCrop(Ops tf, Operand<TFloat32> skip, Operand<TFloat32> up) {
    int rank = skip.shape().numDimensions();
    int[] spatial = new int[rank];
    List<Operand<TInt32>> size = new ArrayList<>(List.of(tf.constant(-1)));
    for (int axis = 1; axis < rank - 1; axis++) {
      spatial[axis] = 1;
      size.add(dim(tf, up, axis));
    }
    size.add(tf.constant(channels(skip)));
    Operand<TInt32> offset = tf.math.mul(
        tf.math.floorDiv(tf.math.sub(tf.shape(skip), tf.shape(up)), tf.constant(2)), tf.constant(spatial));
    return tf.slice(skip, offset, tf.stack(size));
  }

  /**
   * Inverted dropout, active only while training: units are kept with probability 1 - rate and
   * scaled by 1 / (1 - rate). Outside training the rate is 0, the mask all ones and the scale 1, so
   * the layer is an exact identity. The mask is stateless: a function of the model seed, the layer's
   * path and the fed {@link CompiledModel#dropoutSeed()}, so a trainer that feeds the step there
   * draws the same masks whether or not the run was interrupted and resumed. A graph for inference
   * only ({@link #differentiated()} false) has the identity alone: no random numbers drawn and
   * multiplied by one in every pass.
   */
  private Operand<TFloat32> dropout(String path, Operand<TFloat32> x, double rate) {
    Ops tf = scopes.at(path);
    if (!differentiated()) {
      return layer(path, tf.identity(x));
    }
    Operand<TFloat32> activeRate = tf.select(training, tf.constant((float) rate), tf.constant(0f));
    Operand<TInt64> layerSeed = tf.math.add(dropoutSeed, tf.constant(HeInit.seed(seed, path)));
    Operand<TFloat32> uniform = tf.random.statelessRandomUniform(tf.shape(x), layerSeed, TFloat32.class);
    Operand<TFloat32> keep = tf.dtypes.cast(tf.math.greaterEqual(uniform, activeRate), TFloat32.class);
    Operand<TFloat32> scale = tf.math.div(tf.constant(1f), tf.math.sub(tf.constant(1f), activeRate));
    return layer(path, tf.math.mul(tf.math.mul(x, keep), scale));
  }

  /** The stage's normalization of a convolution's output {@code x}. */
  private Operand<TFloat32> normalization(String path, Operand<TFloat32> x, ConvSettings settings) {
    return switch (settings.normalization()) {
      case BATCH -> batchNorm(path, x);
      case GROUP -> groupNorm(path, x, settings.groups());
      case INSTANCE -> groupNorm(path, x, channels(x));
      case NONE -> throw new IllegalArgumentException("no normalization to compile at " + path);
    };
  }

  /**
   * Group normalization (Wu and He 2018, eq. 1-3): each image's channels are split into
   * {@code groups} consecutive groups, each normalised to zero mean and unit variance over its
   * channels and pixels (population variance, epsilon {@value #BATCH_NORM_EPSILON}), then scaled
   * and offset per channel. The same in training and inference; an image or a volume alike is seen
   * as {@code [batch, points, groups, channels per group]}.
   */
  private Operand<TFloat32> groupNorm(String path, Operand<TFloat32> x, int groups) {
    Ops tf = scopes.at(path);
    int n = channels(x);
    Variable<TFloat32> gamma = constantVariable(path, "gamma", n, 1f, true);
    Variable<TFloat32> beta = constantVariable(path, "beta", n, 0f, true);
    Operand<TFloat32> grouped = tf.reshape(x, tf.stack(List.of(dim(tf, x, 0), tf.constant(-1), tf.constant(groups),
        tf.constant(n / groups))));
    Operand<TInt32> axes = tf.constant(new int[] {1, 3});
    Operand<TFloat32> mean = tf.math.mean(grouped, axes, Mean.keepDims(true));
    Operand<TFloat32> centred = tf.math.sub(grouped, mean);
    Operand<TFloat32> variance = tf.math.mean(tf.math.square(centred), axes, Mean.keepDims(true));
    Operand<TFloat32> normalised = tf.math.mul(centred, tf.math.rsqrt(tf.math.add(variance,
        tf.constant(BATCH_NORM_EPSILON))));
    return tf.math.add(tf.math.mul(tf.reshape(normalised, tf.shape(x)), gamma), beta);
  }

  /**
   * Batch normalization. Training normalises with the batch's statistics (and gradients flow through
   * them); inference with the moving averages, which {@link CompiledModel#movingAverageUpdate()}
   * moves towards each training batch's mean and unbiased variance.
   */
  private Operand<TFloat32> batchNorm(String path, Operand<TFloat32> x) {
    Ops tf = scopes.at(path);
    int n = channels(x);
    if (volume) {
      // FusedBatchNorm takes NHWC; statistics per channel over (batch, z, y, x) are those over
      // (batch, z y, x), so a volume is normalised as the image of its z y rows.
      Operand<TFloat32> rows = tf.reshape(x, tf.stack(List.of(tf.constant(-1),
          tf.math.mul(dim(tf, x, 1), dim(tf, x, 2)), dim(tf, x, 3), tf.constant(n))));
      return tf.reshape(normalize(tf, path, rows, n), tf.shape(x));
    }
    return normalize(tf, path, x, n);
  }

  private Operand<TFloat32> normalize(Ops tf, String path, Operand<TFloat32> x, int n) {
    Variable<TFloat32> gamma = constantVariable(path, "gamma", n, 1f, true);
    Variable<TFloat32> beta = constantVariable(path, "beta", n, 0f, true);
    Variable<TFloat32> movingMean = constantVariable(path, "moving_mean", n, 0f, false);
    Variable<TFloat32> movingVariance = constantVariable(path, "moving_variance", n, 1f, false);
    // Empty mean and variance for the training form, made in the graph: an empty constant needs a
    // zero-byte tensor from TensorFlow Java, which fails (a null buffer) once a session has set up
    // the BFC allocator of TF_CPU_ALLOCATOR_USE_BFC in this process.
    Operand<TFloat32> none = tf.fill(tf.constant(new int[] {0}), tf.constant(0f));
    FusedBatchNorm<TFloat32, TFloat32> batch = tf.nn.fusedBatchNorm(x, gamma, beta, none, none,
        FusedBatchNorm.isTraining(true), FusedBatchNorm.epsilon(BATCH_NORM_EPSILON));
    FusedBatchNorm<TFloat32, TFloat32> moving = tf.nn.fusedBatchNorm(x, gamma, beta, movingMean, movingVariance,
        FusedBatchNorm.isTraining(false), FusedBatchNorm.epsilon(BATCH_NORM_EPSILON));
    movingAverageUpdates.add(tf.assign(movingMean, movingAverage(tf, movingMean, batch.batchMean())));
    // FusedBatchNormV3's batch_variance output is the unbiased (n - 1) estimate.
    movingAverageUpdates.add(tf.assign(movingVariance, movingAverage(tf, movingVariance, batch.batchVariance())));
    return tf.select(training, batch.y(), moving.y());
  }

  /** The final k x k convolution (1x1 in the paper) to the classes, unpadded, without activation. */
  private Operand<TFloat32> head(String path, Operand<TFloat32> x) {
    Ops tf = scopes.at(path);
    int in = channels(x);
    int k = spec.head().kernel();
    if (volume) {
      Variable<TFloat32> w = heNormal(path, Shape.of(k, k, k, in, spec.classes()), k * HeInit.convFanIn(k, in));
      Variable<TFloat32> b = bias(path, spec.classes());
      return layer(path, convolveVolume(path, x, w, Padding.VALID, v -> tf.nn.biasAdd(v, b)));
    }
    Variable<TFloat32> w = heNormal(path, Shape.of(k, k, in, spec.classes()), HeInit.convFanIn(k, in));
    Variable<TFloat32> b = bias(path, spec.classes());
    return layer(path, convolve(path, x, w, k, Padding.VALID, v -> tf.nn.biasAdd(v, b)));
  }

  // ---- pieces --------------------------------------------------------------------------------

  private Operand<TFloat32> activate(Ops tf, Operand<TFloat32> x, ConvSettings settings) {
    return switch (settings.activation()) {
      case RELU -> differentiated() ? OutputGradientActivation.relu(tf, x) : tf.nn.relu(x);
      case LEAKY_RELU -> differentiated() ? OutputGradientActivation.leakyRelu(tf, x, settings.leakySlope())
          : tf.nn.leakyRelu(x, LeakyRelu.alpha(settings.leakySlope()));
      case ELU -> tf.nn.elu(x);
      // x Phi(x) = x (1 + erf(x / sqrt 2)) / 2, from ops whose gradients TensorFlow Java registers.
      case GELU -> tf.math.mul(tf.math.mul(x, tf.constant(0.5f)),
          tf.math.add(tf.constant(1f), tf.math.erf(tf.math.mul(x, tf.constant((float) (1 / Math.sqrt(2)))))));
    };
  }

  /** The soft-max over the channel axis (paper eq. 1: p_k = exp(a_k) / sum exp(a_k')) or a sigmoid. */
  private Operand<TFloat32> outputActivation(Ops tf, Operand<TFloat32> logits) {
    return switch (spec.head().activation()) {
      case SOFTMAX -> tf.nn.softmax(logits);
      case SIGMOID -> tf.math.sigmoid(logits);
    };
  }

  private Operand<TFloat32> movingAverage(Ops tf, Operand<TFloat32> average, Operand<TFloat32> value) {
    return tf.math.add(tf.math.mul(average, tf.constant(BATCH_NORM_MOMENTUM)),
        tf.math.mul(value, tf.constant(1f - BATCH_NORM_MOMENTUM)));
  }

  /** {@code <path>/kernel}, drawn from N(0, 2 / fanIn) with a seed from the model seed and the path. */
  private Variable<TFloat32> heNormal(String path, Shape shape, long fanIn) {
    return variable(path, "kernel", heValues(path, "kernel", shape, fanIn), true);
  }

  /** Initial values of {@code <path>/<name>}: N(0, 2 / fanIn), seeded by the model seed and the name. */
  private Operand<TFloat32> heValues(String path, String name, Shape shape, long fanIn) {
    Ops init = scopes.at(path).withInitScope();
    long[] seeds = HeInit.seed(seed, path + "/" + name);
    Operand<TFloat32> normal = init.random.statelessRandomNormal(init.constant(shape), init.constant(seeds));
    return init.math.mul(normal, init.constant(HeInit.std(fanIn)));
  }

  /** {@code <path>/bias}, zero. */
  private Variable<TFloat32> bias(String path, int size) {
    return constantVariable(path, "bias", size, 0f, true);
  }

  private Variable<TFloat32> constantVariable(String path, String name, int size, float value, boolean trainable) {
    Ops init = scopes.at(path).withInitScope();
    return variable(path, name, init.fill(init.constant(new int[] {size}), init.constant(value)), trainable);
  }

  private Variable<TFloat32> variable(String path, String name, Operand<TFloat32> initialValue, boolean trainable) {
    Variable<TFloat32> v = scopes.at(path).withName(name).variable(initialValue);
    String expected = path + "/" + name;
    if (!v.op().name().equals(expected)) {
      throw new IllegalStateException("variable " + expected + " was named " + v.op().name()
          + " in the graph: a spec path was compiled twice");
    }
    variables.add(new ModelVariable(expected, v, trainable));
    return v;
  }

  private Operand<TFloat32> layer(String path, Operand<TFloat32> output) {
    layers.put(path, output);
    return output;
  }

  /** The channels of an NHWC image or NDHWC volume: its last axis. */
  private static int channels(Operand<TFloat32> x) {
    return (int) x.shape().get(x.shape().numDimensions() - 1);
  }

  /** Size of one axis of {@code x} as a scalar; static sizes fold to constants in shape inference. */
  private static Operand<TInt32> dim(Ops tf, Operand<TFloat32> x, int axis) {
    return tf.stridedSlice(tf.shape(x), tf.constant(new int[] {axis}), tf.constant(new int[] {axis + 1}),
        tf.constant(new int[] {1}), StridedSlice.shrinkAxisMask(1L));
  }
}
