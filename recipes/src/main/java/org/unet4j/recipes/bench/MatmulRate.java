package org.unet4j.recipes.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntConsumer;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;
import org.unet4j.layers.Sessions;

/**
 * This machine's float32 matrix-multiply rate through TensorFlow, the yardstick of the bench's
 * ratios. TensorFlow's kernel is markedly slower at some sizes (such as exactly 4096 on some
 * CPUs), so the rate is the best over several large square sizes, each the best of several runs
 * after a warm-up. The operands are variables and the product is run as a target, not fetched, so
 * only the multiplication is timed.
 */
final class MatmulRate {
  private MatmulRate() {}

  /** The timings of each size {@code n} (2 n^3 floating-point operations each). */
  static Map<Integer, Timings> measure(int[] sizes, int warmups, int runs, int threads, IntConsumer started) {
    Map<Integer, Timings> rates = new LinkedHashMap<>();
    for (int n : sizes) {
      started.accept(n);
      try (Graph graph = new Graph()) {
        Ops tf = Ops.create(graph);
        Operand<TFloat32> a = tf.variable(random(tf, n, 1));
        Operand<TFloat32> b = tf.variable(random(tf, n, 2));
        MatMul<TFloat32> product = tf.linalg.matMul(a, b);
        try (Session session = Sessions.open(graph, threads)) {
          session.initialize();
          rates.put(n, Timings.of(warmups, runs, () -> session.runner().addTarget(product).run().close()));
        }
      }
    }
    return rates;
  }

  private static Operand<TFloat32> random(Ops tf, int n, long seed) {
    Ops init = tf.withInitScope();
    return init.random.statelessRandomNormal(init.constant(new long[] {n, n}), init.constant(new long[] {seed, 0}));
  }
}
