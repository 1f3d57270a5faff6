package org.unet4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.nn.LeakyRelu;
import org.tensorflow.types.TFloat32;

/**
 * The activations whose gradient reads their output give TensorFlow's own gradients to the bit, and
 * their backward pass reads nothing of the pre-activation (which is what frees it after the forward
 * pass).
 */
class OutputGradientActivationTest {
  /** Odd-sized input with exact zeros, positives and negatives. */
  private static final int SIZE = 37;

  private record Values(float[] output, float[] gradient) {}

  /**
   * {@code activation(x * 1.5)} and the gradient of {@code sum(activation * r)} by {@code x}: the
   * multiplication puts an op between the placeholder and the activation, as a convolution does.
   */
  private static Values run(BiFunction<Ops, Operand<TFloat32>, Operand<TFloat32>> activation) {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class);
      Operand<TFloat32> y = activation.apply(tf, tf.math.mul(x, tf.constant(1.5f)));
      Operand<TFloat32> r = tf.constant(Tensors.gaussian(3, SIZE));
      Operand<TFloat32> loss = tf.sum(tf.math.mul(y, r), tf.constant(0));
      Output<?>[] gradient = graph.addGradients(loss.asOutput(), new Output<?>[] {x.asOutput()});
      float[] input = Tensors.gaussian(9, SIZE);
      input[4] = 0;
      input[11] = -0f;
      try (Session session = Tensors.quickSession(graph); TFloat32 fed = Tensors.of(input, SIZE);
          Result result = session.runner().feed(x, fed).fetch(y).fetch(gradient[0]).run()) {
        return new Values(Tensors.values((TFloat32) result.get(0)), Tensors.values((TFloat32) result.get(1)));
      }
    }
  }

  @Test
  void reluGivesTensorFlowsValuesAndGradientToTheBit() {
    Values own = run((tf, v) -> tf.nn.relu(v));
    Values fromOutput = run(OutputGradientActivation::relu);
    assertArrayEquals(own.output(), fromOutput.output());
    assertArrayEquals(own.gradient(), fromOutput.gradient());
    // Both zero and non-zero gradients occur: the comparison means something.
    assertTrue(count(fromOutput.gradient(), 0) > 0 && count(fromOutput.gradient(), 0) < SIZE);
  }

  @ParameterizedTest
  @ValueSource(floats = {0f, 0.2f, 0.7f})
  void leakyReluGivesTensorFlowsValuesAndGradientToTheBit(float slope) {
    Values own = run((tf, v) -> tf.nn.leakyRelu(v, LeakyRelu.alpha(slope)));
    Values fromOutput = run((tf, v) -> OutputGradientActivation.leakyRelu(tf, v, slope));
    assertArrayEquals(own.output(), fromOutput.output());
    assertArrayEquals(own.gradient(), fromOutput.gradient());
  }

  @Test
  void aNegativeSlopeIsRefused() {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> OutputGradientActivation.leakyRelu(tf, x, -0.5f));
      assertTrue(e.getMessage().contains("slope of 0 or more, got -0.5"), e.getMessage());
    }
  }

  @Test
  void theBackwardPassReadsTheOutputNotThePreActivation() {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class);
      Operand<TFloat32> pre = tf.math.mul(x, tf.constant(2f));
      Operand<TFloat32> y = OutputGradientActivation.relu(tf, pre);
      graph.addGradients(tf.sum(y, tf.constant(0)).asOutput(), new Output<?>[] {x.asOutput()});
      assertEquals(Set.of("StopGradient", "Print"), consumerTypes(pre));
      assertTrue(consumerTypes(y).contains("ReluGrad"), consumerTypes(y).toString());
    }
  }

  @Test
  void aPrintOfAnotherMessageHasNoGradient() {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class);
      Operand<TFloat32> printed = PassThrough.of(tf, "Other", tf.identity(x), List.of(x), "hello");
      RuntimeException e = assertThrows(RuntimeException.class,
          () -> graph.addGradients(printed.asOutput(), new Output<?>[] {x.asOutput()}));
      assertTrue(String.valueOf(e.getMessage()).contains("with message \"hello\"")
          || String.valueOf(e.getCause()).contains("with message \"hello\""), String.valueOf(e));
    }
  }

  private static Set<String> consumerTypes(Operand<TFloat32> value) {
    return ((GraphOperation) value.op()).consumers().stream().map(GraphOperation::type)
        .filter(t -> !t.startsWith("Shape")).collect(Collectors.toSet());
  }

  private static int count(float[] values, float value) {
    int n = 0;
    for (float v : values) {
      n += v == value ? 1 : 0;
    }
    return n;
  }
}
