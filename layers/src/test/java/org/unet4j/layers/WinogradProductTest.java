package org.unet4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The Winograd product whose gradient rebuilds its operands and computes the pixels' gradient in
 * channel chunks gives the gradients of TensorFlow's own ops ({@code GatherV2}, {@code MatMul},
 * {@code BatchMatMul}), and its backward pass reads no operand of the forward pass (which is what
 * frees them early).
 */
class WinogradProductTest {
  /** Positions (t²), tiles, input and output channels: small and odd. */
  private static final int POSITIONS = 4;
  private static final int TILES = 5;
  private static final int IN = 3;
  private static final int OUT = 2;
  /** Pixels of the input the tiles are gathered from. */
  private static final int PIXELS = 7;

  /** The graph of a product and the gradients of {@code sum(product * r)} by the input pixels and the weights. */
  private record Product(Graph graph, Placeholder<TFloat32> pixels, Placeholder<TFloat32> weights,
      Operand<TFloat32> kernel, Operand<TFloat32> product, Output<?>[] gradients) {}

  /**
   * The operands built as the compiler builds them: tiles gathered from pixels (every pixel at
   * least once, some several times) and transformed by a constant matrix, a kernel transformed by
   * another; {@code chunks} 0 for TensorFlow's own gradients.
   */
  private static Product product(Graph graph, int chunks) {
    Ops tf = Ops.create(graph);
    Placeholder<TFloat32> pixels = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(PIXELS, IN)));
    Placeholder<TFloat32> weights = tf.placeholder(TFloat32.class);
    int[] rows = new int[POSITIONS * TILES];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = (i * 3) % PIXELS;
    }
    float[][] transform = matrix(POSITIONS, POSITIONS, 1);
    Operand<TFloat32> kernel = tf.reshape(tf.linalg.matMul(tf.constant(matrix(POSITIONS, 2, 2)),
        tf.reshape(weights, tf.constant(new int[] {2, IN * OUT}))), tf.constant(new int[] {POSITIONS, IN, OUT}));
    Operand<TFloat32> product = chunks == 0
        ? WinogradProduct.forInference(tf, pixels, tf.constant(rows), transform, kernel)
        : WinogradProduct.forTraining(tf, pixels, tf.constant(rows), transform, kernel, chunks);
    Operand<TFloat32> r = tf.reshape(tf.constant(matrix(POSITIONS, TILES * OUT, 3)),
        tf.constant(new int[] {POSITIONS, TILES, OUT}));
    Operand<TFloat32> loss = tf.sum(tf.math.mul(product, r), tf.constant(new int[] {0, 1, 2}));
    Output<?>[] gradients = graph.addGradients(loss.asOutput(),
        new Output<?>[] {pixels.asOutput(), weights.asOutput()});
    return new Product(graph, pixels, weights, kernel, product, gradients);
  }

  /** A matrix of seeded Gaussian values (rows x columns). */
  private static float[][] matrix(int rows, int columns, long seed) {
    float[] values = Tensors.gaussian(seed, rows * columns);
    float[][] matrix = new float[rows][columns];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(values, r * columns, matrix[r], 0, columns);
    }
    return matrix;
  }

  /** The product and the two gradients. */
  private static List<float[]> run(int chunks) {
    try (Graph graph = new Graph()) {
      Product p = product(graph, chunks);
      try (Session session = Tensors.quickSession(graph);
          TFloat32 pixels = Tensors.of(Tensors.gaussian(4, PIXELS * IN), PIXELS, IN);
          TFloat32 weights = Tensors.of(Tensors.gaussian(5, 2 * IN * OUT), 2, IN * OUT)) {
        Session.Runner runner = session.runner().feed(p.pixels(), pixels).feed(p.weights(), weights).fetch(p.product());
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
  @ValueSource(ints = {1, 2, 3})
  void rebuiltOperandsAndChunksGiveTensorFlowsOwnGradients(int chunks) {
    List<float[]> own = run(0);
    List<float[]> rebuilt = run(chunks);
    assertEquals(3, rebuilt.size());
    assertArrayEquals(own.get(0), rebuilt.get(0), "product");
    assertEquals(PIXELS * IN, rebuilt.get(1).length);
    assertArrayEquals(own.get(1), rebuilt.get(1), 1e-5f, "gradient of the pixels");
    assertArrayEquals(own.get(2), rebuilt.get(2), 1e-5f, "gradient of the weights");
    if (chunks == 1) {
      // The same ops in the same order as TensorFlow's gradients: the same bits.
      assertArrayEquals(own.get(1), rebuilt.get(1), "gradient of the pixels, bit for bit");
      assertArrayEquals(own.get(2), rebuilt.get(2), "gradient of the weights, bit for bit");
    }
    // Not zero: the comparison means something.
    assertTrue(sumOfSquares(rebuilt.get(1)) > 0 && sumOfSquares(rebuilt.get(2)) > 0);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3})
  void theBackwardPassReadsNoOperandOfTheForwardPass(int chunks) {
    try (Graph graph = new Graph()) {
      Product p = product(graph, chunks);
      // The forward kernel feeds only the forward product (through StopGradient) and the pass-through.
      assertEquals(Set.of("StopGradient", "Print"), consumerTypes(p.kernel().asOutput()));
      // The forward tiles feed only the forward product.
      GraphOperation forward = (GraphOperation) p.product().op();
      GraphOperation batchMatMul = (GraphOperation) forward.input(0).op();
      GraphOperation stop = (GraphOperation) batchMatMul.input(0).op();
      assertEquals("StopGradient", stop.type());
      assertEquals(Set.of("StopGradient"), consumerTypes(stop.input(0)));
      // The backward pass sums one chunk of tile gradients into the pixels at a time.
      assertEquals(chunks, count(graph, "UnsortedSegmentSum"));
    }
  }

  /**
   * With unet4j's native transforms ({@link WinogradOps}) the convolution's backward pass rebuilds
   * the tiles from the image too, one chunk of channels at a time, and sums each chunk's tile
   * gradients into the image with the tiles' gradient op; the forward tiles feed only the forward
   * products; the chunks give the gradients of one chunk, and those equal TensorFlow's own
   * gradients of the same ops (the tiles', the 36 products' and the blocks' registered gradients).
   */
  @ParameterizedTest
  @ValueSource(ints = {1, 2, 5})
  void nativeTilesAreRebuiltByChunkToo(int chunks) {
    assumeTrue(WinogradOps.available(), WinogradOps.describe());
    List<float[]> own = runNative(0);
    try (Graph graph = new Graph()) {
      nativeConvolution(graph, chunks);
      GraphOperation tiles = graph.operation("WinogradTiles");
      assertEquals(WinogradOps.TILES, tiles.type());
      Set<String> afterShape = ((GraphOperation) tiles.consumers().iterator().next()).consumers().stream()
          .map(GraphOperation::type).collect(Collectors.toSet());
      assertEquals(Set.of("StopGradient"), afterShape);
      assertEquals(chunks + 1, count(graph, WinogradOps.TILES));
      assertEquals(chunks, count(graph, WinogradOps.TILES_GRAD));
      // The products' gradient, and the blocks' registered gradient towards the StopGradient, which
      // nothing fetches (a session prunes it).
      assertEquals(2, count(graph, WinogradOps.BLOCKS_GRAD));
    }
    List<float[]> chunked = runNative(chunks);
    assertArrayEquals(own.get(0), chunked.get(0), "convolution");
    assertClose(own.get(1), chunked.get(1), "gradient of the image");
    assertClose(own.get(2), chunked.get(2), "gradient of the kernel");
    assertTrue(sumOfSquares(chunked.get(1)) > 0 && sumOfSquares(chunked.get(2)) > 0);
  }

  private record NativeConvolution(Placeholder<TFloat32> image, Placeholder<TFloat32> kernel,
      Operand<TFloat32> convolution, Output<?>[] gradients) {}

  /**
   * The native convolution of a [1, 9, 7, 5] image with a [36, 5, 3] kernel (2 x 2 tiles, output
   * [1, 7, 5, 3]) and the gradients of sum(convolution * r); {@code chunks} 0 for the ops' own gradients.
   */
  private static NativeConvolution nativeConvolution(Graph graph, int chunks) {
    Ops tf = Ops.create(graph);
    Placeholder<TFloat32> image = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, 9, 7, 5)));
    Placeholder<TFloat32> kernel = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(36, 5, 3)));
    Operand<TFloat32> convolution = chunks == 0 ? WinogradProduct.nativeForInference(tf, image, kernel)
        : WinogradProduct.nativeForTraining(tf, image, kernel, chunks);
    Operand<TFloat32> r = tf.reshape(tf.constant(matrix(1, 7 * 5 * 3, 3)), tf.constant(new int[] {1, 7, 5, 3}));
    Operand<TFloat32> loss = tf.sum(tf.math.mul(convolution, r), tf.constant(new int[] {0, 1, 2, 3}));
    return new NativeConvolution(image, kernel, convolution,
        graph.addGradients(loss.asOutput(), new Output<?>[] {image.asOutput(), kernel.asOutput()}));
  }

  private static List<float[]> runNative(int chunks) {
    try (Graph graph = new Graph()) {
      NativeConvolution p = nativeConvolution(graph, chunks);
      try (Session session = Tensors.quickSession(graph);
          TFloat32 image = Tensors.of(Tensors.gaussian(6, 9 * 7 * 5), 1, 9, 7, 5);
          TFloat32 kernel = Tensors.of(Tensors.gaussian(7, 36 * 5 * 3), 36, 5, 3);
          Result result = session.runner().feed(p.image(), image).feed(p.kernel(), kernel).fetch(p.convolution())
              .fetch(p.gradients()[0]).fetch(p.gradients()[1]).run()) {
        List<float[]> values = new ArrayList<>();
        for (int i = 0; i < result.size(); i++) {
          values.add(Tensors.values((TFloat32) result.get(i)));
        }
        return values;
      }
    }
  }

  @Test
  void chunksMustBeOneToTheInputChannels() {
    try (Graph graph = new Graph()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> product(graph, IN + 1));
      assertTrue(e.getMessage().contains("chunks must be 1 to 3 (the input channels), got 4"), e.getMessage());
    }
  }

  @Test
  void forInferenceTheProductIsBatchMatMul() {
    try (Graph graph = new Graph()) {
      Product p = product(graph, 0);
      assertEquals("BatchMatMulV3", p.product().op().type());
      assertEquals(0, count(graph, "Print"));
    }
  }

  private static Set<String> consumerTypes(Output<?> value) {
    GraphOperation op = (GraphOperation) value.op();
    return op.consumers().stream().map(GraphOperation::type).filter(t -> !t.startsWith("Shape")).collect(Collectors.toSet());
  }

  private static int count(Graph graph, String type) {
    int n = 0;
    for (var it = graph.operations(); it.hasNext(); ) {
      n += it.next().type().equals(type) ? 1 : 0;
    }
    return n;
  }

  /** Equal up to float32 rounding, relative to the largest magnitude (the transforms reach the thousands). */
  private static void assertClose(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what);
    double scale = 1e-30;
    for (float v : expected) {
      scale = Math.max(scale, Math.abs(v));
    }
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], 1e-6 * scale, what + " [" + i + "]");
    }
  }

  private static double sumOfSquares(float[] values) {
    double sum = 0;
    for (float v : values) {
      sum += v * v;
    }
    return sum;
  }
}
