package org.unet4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.unet4j.dsl.model.ModelSpec;
import org.unet4j.dsl.model.UNet;

class MaxPoolOpsTest {
  /**
   * The pooled values and their gradient (through the registered gradient) equal TensorFlow's own ({@code MaxPool}, {@code MaxPoolGradV2}) to
   * the bit, on maps of few distinct values (most windows hold ties, and whole windows of zeros as after a
   * ReLU), of odd sizes whose last rows and columns no window covers, batches and channel counts that are
   * not multiples of the 8 the op handles at once.
   */
  @ParameterizedTest(name = "n {0}, {1}x{2}, {3} channels, pool {4}")
  @CsvSource({"1, 2, 2, 1, 2", "1, 4, 4, 1, 2", "2, 7, 9, 5, 2", "1, 10, 11, 13, 3", "3, 6, 6, 8, 2",
      "1, 9, 5, 16, 2", "2, 12, 8, 64, 2", "1, 5, 5, 3, 1", "1, 9, 7, 4, 4"})
  void theGradientIsTensorFlowsBitForBit(int n, int h, int w, int c, int p) {
    assumeTrue(WinogradOps.available(), WinogradOps.describe());
    float[] x = few(Tensors.gaussian(h * 100L + w, n * h * w * c));
    int oh = h / p;
    int ow = w / p;
    float[] r = Tensors.gaussian(c, n * oh * ow * c);
    float[][] tensorflows = pooledAndGradient(x, r, n, h, w, c, p, false);
    float[][] natives = pooledAndGradient(x, r, n, h, w, c, p, true);
    assertArrayEquals(tensorflows[0], natives[0], "pooled values");
    assertArrayEquals(tensorflows[1], natives[1], "gradient");
  }

  /** NaN values are passed over, as TensorFlow's pooling passes them over. */
  @Test
  void aNaNInAWindowIsPassedOverAsTensorFlowsPoolingDoes() {
    assumeTrue(WinogradOps.available(), WinogradOps.describe());
    float nan = Float.NaN;
    float[] x = {
        nan, 1, 2, 2,
        3, 0, nan, 5,
        1, 1, 7, 7,
        nan, 4, 7, 7};
    float[] r = {1, 1, 1, 1};
    float[] tensorflows = pooledAndGradient(x, r, 1, 4, 4, 1, 2, false)[0];
    assertArrayEquals(new float[] {3, 5, 4, 7}, tensorflows);
    assertArrayEquals(tensorflows, pooledAndGradient(x, r, 1, 4, 4, 1, 2, true)[0]);
  }

  @Test
  void eachWindowsGradientGoesToItsFirstLargestValue() {
    assumeTrue(WinogradOps.available(), WinogradOps.describe());
    // A 4x5 map: two rows of two 2x2 windows, the last column in none. Ties go to the window's first largest
    // value in row-major order; the all-zero window's gradient to its first value.
    float[] x = {
        1, 1, 0, 2, 9,
        0, 1, 2, 2, 9,
        3, 5, 0, 0, 9,
        5, 4, 0, 0, 9};
    float[] r = {10, 20, 30, 40};
    float[] dx = pooledAndGradient(x, r, 1, 4, 5, 1, 2, true)[1];
    assertArrayEquals(new float[] {
        10, 0, 0, 20, 0,
        0, 0, 0, 0, 0,
        0, 30, 40, 0, 0,
        0, 0, 0, 0, 0}, dx);
  }

