package org.unet4j.layers;

import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.TensorFlow;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Gradients that unet4j defines for itself, carried by TensorFlow's v1 {@code Print} op.
 *
 * <p>TensorFlow Java can register a gradient only for an op type that has none, once per process,
 * and cannot replace the gradient of an op that has one. {@code Print} has none, passes its input
 * through without a copy, and with {@code first_n = 0} never prints. So a value whose gradient
 * unet4j computes is built from operands behind {@code StopGradient} and passed through a
 * {@code Print} whose data inputs are the operands that receive the gradients; its message says
 * which of unet4j's gradients applies ({@link WinogradProduct}, {@link OutputGradientActivation}).
 * A {@code Print} of any other message has no gradient.
 */
final class PassThrough {
  /** Whether this process differentiates the values built here (not on TensorFlow Java's Windows build). */
  static final boolean AVAILABLE = registerOnce();

  private PassThrough() {}

  /**
   * {@code value} passed through a {@code Print} named {@code name} with {@code message}, carrying
   * {@code operands}.
   */
  static Operand<TFloat32> of(Ops tf, String name, Operand<TFloat32> value, List<Operand<?>> operands, String message) {
    Output<?>[] carried = operands.stream().map(Operand::asOutput).toArray(Output<?>[]::new);
    Output<?> passed = tf.scope().opBuilder("Print", name)
        .addInput(value.asOutput())
        .addInputList(carried)
        .setAttr("message", message)
        .setAttr("first_n", 0L)
        .build()
        .output(0);
    return cast(passed);
  }

  private static boolean registerOnce() {
    return TensorFlow.registerCustomGradient("Print", PassThrough::gradient) || differentiates();
  }

  /**
   * The gradients of a {@code Print}'s inputs: the passed value's first (its operands are behind
   * {@code StopGradient}, so it is never used), then one per carried operand.
   */
  private static List<Operand<?>> gradient(Ops tf, GraphOperation op, List<Output<?>> gradients) {
    String message = op.attributes().getAttrString("message");
    Operand<TFloat32> upstream = cast(gradients.get(0));
    if (message.startsWith(WinogradProduct.MARK)) {
      return WinogradProduct.gradient(tf, op, message, upstream);
    }
    if (message.equals(OutputGradientActivation.MARK)) {
      return OutputGradientActivation.gradient(tf, op, upstream);
    }
    throw new IllegalStateException("no gradient for Print op " + op.name() + " with message \"" + message
        + "\" (unet4j differentiates only its own pass-throughs)");
  }

  @SuppressWarnings("unchecked")
  static Operand<TFloat32> cast(Output<?> value) {
    return (Operand<TFloat32>) value;
  }

  /** Whether a graph holding a pass-through can be differentiated in this process. */
  private static boolean differentiates() {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> a = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1)));
      Operand<TFloat32> passed = of(tf, "Probe", tf.nn.relu(tf.stopGradient(a)), List.of(a),
          OutputGradientActivation.MARK);
      graph.addGradients(passed.asOutput(), new Output<?>[] {a.asOutput()});
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }
}
