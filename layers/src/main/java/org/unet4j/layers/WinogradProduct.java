package org.unet4j.layers;

import java.util.List;
import org.tensorflow.GraphOperation;
import org.tensorflow.GraphOperationBuilder;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TFloat32;

/**
 * The batched product {@code [t², tiles, cin] x [t², cin, cout]} at the heart of a Winograd
 * convolution, with a gradient that recomputes its operands in the backward pass instead of
 * keeping them from the forward pass, to lower the peak memory of a training step
 * ({@code docs/performance.md}, "Memory of a training step").
 *
 * <p>{@code BatchMatMul}'s own gradient keeps both operands alive from the forward pass to the
 * backward pass: the transformed kernel for the tiles' gradient, the transformed tiles for the
 * kernel's. The transformed kernels of the paper net hold 4 times its parameters (450 MB) and are
 * cheap to compute again (2% of a forward pass); the transformed tiles (2.25 times each layer's
 * input) cost a gather and a matrix product to compute again, which pays for the layers whose
 * backward pass runs after the step's peak (the contracting path's).
 *
 * <p>The product is computed from operands behind {@code StopGradient} and passed through a
 * {@link PassThrough} together with the operands themselves, whose gradient gives the operands
 * their gradients, the same products as {@code BatchMatMul}'s gradient, from operands rebuilt from
 * the ops that made them once the product's gradient exists (a control dependency: computed
 * earlier, they would be kept as long). Each rebuilt operand is one deterministic op chain, so training stays bit-reproducible.
 */
final class WinogradProduct {
  /** The pass-through's message, followed by what the gradient recomputes. */
  static final String MARK = "unet4j.winograd";
  private static final String TILES = ":tiles";

  /** The ops of a transformed kernel: {@code Reshape(MatMul(G (x) G, Reshape(w)))}. */
  private static final int KERNEL_OPS = 2;
  /** The ops of the transformed tiles: {@code Reshape(MatMul(B^T (x) B^T, Reshape(GatherV2(x, rows))))}. */
  private static final int TILE_OPS = 4;

  private WinogradProduct() {}

  /** What the product's gradient computes again instead of keeping it from the forward pass. */
  enum Recompute {
    /** Nothing: {@code BatchMatMul} and its own gradient. */
    NOTHING,
    /** The transformed kernel. */
    KERNEL,
    /** The transformed kernel and the transformed tiles. */
    KERNEL_AND_TILES
  }

  /**
   * {@code tiles x kernel} batched over the first axis, whose gradient recomputes what
   * {@code recompute} says; a plain {@code BatchMatMul} where this process cannot register the
   * gradient (TensorFlow Java's Windows build).
   */
  static Operand<TFloat32> of(Ops tf, Operand<TFloat32> tiles, Operand<TFloat32> kernel, Recompute recompute) {
    if (recompute == Recompute.NOTHING || !PassThrough.AVAILABLE) {
      return tf.train.batchMatMul(tiles, kernel, TFloat32.class);
    }
    return passedThrough(tf, tiles, kernel, recompute == Recompute.KERNEL_AND_TILES);
  }

  private static Operand<TFloat32> passedThrough(Ops tf, Operand<TFloat32> tiles, Operand<TFloat32> kernel,
      boolean recomputeTiles) {
    Operand<TFloat32> product = tf.train.batchMatMul(tf.stopGradient(tiles), tf.stopGradient(kernel), TFloat32.class);
    return PassThrough.of(tf, "WinogradProduct", product, List.of(tiles, kernel),
        MARK + (recomputeTiles ? TILES : ""));
  }

  /** The gradients of the pass-through's inputs: the product (unused), the tiles, the kernel. */
  static List<Operand<?>> gradient(Ops tf, GraphOperation op, String message, Operand<TFloat32> upstream) {
    Operand<TFloat32> kernel = PassThrough.cast(rebuild(tf, op.input(2), KERNEL_OPS, upstream));
    Operand<TFloat32> tiles = PassThrough.cast(message.endsWith(TILES) ? rebuild(tf, op.input(1), TILE_OPS, upstream)
        : op.input(1));
    // BatchMatMul's gradient: d tiles = d product . kernel^T, d kernel = tiles^T . d product.
    Operand<TFloat32> dTiles = tf.train.batchMatMul(upstream, kernel, TFloat32.class, BatchMatMul.adjY(true));
    Operand<TFloat32> dKernel = tf.train.batchMatMul(tiles, upstream, TFloat32.class, BatchMatMul.adjX(true));
    return List.of(upstream, dTiles, dKernel);
  }

  /**
   * A copy of the {@code depth} ops that computed {@code value} ({@code Reshape}, {@code MatMul}
   * without transposes, {@code GatherV2}: ops whose other attributes follow from their inputs),
   * each waiting for {@code after}, reading the same inputs below them; constants and ops of other
   * types are not copied. The control input keeps the copy from running before the product's
   * gradient exists, and keeps Grappler from merging it with the forward pass's op.
   */
  private static Output<?> rebuild(Ops tf, Output<?> value, int depth, Operand<?> after) {
    GraphOperation op = (GraphOperation) value.op();
    if (depth == 0 || !List.of("Reshape", "MatMul", "GatherV2").contains(op.type())) {
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
