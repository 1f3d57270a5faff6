package org.unet4j.layers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.tensorflow.GraphOperation;
import org.tensorflow.GraphOperationBuilder;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The tiles of a Winograd convolution and their batched product {@code [t², tiles, cin] x [t², cin,
 * cout]} with the transformed kernel, built from the layer's input pixels: one gather collects the
 * overlapping t x t tiles, one matrix product transforms them. In a training graph the product has
 * a gradient of unet4j's own that keeps neither operand from the forward pass and computes the
 * input's gradient in channel chunks, to lower the peak memory of a training step
 * ({@code docs/performance.md}, "Memory of a training step").
 *
 * <p>{@code BatchMatMul}'s own gradient keeps both operands alive from the forward pass to the
 * backward pass: the transformed kernel for the tiles' gradient, the transformed tiles (2.25 times
 * the layer's input) for the kernel's; and the tiles' gradient, its inverse transform and the
 * gather's gradient are three more buffers of the tiles' size. Here the product is computed from
 * operands behind {@code StopGradient} and passed through a {@link PassThrough} that carries the
 * input pixels and the kernel; its gradient rebuilds the kernel (2% of a forward pass) and, for one
 * chunk of input channels after the other, that chunk's tiles (a gather and a matrix product), the
 * chunk's share of the kernel's gradient and of the pixels' gradient (the tiles' gradient
 * transformed back and summed into the pixels as {@code GatherV2}'s gradient does). Each chunk
 * waits for the one before, so only one chunk's tiles and tile gradients are alive at a time. Every
 * rebuilt value is one deterministic op chain, so training stays bit-reproducible.
 */
final class WinogradProduct {
  /**
   * The pass-through's message, followed by the number of channel chunks, t² and cin, each after a
   * {@code :}, {@code :native} for a product of {@link WinogradOps}' tiles, and after that
   * {@code :slope} for activated blocks.
   */
  static final String MARK = "unet4j.winograd";

  /** The message's field for a product of {@link WinogradOps}' tiles. */
  private static final String NATIVE = "native";

  /** The positions of an F(4x4) tile. */
  private static final int POSITIONS = 36;

  /** The ops of a transformed kernel: {@code Reshape(MatMul(G (x) G, Reshape(w)))}. */
  private static final int KERNEL_OPS = 2;

  private WinogradProduct() {}

  /**
   * The product of the tiles of {@code pixels} ({@code [pixels, cin]}) at {@code rows} (their
   * position-major gather indices, {@code t²} per tile), transformed by {@code inputTransform}
   * ({@code t² x t²}), with {@code kernel} ({@code [t², cin, cout]}): {@code [t², tiles, cout]}.
   * For a graph that is not differentiated: plain ops.
   */
  static Operand<TFloat32> forInference(Ops tf, Operand<TFloat32> pixels, Operand<TInt32> rows,
      float[][] inputTransform, Operand<TFloat32> kernel) {
    return tf.train.batchMatMul(tiles(tf, pixels, rows, tf.constant(inputTransform), inputTransform.length,
        (int) pixels.shape().get(1)), kernel, TFloat32.class);
  }

  /**
   * {@link #forInference}'s product whose gradient rebuilds the tiles and the kernel and computes
   * the pixels' gradient in {@code chunks} chunks of input channels (1 to cin); a plain product
   * where this process cannot register the gradient (TensorFlow Java's Windows build).
   */
  static Operand<TFloat32> forTraining(Ops tf, Operand<TFloat32> pixels, Operand<TInt32> rows,
      float[][] inputTransform, Operand<TFloat32> kernel, int chunks) {
    int in = (int) pixels.shape().get(1);
    if (chunks < 1 || chunks > in) {
      throw new IllegalArgumentException("chunks must be 1 to " + in + " (the input channels), got " + chunks);
    }
    if (!PassThrough.AVAILABLE) {
      return forInference(tf, pixels, rows, inputTransform, kernel);
    }
    Operand<TFloat32> tiles = tiles(tf, pixels, rows, tf.constant(inputTransform), inputTransform.length, in);
    Operand<TFloat32> product = tf.train.batchMatMul(tf.stopGradient(tiles), tf.stopGradient(kernel), TFloat32.class);
    // The gradient cannot ask the graph for shapes (TensorFlow holds the graph's lock while it
    // builds gradients), so the message carries the sizes it needs.
    return PassThrough.of(tf, "WinogradProduct", product, List.of(pixels, kernel),
        MARK + ":" + chunks + ":" + inputTransform.length + ":" + in);
  }

