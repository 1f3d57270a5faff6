package org.unet4j.layers;

import java.util.Arrays;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.TensorFlow;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.nn.Conv3d;
import org.tensorflow.op.nn.Conv3dBackpropFilter;
import org.tensorflow.op.nn.Conv3dBackpropInput;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/**
 * The gradients of TensorFlow's 3D convolution ops, which TensorFlow Java 1.1.0 does not register
 * (its gradient registry is that of TensorFlow's C++ API, which has none for {@code Conv3D} nor
 * {@code Conv3DBackpropInputV2}), registered in this process so that {@link ConvolutionLowering#NATIVE}
 * 3D nets train:
 * <ul>
 *   <li>{@code y = Conv3D(x, w)}: dx is {@code Conv3DBackpropInputV2(shape(x), w, dy)}, dw is
 *       {@code Conv3DBackpropFilterV2(x, shape(w), dy)}, with the op's strides and padding;
 *   <li>{@code y = Conv3DBackpropInputV2(sizes, w, x)}, the up-convolution (a transposed
 *       convolution): it is the input gradient of a convolution of y by w, so dx is that convolution
 *       of dy, {@code Conv3D(dy, w)}, and dw is the filter gradient of that convolution with dy in the
 *       place of its input and x in the place of its output gradient,
 *       {@code Conv3DBackpropFilterV2(dy, shape(w), x)}; the sizes get zeros.
 * </ul>
 *
 * <p>TensorFlow Java's registry is process-global, takes each op once and cannot replace a
 * gradient that exists, so {@link #register()} registers both on its first call (class
 * initialisation makes that once and thread-safe) and answers whether a graph with a {@code Conv3D}
 * can now be differentiated. That is false where TensorFlow Java's native side does not support custom
 * gradients (Windows, where it is a stub), and then the 3D nets keep the matrix forms.
 */
public final class Conv3dGradients {
  private static final boolean AVAILABLE = registerOnce();

  private Conv3dGradients() {}

  /**
   * Registers the two gradients in this process unless done already, and answers whether
   * {@code Graph.addGradients} can now differentiate {@code Conv3D} and {@code Conv3DBackpropInputV2}.
   */
  public static boolean register() {
    return AVAILABLE;
  }

  private static boolean registerOnce() {
    boolean conv = TensorFlow.registerCustomGradient(Conv3d.Inputs.class, Conv3dGradients::conv);
    boolean upConv = TensorFlow.registerCustomGradient(Conv3dBackpropInput.Inputs.class, Conv3dGradients::upConv);
    // False means the op had a gradient already (a later TensorFlow) or registration is not
    // supported here; only differentiating a graph tells the two apart.
    return conv && upConv || differentiates();
  }

  private static List<Operand<?>> conv(Ops tf, Conv3d.Inputs<?> op, List<Output<?>> gradients) {
    return convGradients(tf, op, gradients.get(0));
  }

  private static <T extends TNumber> List<Operand<?>> convGradients(Ops tf, Conv3d.Inputs<T> op, Output<?> dy) {
    @SuppressWarnings("unchecked")
    Operand<T> upstream = (Operand<T>) dy;
    List<Long> strides = longs(op.strides);
    Operand<T> dx = tf.nn.conv3dBackpropInput(tf.shape(op.input), op.filter, upstream, strides, op.padding,
        Conv3dBackpropInput.dataFormat(op.dataFormat), Conv3dBackpropInput.dilations(longs(op.dilations)));
    Operand<T> dw = tf.nn.conv3dBackpropFilter(op.input, tf.shape(op.filter), upstream, strides, op.padding,
        Conv3dBackpropFilter.dataFormat(op.dataFormat),
        Conv3dBackpropFilter.dilations(longs(op.dilations)));
    return List.of(dx, dw);
  }

  private static List<Operand<?>> upConv(Ops tf, Conv3dBackpropInput.Inputs<?> op, List<Output<?>> gradients) {
    return upConvGradients(tf, op, gradients.get(0));
  }

  private static <U extends TNumber> List<Operand<?>> upConvGradients(Ops tf, Conv3dBackpropInput.Inputs<U> op,
      Output<?> dy) {
    @SuppressWarnings("unchecked")
    Operand<U> upstream = (Operand<U>) dy;
    List<Long> strides = longs(op.strides);
    Operand<U> dx = tf.nn.conv3d(upstream, op.filter, strides, op.padding, Conv3d.dataFormat(op.dataFormat),
        Conv3d.dilations(longs(op.dilations)));
    Operand<U> dw = tf.nn.conv3dBackpropFilter(upstream, tf.shape(op.filter), op.outBackprop, strides, op.padding,
        Conv3dBackpropFilter.dataFormat(op.dataFormat),
        Conv3dBackpropFilter.dilations(longs(op.dilations)));
    // TensorFlow Java 1.1.0 fails on a null gradient, so the sizes (an integer input) get zeros.
    return List.of(tf.zerosLike(op.inputSizes), dw, dx);
  }

  private static List<Long> longs(long[] values) {
    return Arrays.stream(values).boxed().toList();
  }

  /** Whether a graph holding a {@code Conv3D} can be differentiated in this process. */
  private static boolean differentiates() {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, 1, 1, 1, 1)));
      Operand<TFloat32> w = tf.zeros(tf.constant(new int[] {1, 1, 1, 1, 1}), TFloat32.class);
      Operand<TFloat32> y = tf.nn.conv3d(x, w, List.of(1L, 1L, 1L, 1L, 1L), "VALID");
      graph.addGradients(y.asOutput(), new Output<?>[] {x.asOutput()});
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }
}
