package org.unet4j.layers;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.OperationBuilder;
import org.tensorflow.Output;
import org.tensorflow.TensorFlow;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.proto.OpDef;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Winograd's F(4x4, 3x3) transforms as four TensorFlow ops of unet4j's own, written in C
 * ({@code layers/src/main/c/unet4j_winograd.c}) and loaded into TensorFlow when this class is first
 * used. Each transform is one pass over memory with a few additions per value, where the graph form
 * ({@link ModelCompiler}) gathers the tiles, multiplies them by a dense 36x36 matrix, and transforms
 * the products back with a 16x36 product, a transpose and a crop ({@code docs/performance.md},
 * lever 1d). The ops give the same values up to rounding and are deterministic:
 *
 * <ul>
 *   <li>{@code Unet4jWinogradTiles(x)}: the transformed 6x6 tiles {@code B^T d B} of an image batch
 *       {@code [n, h, w, c]}, as {@code [36, tiles, c]}, tiles numbered (image, row, column) and
 *       clamped at the bottom and right edges as the graph form gathers them;
 *   <li>{@code Unet4jWinogradBlocks(m, shape)}: the 4x4 output blocks {@code A^T m A} of the
 *       products of the 36 positions ({@code [tiles, c]} each) placed into {@code [n, h - 2, w - 2, c]},
 *       where {@code shape} is the convolution's input shape;
 *   <li>their gradients, {@code Unet4jWinogradTilesGrad(dv, shape)} (from the 36 positions' tile
 *       gradients, {@code [tiles, c]} each) and {@code Unet4jWinogradBlocksGrad(dy, shape)}
 *       ({@code [36, tiles, c]}), registered here as the two ops' gradients.
 * </ul>
 *
 * <p>The blocks op also comes with the layer's bias added and its activation applied as the blocks
 * are written, {@code Unet4jWinogradActivatedBlocks} ({@link #activatedBlocks}), with a gradient
 * that reads the output and its gradient once ({@link #activatedBlocksGradient}); and the library
 * holds a max pooling, {@code Unet4jMaxPool} ({@link #maxPool}), and its gradient,
 * {@code Unet4jMaxPoolGrad} ({@link #maxPoolGradient}), registered here as the pooling's.
 *
 * <p>The library is built from its C source by the layers module's build where {@code gcc} is
 * found on Linux x86-64 (it needs AVX2 and FMA at run time, and links against nothing: it finds
 * TensorFlow's C API in the TensorFlow library already loaded). Where it is missing, cannot be
 * loaded, the CPU lacks those instructions, or the system property {@value #PROPERTY} is
 * {@code graph}, {@link #available()} is false and the compiler builds the graph form.
 */
public final class WinogradOps {
  /**
   * System property: {@code native} (the default) uses these ops where they load, {@code graph}
   * builds the graph form everywhere; with the launcher:
   * {@code UNET4J_JAVA_OPTS=-Dunet4j.winogradTransforms=graph ./unet4j ...}.
   */
  public static final String PROPERTY = "unet4j.winogradTransforms";

  static final String TILES = "Unet4jWinogradTiles";
  static final String TILES_GRAD = "Unet4jWinogradTilesGrad";
  static final String BLOCKS = "Unet4jWinogradBlocks";
  static final String BLOCKS_GRAD = "Unet4jWinogradBlocksGrad";
  static final String ACTIVATED_BLOCKS = "Unet4jWinogradActivatedBlocks";
  static final String ACTIVATED_BLOCKS_GRAD = "Unet4jWinogradActivatedBlocksGrad";
  static final String MAX_POOL = "Unet4jMaxPool";
  static final String MAX_POOL_GRAD = "Unet4jMaxPoolGrad";

  /** The library inside the layers jar. */
  static final String RESOURCE = "/org/unet4j/layers/native/linux-x86_64/libunet4j_winograd.so";

  /** The positions of a 6x6 tile. */
  private static final int POSITIONS = 36;

  private static final Status STATUS = load();

  /** Whether the ops were loaded and registered in this process, and why not. */
  private record Status(boolean loaded, String description) {}

  private WinogradOps() {}

  /** Whether the compiler builds Winograd layers with these ops in this process. */
  public static boolean available() {
    return STATUS.loaded();
  }

  /**
   * How Winograd's transforms are built in this process, for reports: {@code native}, or
   * {@code graph} with the reason ({@code graph (...)}).
   */
  public static String describe() {
    return STATUS.description();
  }

  /** The transformed tiles of {@code x} ({@code [n, h, w, c]}, h and w at least 3): {@code [36, tiles, c]}. */
  static Operand<TFloat32> tiles(Ops tf, Operand<TFloat32> x) {
    return shaped(tf, unshapedTiles(tf, x).asOutput(), Shape.of(POSITIONS, tileCount(x.shape()), x.shape().get(3)));
  }

  /** {@link #tiles} without the static shape, for gradients (which may not ask the graph for shapes). */
  static Operand<TFloat32> unshapedTiles(Ops tf, Operand<TFloat32> x) {
    return PassThrough.cast(tf.scope().opBuilder(TILES, "WinogradTiles").addInput(x.asOutput()).build().output(0));
  }

  /**
   * The output blocks of the products of the 36 positions ({@code [tiles, c]} each, as 36 matrix
   * products give them) placed into the valid convolution's output of an input of shape
   * {@code inputShape} (statically {@code input}): {@code [n, h - 2, w - 2, c]}.
   */
  static Operand<TFloat32> blocks(Ops tf, List<? extends Operand<TFloat32>> products, Operand<TInt32> inputShape,
      Shape input) {
    return placedBlocks(tf, BLOCKS, "WinogradBlocks", products, inputShape, input);
  }

  /**
   * {@link #blocks} with {@code bias} ({@code [c]}) added and the activation of {@code slope} applied
   * as they are placed: {@code v} where {@code v > 0}, else {@code slope v}, as TensorFlow's
   * {@code BiasAdd} then {@code Relu} (slope 0) or {@code LeakyRelu} compute it, bit for bit (slope 1:
   * no activation). The slope is 0 to 1, so the output is positive exactly where the biased blocks
   * are, and the registered gradient ({@link #activatedBlocksGradient}) reads the output.
   */
  static Operand<TFloat32> activatedBlocks(Ops tf, List<? extends Operand<TFloat32>> products,
      Operand<TInt32> inputShape, Shape input, Operand<TFloat32> bias, float slope) {
    return placedBlocks(tf, ACTIVATED_BLOCKS, "WinogradActivatedBlocks", products, inputShape, input, bias,
        tf.constant(slope));
  }

  /**
   * Op {@code type} (the blocks, plain or activated) of the 36 positions' products, the input's
   * shape and {@code more} inputs, with the static shape of the valid convolution's output.
   */
  private static Operand<TFloat32> placedBlocks(Ops tf, String type, String name,
      List<? extends Operand<TFloat32>> products, Operand<TInt32> inputShape, Shape input, Operand<?>... more) {
    OperationBuilder builder = tf.scope().opBuilder(type, name)
        .addInputList(products.stream().map(Operand::asOutput).toArray(Output<?>[]::new))
        .addInput(inputShape.asOutput());
    for (Operand<?> operand : more) {
      builder.addInput(operand.asOutput());
    }
    Output<?> blocks = builder.setAttr("N", (long) products.size()).build().output(0);
    return shaped(tf, blocks, Shape.of(input.get(0), smaller(input.get(1)), smaller(input.get(2)),
        products.get(0).shape().get(1)));
  }

  /**
   * The gradients of {@link #activatedBlocks} of {@code slope} from its {@code output} and the
   * output's gradient, for an input of {@code shape}, in one pass: the products' ({@code [36, tiles, c]},
   * the blocks' gradient of the activation's) and the bias's ({@code [c]}, the activation's gradient
   * summed over the pixels, tile by tile and then in tile order).
   */
  static List<Operand<TFloat32>> activatedBlocksGradient(Ops tf, Operand<TFloat32> outputGradient,
      Operand<TFloat32> output, Operand<TInt32> shape, Operand<TFloat32> slope) {
    GraphOperation op = (GraphOperation) tf.scope().opBuilder(ACTIVATED_BLOCKS_GRAD, "WinogradActivatedBlocksGrad")
        .addInput(outputGradient.asOutput()).addInput(output.asOutput()).addInput(shape.asOutput())
        .addInput(slope.asOutput()).build();
    return List.of(PassThrough.cast(op.output(0)), PassThrough.cast(op.output(1)));
  }

  /**
   * The gradient of {@link #tiles} with respect to its image, of the image's {@code shape}, from the
   * tiles' gradient position by position ({@code [tiles, c]} each, as 36 matrix products give them).
   */
  static Operand<TFloat32> tilesGradient(Ops tf, List<? extends Operand<TFloat32>> tilesGradient,
      Operand<TInt32> shape) {
    return PassThrough.cast(tf.scope().opBuilder(TILES_GRAD, "WinogradTilesGrad")
        .addInputList(tilesGradient.stream().map(Operand::asOutput).toArray(Output<?>[]::new))
        .addInput(shape.asOutput()).setAttr("N", (long) tilesGradient.size()).build().output(0));
  }

  /** The gradient of {@link #blocks} with respect to its products, for an input of {@code shape}. */
  static Operand<TFloat32> blocksGradient(Ops tf, Operand<TFloat32> outputGradient, Operand<TInt32> shape) {
    return PassThrough.cast(tf.scope().opBuilder(BLOCKS_GRAD, "WinogradBlocksGrad")
        .addInput(outputGradient.asOutput()).addInput(shape.asOutput()).build().output(0));
  }

  /**
   * The {@code size x size} max pooling of stride {@code size} (VALID) of {@code x} ({@code [n, h, w, c]}),
   * TensorFlow's {@code MaxPool} in one vectorised, parallel pass: {@code [n, h / size, w / size, c]}.
   * Its registered gradient is {@link #maxPoolGradient}, where TensorFlow's CPU {@code MaxPoolGradV2}
   * visits one value at a time on one thread (157 ms of a paper-net training step at tile 572 for its
   * four poolings, against 37-40 ms: {@code docs/performance.md}, lever 1e).
   */
  static Operand<TFloat32> maxPool(Ops tf, Operand<TFloat32> x, int size) {
    if (size < 1) {
      throw new IllegalArgumentException("the pool size must be at least 1, got " + size);
    }
    Output<?> pooled = tf.scope().opBuilder(MAX_POOL, "MaxPool").addInput(x.asOutput())
        .addInput(tf.constant(size).asOutput()).build().output(0);
    Shape in = x.shape();
    return shaped(tf, pooled, Shape.of(in.get(0), in.get(1) < 0 ? -1 : in.get(1) / size,
        in.get(2) < 0 ? -1 : in.get(2) / size, in.get(3)));
  }

  /**
   * The gradient of a {@code size x size} max pooling of stride {@code size} (VALID) of {@code x}
   * ({@code [n, h, w, c]}) from the pooled values' gradient ({@code [n, h / size, w / size, c]}): each
   * window's gradient goes to its first largest value in row-major order, as TensorFlow's
   * {@code MaxPoolGrad} sends it, in one parallel pass.
   */
  static Operand<TFloat32> maxPoolGradient(Ops tf, Operand<TFloat32> x, Operand<TFloat32> pooledGradient,
      Operand<TInt32> size) {
    return PassThrough.cast(tf.scope().opBuilder(MAX_POOL_GRAD, "MaxPoolGrad").addInput(x.asOutput())
        .addInput(pooledGradient.asOutput()).addInput(size.asOutput()).build().output(0));
  }

  /** Tiles of an image batch of {@code shape}; -1 where a size is unknown. */
  static long tileCount(Shape shape) {
    long n = shape.get(0);
    long h = shape.get(1);
    long w = shape.get(2);
    if (n < 0 || h < 0 || w < 0) {
      return -1;
    }
    return n * ((h - 2 + 3) / 4) * ((w - 2 + 3) / 4);
  }

  private static long smaller(long size) {
    return size < 0 ? -1 : size - 2;
  }

  /** The op's output with the shape the compiler knows (the ops leave shapes to the graph). */
  private static Operand<TFloat32> shaped(Ops tf, Output<?> value, Shape shape) {
    return tf.ensureShape(PassThrough.cast(value), shape);
  }

  private static Status load() {
    String setting = System.getProperty(PROPERTY, "native").trim().toLowerCase(Locale.ROOT);
    if (setting.equals("graph")) {
      return new Status(false, "graph (-D" + PROPERTY + "=graph)");
    }
    if (!setting.equals("native")) {
      throw new IllegalArgumentException(
          "system property " + PROPERTY + ": expected native or graph, got \"" + setting + "\"");
    }
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "");
    if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
      return new Status(false, "graph (no native ops for " + os + " " + arch + ")");
    }
    Path library;
    try {
      library = extracted();
    } catch (IOException e) {
      return new Status(false, "graph (the native ops could not be copied out of the jar: " + e.getMessage() + ")");
    }
    if (library == null) {
      return new Status(false, "graph (the build found no gcc: the native ops were not built)");
    }
    List<String> ops;
    try {
      ops = TensorFlow.loadLibrary(library.toString()).getOpList().stream().map(OpDef::getName).toList();
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      return new Status(false, "graph (the native ops did not load: " + e.getMessage() + ")");
    }
    if (!ops.containsAll(List.of(TILES, TILES_GRAD, BLOCKS, BLOCKS_GRAD, ACTIVATED_BLOCKS, ACTIVATED_BLOCKS_GRAD,
        MAX_POOL, MAX_POOL_GRAD))) {
      return new Status(false, "graph (the native ops need a CPU with AVX2 and FMA)");
    }
    // False where EnsureShape already has a gradient (none in TensorFlow's C++ gradients).
    TensorFlow.registerCustomGradient("EnsureShape", WinogradOps::ensureShapeGradient);
    boolean registered = TensorFlow.registerCustomGradient(TILES, WinogradOps::tilesGradient)
        & TensorFlow.registerCustomGradient(BLOCKS, WinogradOps::blocksGradient)
        & TensorFlow.registerCustomGradient(ACTIVATED_BLOCKS, WinogradOps::activatedBlocksGradient)
        & TensorFlow.registerCustomGradient(MAX_POOL, WinogradOps::maxPoolGradient);
    if (!registered) {
      return new Status(false, "graph (the native ops' gradients could not be registered)");
    }
    return new Status(true, "native");
  }

  /**
   * {@code EnsureShape} passes its input through (and checks its shape), so its gradient is the
   * upstream one, as in TensorFlow's Python API; TensorFlow's C++ gradients have none.
   */
  private static List<Operand<?>> ensureShapeGradient(Ops tf, GraphOperation op, List<Output<?>> gradients) {
    return List.of(gradients.get(0));
  }

  private static List<Operand<?>> tilesGradient(Ops tf, GraphOperation op, List<Output<?>> gradients) {
    return List.of(tilesGradient(tf, positions(tf, PassThrough.cast(gradients.get(0))), tf.shape(op.input(0))));
  }

  private static List<Operand<?>> blocksGradient(Ops tf, GraphOperation op, List<Output<?>> gradients) {
    @SuppressWarnings("unchecked")
    Operand<TInt32> shape = (Operand<TInt32>) op.input(op.numInputs() - 1);
    List<Operand<?>> result = new ArrayList<>(
        positions(tf, blocksGradient(tf, PassThrough.cast(gradients.get(0)), shape)));
    // The shape is an integer vector, which nothing differentiates; TensorFlow Java wants a value.
    result.add(tf.zerosLike(shape));
    return result;
  }

  private static List<Operand<?>> maxPoolGradient(Ops tf, GraphOperation op, List<Output<?>> gradients) {
    @SuppressWarnings("unchecked")
    Operand<TInt32> size = (Operand<TInt32>) op.input(1);
    return List.of(maxPoolGradient(tf, PassThrough.cast(op.input(0)), PassThrough.cast(gradients.get(0)), size),
        tf.zerosLike(size));
  }

  private static List<Operand<?>> activatedBlocksGradient(Ops tf, GraphOperation op, List<Output<?>> gradients) {
    int positions = op.numInputs() - 3;
    @SuppressWarnings("unchecked")
    Operand<TInt32> shape = (Operand<TInt32>) op.input(positions);
    Operand<TFloat32> slope = PassThrough.cast(op.input(positions + 2));
    List<Operand<TFloat32>> both = activatedBlocksGradient(tf, PassThrough.cast(gradients.get(0)),
        PassThrough.cast(op.output(0)), shape, slope);
    List<Operand<?>> result = new ArrayList<>(positions(tf, both.get(0)));
    result.add(tf.zerosLike(shape));
    result.add(both.get(1));
    result.add(tf.zerosLike(slope));
    return result;
  }

  /** The 36 matrices {@code [tiles, c]} of a {@code [36, tiles, c]} tensor (views, not copies). */
  static List<Operand<TFloat32>> positions(Ops tf, Operand<TFloat32> batch) {
    List<Operand<TFloat32>> views = new ArrayList<>();
    for (Output<TFloat32> view : tf.split(tf.constant(0), batch, (long) POSITIONS).output()) {
      views.add(tf.squeeze(view, Squeeze.axis(List.of(0L))));
    }
    return views;
  }

  /** The library copied out of the jar into a temporary file, or null where the jar has none. */
  private static @Nullable Path extracted() throws IOException {
    try (InputStream in = WinogradOps.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        return null;
      }
      Path file = Files.createTempFile("unet4j-winograd-", ".so");
      file.toFile().deleteOnExit();
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      return file;
    }
  }
}