  /**
   * The valid F(4x4) convolution of the image batch {@code x} ({@code [n, h, w, cin]}) with
   * {@code kernel} ({@code [36, cin, cout]}, in Winograd's domain) by {@link WinogradOps}: its tiles,
   * the 36 matrix products {@code tiles[p] . kernel[p]} over views of both (faster than one batched
   * product at the paper net's sizes: {@code docs/performance.md}, lever 1d), and the blocks placed
   * into {@code [n, h - 2, w - 2, cout]}. For a graph that is not differentiated.
   */
  static Operand<TFloat32> nativeForInference(Ops tf, Operand<TFloat32> x, Operand<TFloat32> kernel) {
    return nativeForInference(tf, x, kernel, null, 1f);
  }

  /**
   * {@link #nativeForInference}'s convolution whose gradient rebuilds the tiles and the kernel and
   * computes the image's gradient in {@code chunks} chunks of input channels, as
   * {@link #forTraining} does for the graph form: the convolution of operands behind
   * {@code StopGradient}, passed through a {@link PassThrough} that carries the image and the kernel.
   */
  static Operand<TFloat32> nativeForTraining(Ops tf, Operand<TFloat32> x, Operand<TFloat32> kernel, int chunks) {
    return nativeForTraining(tf, x, kernel, chunks, null, 1f);
  }

  /**
   * {@link #nativeForInference}'s convolution with {@code bias} added and the activation of
   * {@code slope} applied by the blocks op ({@link WinogradOps#activatedBlocks}); without a bias,
   * the plain blocks.
   */
  static Operand<TFloat32> nativeForInference(Ops tf, Operand<TFloat32> x, Operand<TFloat32> kernel,
      @Nullable Operand<TFloat32> bias, float slope) {
    return placed(tf, byPosition(tf, WinogradOps.tiles(tf, x), kernel), x, bias, slope);
  }

  /**
   * {@link #nativeForTraining}'s convolution with {@code bias} added and the activation of
   * {@code slope} applied by the blocks op: the pass-through carries the bias too, and its gradient
   * begins with the activated blocks' gradient, which gives the products' and the bias's in one
   * pass over the output and its gradient (where TensorFlow's activation gradient, its
   * {@code BiasAddGrad} and the blocks' gradient took three). Without a bias, the plain blocks.
   */
  static Operand<TFloat32> nativeForTraining(Ops tf, Operand<TFloat32> x, Operand<TFloat32> kernel, int chunks,
      @Nullable Operand<TFloat32> bias, float slope) {
    int in = (int) x.shape().get(3);
    if (chunks < 1 || chunks > in) {
      throw new IllegalArgumentException("chunks must be 1 to " + in + " (the input channels), got " + chunks);
    }
    if (!PassThrough.AVAILABLE) {
      return nativeForInference(tf, x, kernel, bias, slope);
    }
    Operand<TFloat32> convolution = placed(tf,
        byPosition(tf, tf.stopGradient(WinogradOps.tiles(tf, x)), tf.stopGradient(kernel)), x,
        bias == null ? null : tf.stopGradient(bias), slope);
    String message = MARK + ":" + chunks + ":" + POSITIONS + ":" + in + ":" + NATIVE;
    return bias == null ? PassThrough.of(tf, "WinogradConvolution", convolution, List.of(x, kernel), message)
        : PassThrough.of(tf, "WinogradConvolution", convolution, List.of(x, kernel, bias), message + ":" + slope);
  }

  /** The 36 products' blocks placed into the output of {@code x}'s convolution, activated where there is a bias. */
  private static Operand<TFloat32> placed(Ops tf, List<Operand<TFloat32>> products, Operand<TFloat32> x,
      @Nullable Operand<TFloat32> bias, float slope) {
    return bias == null ? WinogradOps.blocks(tf, products, tf.shape(x), x.shape())
        : WinogradOps.activatedBlocks(tf, products, tf.shape(x), x.shape(), bias, slope);
  }

