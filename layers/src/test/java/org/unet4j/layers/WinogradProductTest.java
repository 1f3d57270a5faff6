package org.unet4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The Winograd product whose gradient recomputes its operands gives the gradients of
 * {@code BatchMatMul}'s own gradient, to the bit, and its backward pass reads none of the operands
 * of the forward pass (which is what frees them early).
 */
class WinogradProductTest {
  /** Positions (t²), tiles, input and output channels: small and odd. */
  private static final int POSITIONS = 4;
  private static final int TILES = 5;
  private static final int IN = 3;
  private static final int OUT = 2;
  /** Pixels of the input the tiles are gathered from. */
  private static final int PIXELS = 7;

  /** The graph of a product and the gradients of {@code sum(product * r)} by the input pixels and the kernel. */
  private record Product(Graph graph, Placeholder<TFloat32> pixels, Placeholder<TFloat32> weights,
      Operand<TFloat32> tiles, Operand<TFloat32> kernel, Output<?>[] gradients) {}

  /**
   * The operands built as the compiler builds them: tiles gathered from pixels and transformed by a
   * constant matrix, a kernel transformed by another.
   */
  private static Product product(Graph graph, WinogradProduct.Recompute recompute) {
    Ops tf = Ops.create(graph);
    Placeholder<TFloat32> pixels = tf.placeholder(TFloat32.class);
    Placeholder<TFloat32> weights = tf.placeholder(TFloat32.class);
    int[] rows = new int[POSITIONS * TILES];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = (i * 3) % PIXELS;
    }
    Operand<TFloat32> gathered = tf.reshape(tf.gather(tf.reshape(pixels, tf.constant(new int[] {-1, IN})),
        tf.constant(rows), tf.constant(0)), tf.constant(new int[] {POSITIONS, -1}));
    Operand<TFloat32> tiles = tf.reshape(tf.linalg.matMul(constant(tf, POSITIONS, POSITIONS, 1), gathered),
        tf.constant(new int[] {POSITIONS, TILES, IN}));
    Operand<TFloat32> kernel = tf.reshape(tf.linalg.matMul(constant(tf, POSITIONS, 2, 2),
        tf.reshape(weights, tf.constant(new int[] {2, IN * OUT}))), tf.constant(new int[] {POSITIONS, IN, OUT}));
    Operand<TFloat32> product = WinogradProduct.of(tf, tiles, kernel, recompute);
    Operand<TFloat32> r = tf.reshape(constant(tf, POSITIONS, TILES * OUT, 3),
        tf.constant(new int[] {POSITIONS, TILES, OUT}));
    Operand<TFloat32> loss = tf.sum(tf.math.mul(product, r), tf.constant(new int[] {0, 1, 2}));
    Output<?>[] gradients = graph.addGradients(loss.asOutput(),
        new Output<?>[] {pixels.asOutput(), weights.asOutput()});
    return new Product(graph, pixels, weights, tiles, kernel, gradients);
  }

  /** A constant matrix of seeded Gaussian values (rows x columns). */
  private static Operand<TFloat32> constant(Ops tf, int rows, int columns, long seed) {
    float[] values = Tensors.gaussian(seed, rows * columns);
    float[][] matrix = new float[rows][columns];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(values, r * columns, matrix[r], 0, columns);
    }
    return tf.constant(matrix);
  }

  private static List<float[]> gradients(WinogradProduct.Recompute recompute) {
    try (Graph graph = new Graph()) {
      Product p = product(graph, recompute);
      try (Session session = Tensors.quickSession(graph);
          TFloat32 pixels = Tensors.of(Tensors.gaussian(4, PIXELS * IN), PIXELS, IN);
          TFloat32 weights = Tensors.of(Tensors.gaussian(5, 2 * IN * OUT), 2, IN * OUT)) {
        Session.Runner runner = session.runner().feed(p.pixels(), pixels).feed(p.weights(), weights);
        for (Output<?> g : p.gradients()) {
          runner.fetch(g);
        }
        List<float[]> values = new ArrayList<>();
        try (Result result = runner.run()) {
          for (int i = 0; i < result.size(); i++) {
            values.add(Tensors.values((TFloat32) result.get(i)));
          }
        }
        return values;
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = WinogradProduct.Recompute.class, names = {"KERNEL", "KERNEL_AND_TILES"})
  void recomputedOperandsGiveBatchMatMulsOwnGradientsToTheBit(WinogradProduct.Recompute recompute) {
    List<float[]> own = gradients(WinogradProduct.Recompute.NOTHING);
    List<float[]> recomputed = gradients(recompute);
    assertEquals(2, recomputed.size());
    assertEquals(PIXELS * IN, recomputed.get(0).length);
    assertArrayEquals(own.get(0), recomputed.get(0), "gradient of the pixels");
    assertArrayEquals(own.get(1), recomputed.get(1), "gradient of the weights");
    // Not zero: the comparison means something.
    assertTrue(sumOfSquares(recomputed.get(1)) > 0);
  }

  @ParameterizedTest
  @EnumSource(value = WinogradProduct.Recompute.class, names = {"KERNEL", "KERNEL_AND_TILES"})
  void theBackwardPassReadsNoOperandOfTheForwardPassItRecomputes(WinogradProduct.Recompute recompute) {
    try (Graph graph = new Graph()) {
      Product p = product(graph, recompute);
      // The forward kernel feeds only the forward product (through StopGradient) and the pass-through.
      assertEquals(Set.of("StopGradient", "Print"), consumerTypes(p.kernel()));
      if (recompute == WinogradProduct.Recompute.KERNEL_AND_TILES) {
        assertEquals(Set.of("StopGradient", "Print"), consumerTypes(p.tiles()));
      } else {
        // The tiles are kept: the kernel's gradient reads them.
        assertTrue(consumerTypes(p.tiles()).contains("BatchMatMulV3"), consumerTypes(p.tiles()).toString());
      }
    }
  }

  @Test
  void withoutRecomputationTheProductIsBatchMatMul() {
    try (Graph graph = new Graph()) {
      Product p = product(graph, WinogradProduct.Recompute.NOTHING);
      assertEquals(Set.of("BatchMatMulV3"), consumerTypes(p.kernel()).stream().filter(t -> !t.startsWith("Shape"))
          .collect(Collectors.toSet()));
    }
  }

  private static Set<String> consumerTypes(Operand<TFloat32> value) {
    GraphOperation op = (GraphOperation) value.op();
    return op.consumers().stream().map(GraphOperation::type).collect(Collectors.toSet());
  }

  private static double sumOfSquares(float[] values) {
    double sum = 0;
    for (float v : values) {
      sum += v * v;
    }
    return sum;
  }
}