  @Test
  void aPooledGradientOfTheWrongShapeIsRefusedWithTheReason() {
    assumeTrue(WinogradOps.available(), WinogradOps.describe());
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Operand<TFloat32> x = tf.zeros(tf.constant(new int[] {1, 6, 6, 2}), TFloat32.class);
      Operand<TFloat32> dy = tf.zeros(tf.constant(new int[] {1, 2, 3, 2}), TFloat32.class);
      Operand<TFloat32> dx = WinogradOps.maxPoolGradient(tf, x, dy, tf.constant(2));
      try (Session session = Tensors.quickSession(graph)) {
        RuntimeException e = assertThrows(RuntimeException.class, () -> session.runner().fetch(dx).run().close());
        assertTrue(e.getMessage().contains("expected an input [n, h, w, c], its pooled gradient [n, h / p, w / p, c]"),
            e.getMessage());
      }
    }
  }

  @Test
  void aPoolSizeBelowOneIsRefusedWithTheReason() {
    assumeTrue(WinogradOps.available(), WinogradOps.describe());
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Operand<TFloat32> x = tf.zeros(tf.constant(new int[] {1, 6, 6, 2}), TFloat32.class);
      IllegalArgumentException early = assertThrows(IllegalArgumentException.class, () -> WinogradOps.maxPool(tf, x, 0));
      assertTrue(early.getMessage().contains("the pool size must be at least 1, got 0"), early.getMessage());
      // The op itself checks too.
      Output<?> pooled = tf.scope().opBuilder(WinogradOps.MAX_POOL, "Pool").addInput(x.asOutput())
          .addInput(tf.constant(0).asOutput()).build().output(0);
      try (Session session = Tensors.quickSession(graph)) {
        RuntimeException e = assertThrows(RuntimeException.class, () -> session.runner().fetch(pooled).run().close());
        assertTrue(e.getMessage().contains("expected an input [n, h, w, c] and a pool size p of at least 1"),
            e.getMessage());
      }
    }
  }

  /** A training graph of the Winograd lowering pools with the native op and differentiates it with the native gradient. */
  @Test
  void aTrainingGraphPoolsThroughTheNativeGradient() {
    assumeTrue(WinogradOps.available(), WinogradOps.describe());
    assumeTrue(ModelCompiler.defaultLowering() == ConvolutionLowering.WINOGRAD, "the lowering is not Winograd's");
    ModelSpec spec = UNet.builder().depth(2).baseFilters(4).build();
    int tile = spec.geometry().smallestValidInput();
    try (CompiledModel model = ModelCompiler.compile(spec, tile, 1)) {
      Graph graph = model.graph();
      Ops tf = Ops.create(graph);
      Operand<TFloat32> loss = tf.sum(model.logits(), tf.constant(new int[] {0, 1, 2, 3}));
      Output<?>[] gradients = graph.addGradients(loss.asOutput(), model.trainableVariables().stream()
          .map(v -> v.variable().asOutput()).toArray(Output<?>[]::new));
      // The op types the gradients are computed from.
      Set<String> types = new HashSet<>();
      Set<String> seen = new HashSet<>();
      Deque<GraphOperation> open = new ArrayDeque<>();
      for (Output<?> gradient : gradients) {
        open.add((GraphOperation) gradient.op());
      }
      while (!open.isEmpty()) {
        GraphOperation op = open.pop();
        if (seen.add(op.name())) {
          types.add(op.type());
          for (int i = 0; i < op.numInputs(); i++) {
            open.add((GraphOperation) op.input(i).op());
          }
        }
      }
      assertTrue(types.contains(WinogradOps.MAX_POOL) && types.contains(WinogradOps.MAX_POOL_GRAD), types.toString());
      assertFalse(types.contains("MaxPoolV2") || types.contains("MaxPoolGradV2") || types.contains("MaxPoolGrad"),
          types.toString());
    }
  }

  /** Values rounded to few levels: most pooling windows hold ties. */
  private static float[] few(float[] values) {
    float[] rounded = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      rounded[i] = Math.max(0, Math.round(values[i]));
    }
    return rounded;
  }

  /** The pooled map of {@code x} and the gradient of {@code sum(pooled * r)} with respect to {@code x}. */
  private static float[][] pooledAndGradient(float[] x, float[] r, int n, int h, int w, int c, int p,
      boolean nativeGradient) {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> input = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(n, h, w, c)));
      Operand<TFloat32> pooled = nativeGradient ? WinogradOps.maxPool(tf, input, p)
          : tf.nn.maxPool(input, tf.constant(new int[] {1, p, p, 1}), tf.constant(new int[] {1, p, p, 1}), "VALID");
      int[] axes = IntStream.range(0, 4).toArray();
      Operand<TFloat32> dot = tf.sum(tf.math.mul(pooled, tf.constant(Shape.of(n, h / p, w / p, c),
          org.tensorflow.ndarray.buffer.DataBuffers.of(r, true, false))), tf.constant(axes));
      Output<?>[] gradient = graph.addGradients(dot.asOutput(), new Output<?>[] {input.asOutput()});
      try (Session session = Tensors.quickSession(graph);
          TFloat32 value = Tensors.of(x, n, h, w, c);
          Result result = session.runner().feed(input, value).fetch(pooled).fetch(gradient[0]).run()) {
        return new float[][] {Tensors.values((TFloat32) result.get(0)), Tensors.values((TFloat32) result.get(1))};
      }
    }
  }
}