  /** The 36 products {@code tiles[p] . kernel[p]}, {@code [tiles, cout]} each. */
  private static List<Operand<TFloat32>> byPosition(Ops tf, Operand<TFloat32> tiles, Operand<TFloat32> kernel) {
    return byPosition(tf, WinogradOps.positions(tf, tiles), WinogradOps.positions(tf, kernel));
  }

  /**
   * {@code Reshape(MatMul(transform, Reshape(GatherV2(pixels, rows))))}: {@code [t², tiles, cin]}
   * from the {@code t² x t²} transform and pixels of {@code in} channels.
   */
  private static Operand<TFloat32> tiles(Ops tf, Operand<TFloat32> pixels, Operand<TInt32> rows,
      Operand<TFloat32> transform, int positions, int in) {
    Operand<TFloat32> gathered = tf.reshape(tf.gather(pixels, rows, tf.constant(0)),
        tf.constant(new int[] {positions, -1}));
    return tf.reshape(tf.linalg.matMul(transform, gathered), tf.constant(new int[] {positions, -1, in}));
  }

  /**
   * The gradients of the pass-through's inputs: the product (behind {@code StopGradient}, so never
   * used), the pixels and the kernel.
   */
  static List<Operand<?>> gradient(Ops tf, GraphOperation op, String message, Operand<TFloat32> upstream) {
    String[] sizes = message.substring(MARK.length() + 1).split(":");
    int chunks = Integer.parseInt(sizes[0]);
    int positions = Integer.parseInt(sizes[1]);
    int in = Integer.parseInt(sizes[2]);
    Operand<TFloat32> kernel = PassThrough.cast(rebuild(tf, op.input(2), KERNEL_OPS, upstream));
    if (sizes.length > 4) {
      // Activated blocks: the activation's, the bias's and the products' gradients in one op.
      List<Operand<TFloat32>> activated = WinogradOps.activatedBlocksGradient(tf, upstream,
          PassThrough.cast(op.output(0)), tf.shape(op.input(1)), tf.constant(Float.parseFloat(sizes[4])));
      List<Operand<?>> gradients = new ArrayList<>(
          nativeGradient(tf, PassThrough.cast(op.input(1)), kernel, upstream, activated.get(0), chunks, in));
      gradients.add(activated.get(1));
      return gradients;
    }
    if (sizes.length > 3 && sizes[3].equals(NATIVE)) {
      Operand<TFloat32> image = PassThrough.cast(op.input(1));
      return nativeGradient(tf, image, kernel, upstream, WinogradOps.blocksGradient(tf, upstream, tf.shape(image)),
          chunks, in);
    }
    Operand<TFloat32> pixels = PassThrough.cast(op.input(1));
    // The forward ops, from the product back: BatchMatMul(StopGradient(tiles), ...), tiles =
    // Reshape(MatMul(transform, Reshape(GatherV2(pixels, rows, 0)))).
    GraphOperation product = producer(op.input(0), "BatchMatMulV3");
    GraphOperation tiles = producer(producer(product.input(0), "StopGradient").input(0), "Reshape");
    GraphOperation transform = producer(tiles.input(0), "MatMul");
    GraphOperation gather = producer(producer(transform.input(1), "Reshape").input(0), "GatherV2");
    Operand<TFloat32> inputTransform = PassThrough.cast(transform.input(0));
    @SuppressWarnings("unchecked")
    Operand<TInt32> rows = (Operand<TInt32>) gather.input(1);
    Operand<TInt32> pixelCount = tf.gather(tf.shape(pixels), tf.constant(0), tf.constant(0));

    return byChunks(tf, pixels, 1, kernel, upstream, upstream, chunks, in, (chunkPixels, chunkKernel, width) -> {
      Operand<TFloat32> chunkTiles = tiles(tf.withSubScope("Recomputed"), chunkPixels, rows, inputTransform,
          positions, width);
      // BatchMatMul's gradient: d kernel = tiles^T . d product, d tiles = d product . kernel^T.
      Operand<TFloat32> dKernel = tf.train.batchMatMul(chunkTiles, upstream, TFloat32.class, BatchMatMul.adjX(true));
      Operand<TFloat32> dTiles = tf.train.batchMatMul(upstream, chunkKernel, TFloat32.class, BatchMatMul.adjY(true));
      // MatMul's and GatherV2's gradients: transform back, sum each tile value into its pixel.
      Operand<TFloat32> dGathered = tf.reshape(tf.linalg.matMul(inputTransform,
          tf.reshape(dTiles, tf.constant(new int[] {positions, -1})), MatMul.transposeA(true)),
          tf.constant(new int[] {-1, width}));
      return new ChunkGradients(tf.math.unsortedSegmentSum(dGathered, rows, pixelCount), dKernel);
    });
  }

