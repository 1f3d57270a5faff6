package org.unet4j.layers;

import java.util.List;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.data.LeakyReluGrad;
import org.tensorflow.op.nn.LeakyRelu;
import org.tensorflow.types.TFloat32;

/**
 * ReLU and leaky ReLU whose gradient reads the activation's output instead of its input, to lower
 * the peak memory of a training step ({@code docs/performance.md}, "Memory of a training step").
 *
 * <p>TensorFlow Java's registered gradients of {@code Relu} and {@code LeakyRelu} read the op's
 * input, the pre-activation; so a training step keeps every layer's map twice, before and after
 * the activation, wherever the output is kept too (for the next convolution's gradient, a pooling's
 * or an up-convolution's, or a Winograd layer's rebuilt tiles). For a slope of 0 or more the output
 * is positive exactly where the input is, so {@code ReluGrad} and {@code LeakyReluGrad} given the
 * output compute the same gradient, bit for bit, and only the output stays alive. The activation is
 * built as a {@link PassThrough} with the pre-activation as its carried operand.
 */
final class OutputGradientActivation {
  /** The pass-through's message. */
  static final String MARK = "unet4j.activation";

  private OutputGradientActivation() {}

  /** {@code max(x, 0)}; a plain {@code Relu} where this process cannot register the gradient. */
  static Operand<TFloat32> relu(Ops tf, Operand<TFloat32> x) {
    if (!PassThrough.AVAILABLE) {
      return tf.nn.relu(x);
    }
    return PassThrough.of(tf, "Relu", tf.nn.relu(tf.stopGradient(x)), List.of(x), MARK);
  }

  /** {@code x} where positive, else {@code slope x}; {@code slope} at least 0. */
  static Operand<TFloat32> leakyRelu(Ops tf, Operand<TFloat32> x, float slope) {
    if (!(slope >= 0)) {
      throw new IllegalArgumentException("the gradient from the output needs a slope of 0 or more, got " + slope);
    }
    if (!PassThrough.AVAILABLE) {
      return tf.nn.leakyRelu(x, LeakyRelu.alpha(slope));
    }
    return PassThrough.of(tf, "LeakyRelu", tf.nn.leakyRelu(tf.stopGradient(x), LeakyRelu.alpha(slope)), List.of(x),
        MARK);
  }

  /** The gradient of the pre-activation from the pass-through's output (the activation's). */
  static List<Operand<?>> gradient(Ops tf, GraphOperation op, Operand<TFloat32> upstream) {
    Operand<TFloat32> output = PassThrough.cast(op.output(0));
    GraphOperation activation = (GraphOperation) op.input(0).op();
    Operand<TFloat32> pre = switch (activation.type()) {
      case "Relu" -> tf.nn.reluGrad(upstream, output);
      case "LeakyRelu" -> tf.data.leakyReluGrad(upstream, output,
          LeakyReluGrad.alpha(activation.attributes().getAttrFloat("alpha")));
      default -> throw new IllegalStateException(
          "no output gradient for " + activation.type() + " " + activation.name());
    };
    return List.of(upstream, pre);
  }
}
