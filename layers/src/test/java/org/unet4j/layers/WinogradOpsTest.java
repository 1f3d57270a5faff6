package org.unet4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * unet4j's native Winograd ops against a brute-force reference written from the definition
 * (Lavin and Gray's F(4x4, 3x3) matrices, in double precision): the tiles {@code B^T d B} of a
 * clamped 6x6 window, the blocks {@code A^T m A} of the 36 positions' products placed and cropped,
 * and the two gradients as the
 * exact transposes of the two ops ({@code <op(x), y> = <x, grad(y)>}). Sizes are odd and small, the
 * channels not multiples of 8 or 16 as well as multiples (the ops' masked and 16-channel steps).
 */
class WinogradOpsTest {
  private static final double[][] BT = {{4, 0, -5, 0, 1, 0}, {0, -4, -4, 1, 1, 0}, {0, 4, -4, -1, 1, 0},
      {0, -2, -1, 2, 1, 0}, {0, 2, -1, -2, 1, 0}, {0, 4, 0, -5, 0, 1}};
  private static final double[][] AT = {{1, 1, 1, 1, 1, 0}, {0, 1, -1, 2, -2, 0}, {0, 1, 1, 4, 4, 0},
      {0, 1, -1, 8, -8, 1}};

  /**
   * Where the build could make the library (Linux x86-64 with gcc) and the CPU runs it (AVX2, FMA),
   * the ops are loaded: otherwise every other test here would skip and nothing would notice.
   */
  @Test
  void theOpsAreLoadedWhereTheyCanBeBuiltAndRun() throws Exception {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    boolean x86 = List.of("amd64", "x86_64").contains(System.getProperty("os.arch", ""));
    var flags = OneDnn.cpuFlags();
    assumeTrue(os.contains("linux") && x86 && flags.contains("avx2") && flags.contains("fma") && gccRuns()
        && System.getProperty(WinogradOps.PROPERTY) == null, "not a machine the native ops are built for");
    assertTrue(WinogradOps.available(), WinogradOps.describe());
    assertEquals("native", WinogradOps.describe());
  }

  @ParameterizedTest(name = "n {0}, {1}x{2}, {3} channels")
  @CsvSource({"1, 3, 3, 1", "1, 6, 6, 8", "2, 7, 10, 5", "1, 11, 9, 16", "2, 9, 13, 20", "1, 14, 6, 32", "1, 8, 8, 48"})
  void tilesAreTheTransformedClampedWindows(int n, int h, int w, int c) {
    assumeTrue(WinogradOps.available(), WinogradOps.describe());
    float[] x = Tensors.gaussian(h * 31L + c, n * h * w * c);
    float[] tiles = runTiles(x, n, h, w, c);
    int rows = (h - 2 + 3) / 4;
    int columns = (w - 2 + 3) / 4;
    int count = n * rows * columns;
    assertEquals(36 * count * c, tiles.length);
    for (int t = 0; t < count; t++) {
      int image = t / (rows * columns);
      int top = t % (rows * columns) / columns * 4;
      int left = t % columns * 4;
      for (int ch = 0; ch < c; ch++) {
        double[][] d = new double[6][6];
        for (int a = 0; a < 6; a++) {
          for (int b = 0; b < 6; b++) {
            int y = Math.min(top + a, h - 1);
            int xx = Math.min(left + b, w - 1);
            d[a][b] = x[((image * h + y) * w + xx) * c + ch];
          }
        }
        double[][] v = multiply(multiply(BT, d), transpose(BT));
        for (int p = 0; p < 36; p++) {
          double expected = v[p / 6][p % 6];
          assertEquals(expected, tiles[(p * count + t) * c + ch], 1e-5 * (1 + Math.abs(expected)),
              "tile " + t + ", position " + p + ", channel " + ch);
        }
      }
    }
  }

  @ParameterizedTest(name = "n {0}, input {1}x{2}, {3} channels")
  @CsvSource({"1, 3, 3, 1", "1, 6, 6, 8", "2, 7, 10, 5", "1, 11, 9, 16", "2, 9, 13, 20", "1, 14, 6, 32"})
  void blocksAreTheInverseTransformsPlacedAndCropped(int n, int h, int w, int c) {
    assumeTrue(WinogradOps.available(), WinogradOps.describe());
    int rows = (h - 2 + 3) / 4;
    int columns = (w - 2 + 3) / 4;
    int count = n * rows * columns;
    float[] m = Tensors.gaussian(w * 17L + c, 36 * count * c);
    float[] image = runBlocks(m, count, n, h, w, c);
    int oh = h - 2;
    int ow = w - 2;
    assertEquals(n * oh * ow * c, image.length);
    for (int t = 0; t < count; t++) {
      int im = t / (rows * columns);
      int top = t % (rows * columns) / columns * 4;
      int left = t % columns * 4;
      for (int ch = 0; ch < c; ch++) {
        double[][] mm = new double[6][6];
        for (int p = 0; p < 36; p++) {
          mm[p / 6][p % 6] = m[(p * count + t) * c + ch];
        }
        double[][] y = multiply(multiply(AT, mm), transpose(AT));
        for (int u = 0; u < 4 && top + u < oh; u++) {
          for (int v = 0; v < 4 && left + v < ow; v++) {
            double expected = y[u][v];
            assertEquals(expected, image[((im * oh + top + u) * ow + left + v) * c + ch],
                1e-5 * (1 + Math.abs(expected)), "pixel (" + (top + u) + ", " + (left + v) + "), channel " + ch);
          }
        }
      }
    }
  }

  /**
   * The tiles' gradient is B dv B^T of every tile summed into the pixels of its clamped window,
   * against a double-precision scatter: the op splits the pixel rows between threads, so tall
   * images of several bands and images stacked in a batch check that no tile row that reaches
   * across a split is lost or added twice.
   */
  @ParameterizedTest(name = "n {0}, {1}x{2}, {3} channels")
  @CsvSource({"1, 3, 3, 1", "2, 7, 10, 5", "1, 30, 7, 16", "3, 9, 13, 20", "2, 37, 41, 48", "1, 6, 6, 8"})
  void theTilesGradientSumsEveryTilesTransposedTransform(int n, int h, int w, int c) {
    assumeTrue(WinogradOps.available(), WinogradOps.describe());
    int rows = (h - 2 + 3) / 4;
    int columns = (w - 2 + 3) / 4;
    int count = n * rows * columns;
    float[] dv = Tensors.gaussian(h * 7L + w, 36 * count * c);
    float[] dx = runPositions(WinogradOps.TILES_GRAD, dv, count, n, h, w, c, 36);
    double[] expected = new double[n * h * w * c];
    for (int t = 0; t < count; t++) {
      int image = t / (rows * columns);
      int top = t % (rows * columns) / columns * 4;
      int left = t % columns * 4;
      for (int ch = 0; ch < c; ch++) {
        double[][] v = new double[6][6];
        for (int p = 0; p < 36; p++) {
          v[p / 6][p % 6] = dv[(p * count + t) * c + ch];
        }
        double[][] d = multiply(multiply(transpose(BT), v), BT);
        for (int a = 0; a < 6; a++) {
          for (int b = 0; b < 6; b++) {
            int y = Math.min(top + a, h - 1);
            int x = Math.min(left + b, w - 1);
            expected[((image * h + y) * w + x) * c + ch] += d[a][b];
          }
        }
      }
    }
    assertEquals(expected.length, dx.length);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], dx[i], 1e-4 * (1 + Math.abs(expected[i])), "value " + i);
    }
    assertArrayEquals(dx, runPositions(WinogradOps.TILES_GRAD, dv, count, n, h, w, c, 36), "the same bits again");
  }

  /**
   * The registered gradients are the transposes of the ops: {@code <tiles(x), r> = <x, d/dx <tiles(x), r>>}
   * and the same for the blocks, each gradient taken by TensorFlow through the op's registered gradient.
   */
  @ParameterizedTest(name = "n {0}, {1}x{2}, {3} channels")
  @CsvSource({"1, 3, 3, 1", "2, 7, 10, 5", "1, 11, 9, 16", "2, 9, 13, 20", "1, 14, 6, 32"})
  void theGradientsAreTheTransposesOfTheOps(int n, int h, int w, int c) {
    assumeTrue(WinogradOps.available(), WinogradOps.describe());
    int count = n * ((h - 2 + 3) / 4) * ((w - 2 + 3) / 4);
    float[] x = Tensors.gaussian(1, n * h * w * c);
    float[] m = Tensors.gaussian(2, 36 * count * c);
    float[] r = Tensors.gaussian(3, 36 * count * c);
    float[] s = Tensors.gaussian(4, n * (h - 2) * (w - 2) * c);
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> image = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(n, h, w, c)));
      Placeholder<TFloat32> products = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(36, count, c)));
      Operand<TFloat32> tiles = WinogradOps.tiles(tf, image);
      Operand<TFloat32> blocks = WinogradOps.blocks(tf, positions(tf, products), tf.constant(new int[] {n, h, w, c}),
          Shape.of(n, h, w, c));
      assertEquals(Shape.of(36, count, c), tiles.shape());
      assertEquals(Shape.of(n, h - 2, w - 2, c), blocks.shape());
      Operand<TFloat32> tilesDot = dot(tf, tiles, Tensors.of(r, 36, count, c));
      Operand<TFloat32> blocksDot = dot(tf, blocks, Tensors.of(s, n, h - 2, w - 2, c));
      Output<?>[] gradients = graph.addGradients(tf.math.add(tilesDot, blocksDot).asOutput(),
          new Output<?>[] {image.asOutput(), products.asOutput()});
      try (Session session = Tensors.quickSession(graph);
          TFloat32 xValue = Tensors.of(x, n, h, w, c);
          TFloat32 mValue = Tensors.of(m, 36, count, c);
          Result result = session.runner().feed(image, xValue).feed(products, mValue).fetch(tilesDot)
              .fetch(blocksDot).fetch(gradients[0]).fetch(gradients[1]).run()) {
        double tilesValue = ((TFloat32) result.get(0)).getFloat();
        double blocksValue = ((TFloat32) result.get(1)).getFloat();
        float[] dx = Tensors.values((TFloat32) result.get(2));
        float[] dm = Tensors.values((TFloat32) result.get(3));
        assertEquals(tilesValue, dot(x, dx), 1e-4 * (1 + Math.abs(tilesValue)), "<tiles(x), r> = <x, tiles'(r)>");
        assertEquals(blocksValue, dot(m, dm), 1e-4 * (1 + Math.abs(blocksValue)), "<blocks(m), s> = <m, blocks'(s)>");
        assertTrue(Math.abs(tilesValue) > 1e-3 && Math.abs(blocksValue) > 1e-3, "the sums are not trivially 0");
      }
    }
  }

  /**
   * The activated blocks are TensorFlow's {@code BiasAdd} and {@code Relu} / {@code LeakyRelu} (or
   * nothing, slope 1) of the plain blocks, bit for bit, a NaN product included (ReLU keeps it NaN);
   * their registered gradient gives the products' gradient of TensorFlow's activation gradient and the
   * blocks' gradient bit for bit, and the bias's as {@code BiasAddGrad} does up to the order of the sums.
   */
  @ParameterizedTest(name = "n {0}, input {1}x{2}, {3} channels, slope {4}")
  @CsvSource({"1, 6, 6, 8, 0", "2, 7, 10, 5, 0", "1, 11, 9, 16, 0.2", "2, 9, 13, 20, 1", "1, 30, 7, 32, 0"})
  void activatedBlocksAreTheBlocksBiasedAndActivated(int n, int h, int w, int c, float slope) {
    assumeTrue(WinogradOps.available(), WinogradOps.describe());
    int count = n * ((h - 2 + 3) / 4) * ((w - 2 + 3) / 4);
    float[] m = Tensors.gaussian(5, 36 * count * c);
    m[7 % m.length] = Float.NaN;
    float[] bias = Tensors.gaussian(6, c);
    float[] r = Tensors.gaussian(7, n * (h - 2) * (w - 2) * c);
    float[][] fused = blocksAndGradients(m, bias, r, count, n, h, w, c, slope, true);
    float[][] separate = blocksAndGradients(m, bias, r, count, n, h, w, c, slope, false);
    assertArrayEquals(separate[0], fused[0], "output");
    assertArrayEquals(separate[1], fused[1], "the products' gradient");
    assertEquals(separate[2].length, fused[2].length);
    for (int k = 0; k < c; k++) {
      assertEquals(separate[2][k], fused[2][k], 1e-4 * (1 + Math.abs(separate[2][k])), "the bias's gradient " + k);
    }
    assertTrue(IntStream.range(0, fused[0].length).anyMatch(i -> Float.isNaN(fused[0][i])), "the NaN goes through");
    long positive = IntStream.range(0, fused[0].length).filter(i -> fused[0][i] > 0).count();
    assertTrue(positive > 0 && positive < fused[0].length, "the activation cuts some values and keeps others");
  }

  @Test
  void aBiasOfTheWrongSizeIsRefusedWithTheReason() {
    assumeTrue(WinogradOps.available(), WinogradOps.describe());
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Operand<TFloat32> products = tf.zeros(tf.constant(new int[] {36, 4, 3}), TFloat32.class);
      Operand<TFloat32> blocks = WinogradOps.activatedBlocks(tf, positions(tf, products),
          tf.constant(new int[] {1, 7, 7, 3}), Shape.of(1, 7, 7, 3), tf.constant(new float[] {1, 2}), 0);
      try (Session session = Tensors.quickSession(graph)) {
        RuntimeException e = assertThrows(RuntimeException.class, () -> session.runner().fetch(blocks).run().close());
        assertTrue(e.getMessage().contains("the bias must be a vector of the products' channels"), e.getMessage());
      }
    }
  }

  /**
   * The output of the blocks of {@code m} with {@code bias} and the activation of {@code slope}, fused in
   * one op or as TensorFlow's ops after the plain blocks, and the gradients of {@code sum(output * r)} with
   * respect to the products and the bias.
   */
  private static float[][] blocksAndGradients(float[] m, float[] bias, float[] r, int count, int n, int h, int w,
      int c, float slope, boolean fused) {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> products = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(36, count, c)));
      Placeholder<TFloat32> b = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(c)));
      Operand<TInt32> shape = tf.constant(new int[] {n, h, w, c});
      Operand<TFloat32> output;
      if (fused) {
        output = WinogradOps.activatedBlocks(tf, positions(tf, products), shape, Shape.of(n, h, w, c), b, slope);
      } else {
        Operand<TFloat32> biased = tf.nn.biasAdd(
            WinogradOps.blocks(tf, positions(tf, products), shape, Shape.of(n, h, w, c)), b);
        output = slope == 1 ? biased : slope == 0 ? tf.nn.relu(biased)
            : tf.nn.leakyRelu(biased, org.tensorflow.op.nn.LeakyRelu.alpha(slope));
      }
      Operand<TFloat32> dot = dot(tf, output, Tensors.of(r, n, h - 2, w - 2, c));
      Output<?>[] gradients = graph.addGradients(dot.asOutput(), new Output<?>[] {products.asOutput(), b.asOutput()});
      try (Session session = Tensors.quickSession(graph);
          TFloat32 mValue = Tensors.of(m, 36, count, c);
          TFloat32 bValue = Tensors.of(bias, c);
          Result result = session.runner().feed(products, mValue).feed(b, bValue).fetch(output).fetch(gradients[0])
              .fetch(gradients[1]).run()) {
        return new float[][] {Tensors.values((TFloat32) result.get(0)), Tensors.values((TFloat32) result.get(1)),
            Tensors.values((TFloat32) result.get(2))};
      }
    }
  }

  @Test
  void theOpsGiveTheSameBitsEveryRun() {
    assumeTrue(WinogradOps.available(), WinogradOps.describe());
    float[] x = Tensors.gaussian(9, 2 * 37 * 41 * 48);
    float[] first = runTiles(x, 2, 37, 41, 48);
    assertArrayEquals(first, runTiles(x, 2, 37, 41, 48));
  }

  @Test
  void tooSmallAnImageIsRefusedWithTheReason() {
    assumeTrue(WinogradOps.available(), WinogradOps.describe());
    RuntimeException e = assertThrows(RuntimeException.class, () -> runTiles(new float[8], 1, 2, 4, 1));
    assertTrue(e.getMessage().contains("the image must be at least 3x3"), e.getMessage());
  }

  @Test
  void blocksOfFewerThan36PositionsAreRefusedWithTheReason() {
    assumeTrue(WinogradOps.available(), WinogradOps.describe());
    RuntimeException e = assertThrows(RuntimeException.class, () -> runBlocks(new float[36 * 4], 4, 1, 7, 7, 1, 35));
    assertTrue(e.getMessage().contains("expected 36 tensors [tiles, channels] of one shape, one per position"),
        e.getMessage());
  }

  @Test
  void aTilesGradientOfTheWrongShapeIsRefusedWithTheReason() {
    assumeTrue(WinogradOps.available(), WinogradOps.describe());
    // A 7x7 input has 4 tiles; 3 given.
    RuntimeException e = assertThrows(RuntimeException.class,
        () -> runPositions(WinogradOps.TILES_GRAD, new float[36 * 3], 3, 1, 7, 7, 1, 36));
    assertTrue(e.getMessage().contains("the tiles' gradient does not match the input shape"), e.getMessage());
  }

  @Test
  void productsOfTheWrongShapeAreRefusedWithTheReason() {
    assumeTrue(WinogradOps.available(), WinogradOps.describe());
    // A 7x7 input has 4 tiles; 3 given.
    RuntimeException e = assertThrows(RuntimeException.class, () -> runBlocks(new float[36 * 3], 3, 1, 7, 7, 1));
    assertTrue(e.getMessage().contains("the products do not match the input shape"), e.getMessage());
  }

  private static float[] runTiles(float[] x, int n, int h, int w, int c) {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> image = tf.placeholder(TFloat32.class);
      Operand<TFloat32> tiles = PassThrough.cast(tf.scope().opBuilder(WinogradOps.TILES, "Tiles")
          .addInput(image.asOutput()).build().output(0));
      try (Session session = Tensors.quickSession(graph);
          TFloat32 value = Tensors.of(x, n, h, w, c);
          Result result = session.runner().feed(image, value).fetch(tiles).run()) {
        return Tensors.values((TFloat32) result.get(0));
      }
    }
  }

  private static float[] runBlocks(float[] m, int count, int n, int h, int w, int c) {
    return runBlocks(m, count, n, h, w, c, 36);
  }

  /** The blocks op given the first {@code positions} of the 36 positions of {@code m} ({@code [36, count, c]}). */
  private static float[] runBlocks(float[] m, int count, int n, int h, int w, int c, int positions) {
    return runPositions(WinogradOps.BLOCKS, m, count, n, h, w, c, positions);
  }

  /** {@code op} (the blocks or the tiles' gradient) given the first {@code positions} of {@code m}'s 36. */
  private static float[] runPositions(String op, float[] m, int count, int n, int h, int w, int c, int positions) {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> products = tf.placeholder(TFloat32.class);
      List<Operand<TFloat32>> given = positions(tf, products);
      Operand<TFloat32> blocks = PassThrough.cast(tf.scope().opBuilder(op, "Op")
          .addInputList(given.subList(0, positions).stream().map(Operand::asOutput).toArray(Output<?>[]::new))
          .addInput(tf.constant(new int[] {n, h, w, c}).asOutput()).setAttr("N", (long) positions).build().output(0));
      try (Session session = Tensors.quickSession(graph);
          TFloat32 value = Tensors.of(m, 36, count, c);
          Result result = session.runner().feed(products, value).fetch(blocks).run()) {
        return Tensors.values((TFloat32) result.get(0));
      }
    }
  }

  /** The 36 {@code [tiles, c]} matrices of a {@code [36, tiles, c]} tensor. */
  private static List<Operand<TFloat32>> positions(Ops tf, Operand<TFloat32> products) {
    List<Operand<TFloat32>> views = new ArrayList<>();
    for (Output<TFloat32> view : tf.split(tf.constant(0), products, 36L).output()) {
      views.add(tf.squeeze(view, Squeeze.axis(List.of(0L))));
    }
    return views;
  }

  /** {@code sum(a * constant)} over all axes; the graph copies the constant. */
  private static Operand<TFloat32> dot(Ops tf, Operand<TFloat32> a, TFloat32 constant) {
    try (constant) {
      int[] axes = IntStream.range(0, a.shape().numDimensions()).toArray();
      return tf.sum(tf.math.mul(a, tf.constantOf(constant)), tf.constant(axes));
    }
  }

  private static double dot(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += (double) a[i] * b[i];
    }
    return sum;
  }

  private static double[][] multiply(double[][] a, double[][] b) {
    double[][] p = new double[a.length][b[0].length];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < b[0].length; j++) {
        for (int k = 0; k < b.length; k++) {
          p[i][j] += a[i][k] * b[k][j];
        }
      }
    }
    return p;
  }

  private static double[][] transpose(double[][] a) {
    double[][] t = new double[a[0].length][a.length];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[0].length; j++) {
        t[j][i] = a[i][j];
      }
    }
    return t;
  }

  private static boolean gccRuns() {
    try {
      Process gcc = new ProcessBuilder("gcc", "--version").redirectErrorStream(true).start();
      gcc.getInputStream().readAllBytes();
      return gcc.waitFor(30, TimeUnit.SECONDS) && gcc.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
