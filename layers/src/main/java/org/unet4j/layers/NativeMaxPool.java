package org.unet4j.layers;

import java.util.List;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The p x p max pooling of stride p of a training graph, differentiated by unet4j's native
 * {@code Unet4jMaxPoolGrad} ({@link WinogradOps#maxPoolGradient}) instead of TensorFlow's
 * {@code MaxPoolGradV2}, which on a CPU visits one value at a time on one thread: 157 ms of a
 * paper-net training step at tile 572 for the four poolings ({@code docs/performance.md}, lever 1e).
 * The forward pooling stays TensorFlow's; it is passed through a {@link PassThrough} that carries
 * the pooled map, whose gradient the native op computes from that map and the pooled gradient. The
 * gradient is the same as TensorFlow's, bit for bit: each window's to its first largest value.
 */
final class NativeMaxPool {
  /** The pass-through's message, followed by {@code :p}. */
  static final String MARK = "unet4j.maxpool";

  private NativeMaxPool() {}

  /** Whether training graphs of this process pool through the native gradient. */
  static boolean usable() {
    return WinogradOps.available() && PassThrough.AVAILABLE;
  }

  /** The {@code size x size} max pooling of stride {@code size} of {@code x}, VALID. */
  static Operand<TFloat32> of(Ops tf, Operand<TFloat32> x, int size) {
    Operand<TFloat32> pooled = tf.nn.maxPool(tf.stopGradient(x), tf.constant(new int[] {1, size, size, 1}),
        tf.constant(new int[] {1, size, size, 1}), "VALID");
    return PassThrough.of(tf, "MaxPool", pooled, List.of(x), MARK + ":" + size);
  }

  /** The pooled map's gradient from the pass-through's upstream gradient. */
  static List<Operand<?>> gradient(Ops tf, GraphOperation op, String message, Operand<TFloat32> upstream) {
    int size = Integer.parseInt(message.substring(MARK.length() + 1));
    Operand<TFloat32> x = PassThrough.cast(op.input(1));
    return List.of(upstream, WinogradOps.maxPoolGradient(tf, x, upstream, size));
  }
}