  /** The gradients of one chunk's input channels and of their rows of the kernel. */
  private record ChunkGradients(Operand<TFloat32> input, Operand<TFloat32> kernel) {}

  /** A chunk's gradients from its slice of the input's channels, its slice of the kernel and its width. */
  private interface ChunkGradient {
    ChunkGradients of(Operand<TFloat32> input, Operand<TFloat32> kernel, int width);
  }

  /**
   * The pass-through's gradients computed in {@code chunks} chunks of the {@code in} input channels
   * of {@code input} (its last axis, {@code axis}: no shape may be asked of the graph here) and of
   * {@code kernel} ({@code [t², cin, cout]}), the first after {@code first} and each after the one
   * before: waiting keeps one chunk's buffers alive at a time, and keeps the first from running in
   * the forward pass (or being merged with its ops). The chunks' gradients are put side by side again.
   */
  private static List<Operand<?>> byChunks(Ops tf, Operand<TFloat32> input, int axis, Operand<TFloat32> kernel,
      Operand<TFloat32> upstream, Op first, int chunks, int in, ChunkGradient chunk) {
    List<Operand<TFloat32>> inputGradients = new ArrayList<>();
    List<Operand<TFloat32>> kernelGradients = new ArrayList<>();
    List<Op> previous = List.of(first);
    for (int c = 0; c < chunks; c++) {
      int from = in * c / chunks;
      int width = in * (c + 1) / chunks - from;
      Operand<TFloat32> waiting = waitFor(tf, input, previous);
      Operand<TFloat32> chunkInput = chunks == 1 ? waiting : slice(tf, waiting, axis + 1, axis, from, width);
      Operand<TFloat32> chunkKernel = chunks == 1 ? kernel : slice(tf, kernel, 3, 1, from, width);
      ChunkGradients gradients = chunk.of(chunkInput, chunkKernel, width);
      inputGradients.add(gradients.input());
      kernelGradients.add(gradients.kernel());
      previous = List.of(gradients.input(), gradients.kernel());
    }
    Operand<TFloat32> dInput = chunks == 1 ? inputGradients.get(0) : tf.concat(inputGradients, tf.constant(axis));
    Operand<TFloat32> dKernel = chunks == 1 ? kernelGradients.get(0) : tf.concat(kernelGradients, tf.constant(1));
    return List.of(upstream, dInput, dKernel);
  }

  /** {@code width} entries of {@code value} (of {@code rank}) along {@code axis} from {@code from} on. */
  private static Operand<TFloat32> slice(Ops tf, Operand<TFloat32> value, int rank, int axis, int from, int width) {
    int[] begin = new int[rank];
    int[] size = new int[rank];
    Arrays.fill(size, -1);
    begin[axis] = from;
    size[axis] = width;
    return tf.slice(value, tf.constant(begin), tf.constant(size));
  }

  /**
   * {@link #gradient} of a convolution made by {@link #nativeForTraining}, from the products'
   * gradient (the blocks' gradient of the output image's, {@code products}): the same chunks as the graph form's, each rebuilding its tiles from a slice of the image's
   * channels with {@link WinogradOps#tiles} and summing its tiles' gradient into the image with
   * {@link WinogradOps#tilesGradient}. The kernel's gradient is made position by position: 36
   * matrix products {@code tiles[p]^T . dP[p]}, which run 1.2 to 2.4 times as fast as TensorFlow's
   * batched product with {@code adj_x} at the paper net's layer sizes, and took a training step
   * from about 2.05 to 1.85 s with oneDNN (no change without it; {@code docs/performance.md},
   * lever 1d). No shapes are asked of the graph here (TensorFlow holds its lock while it builds
   * gradients).
   */
  private static List<Operand<?>> nativeGradient(Ops tf, Operand<TFloat32> image, Operand<TFloat32> kernel,
      Operand<TFloat32> upstream, Operand<TFloat32> products, int chunks, int in) {
    List<Operand<TFloat32>> productsAt = WinogradOps.positions(tf, products);
    return byChunks(tf, image, 3, kernel, upstream, products, chunks, in, (chunkImage, chunkKernel, width) -> {
      Operand<TFloat32> chunkTiles = WinogradOps.unshapedTiles(tf.withSubScope("Recomputed"), chunkImage);
      Operand<TFloat32> dKernel = tf.stack(
          byPosition(tf, WinogradOps.positions(tf, chunkTiles), productsAt, MatMul.transposeA(true)));
      List<Operand<TFloat32>> dTiles = byPosition(tf, productsAt, WinogradOps.positions(tf, chunkKernel),
          MatMul.transposeB(true));
      return new ChunkGradients(WinogradOps.tilesGradient(tf, dTiles, tf.shape(chunkImage)), dKernel);
    });
  }

  /** The products of {@code a[p]} and {@code b[p]} for the 36 positions, with {@code options}' transposes. */
  private static List<Operand<TFloat32>> byPosition(Ops tf, List<Operand<TFloat32>> a, List<Operand<TFloat32>> b,
      MatMul.Options... options) {
    List<Operand<TFloat32>> products = new ArrayList<>();
    for (int p = 0; p < POSITIONS; p++) {
      products.add(tf.linalg.matMul(a.get(p), b.get(p), options));
    }
    return products;
  }

  /**
   * {@code value} through an {@code Identity} that runs after {@code ops} (a scope with control
   * dependencies cannot be used while TensorFlow builds gradients; an op builder's control inputs can).
   */
  private static Operand<TFloat32> waitFor(Ops tf, Operand<TFloat32> value, List<Op> ops) {
    GraphOperationBuilder identity = (GraphOperationBuilder) tf.scope().opBuilder("Identity", "Chunk");
    identity.addInput(value.asOutput());
    for (Op op : ops) {
      identity.addControlInput(op.op());
    }
    return PassThrough.cast(identity.build().output(0));
  }

  /** The op that computed {@code value}, checked to be of {@code type}. */
  private static GraphOperation producer(Output<?> value, String type) {
    GraphOperation op = (GraphOperation) value.op();
    if (!op.type().equals(type)) {
      throw new IllegalStateException("a Winograd product's " + type + " expected, found " + op.type() + " " + op.name());
    }
    return op;
  }

  /**
   * A copy of the {@code depth} ops that computed {@code value} ({@code Reshape}, {@code MatMul}
   * without transposes: ops whose other attributes follow from their inputs), each waiting for
   * {@code after}, reading the same inputs below them; constants and ops of other types are not
   * copied. The control input keeps the copy from running before the product's gradient exists,
   * and keeps Grappler from merging it with the forward pass's op.
   */
  private static Output<?> rebuild(Ops tf, Output<?> value, int depth, Operand<?> after) {
    GraphOperation op = (GraphOperation) value.op();
    if (depth == 0 || !List.of("Reshape", "MatMul").contains(op.type())) {
      return value;
    }
    if (op.type().equals("MatMul")
        && (op.attributes().getAttrBool("transpose_a") || op.attributes().getAttrBool("transpose_b"))) {
      throw new IllegalStateException("cannot rebuild transposed MatMul " + op.name());
    }
    GraphOperationBuilder copy = (GraphOperationBuilder) tf.scope().opBuilder(op.type(), "Recomputed" + op.type());
    for (int i = 0; i < op.numInputs(); i++) {
      copy.addInput(rebuild(tf, op.input(i), depth - 1, after));
    }
    return copy.addControlInput(after.op()).build().output(value.index());
  }
}
