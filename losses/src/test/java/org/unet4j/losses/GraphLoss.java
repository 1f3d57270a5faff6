package org.unet4j.losses;

import java.util.function.BiFunction;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.RewriterConfig;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.unet4j.dsl.model.OutputActivation;

/**
 * A loss built into its own graph from placeholders (logits [?, ?, ?, C], labels and weights
 * [?, ?, ?]), with its gradient w.r.t. the logits added by {@link Graph#addGradients} (which fails
 * if any op on the path has no gradient), evaluated by feeding a {@link Batch}.
 */
final class GraphLoss implements AutoCloseable {
  /** Skips Grappler: on graphs this small, its rewrites at each new fetch cost far more than the run. */
  private static final ConfigProto FAST_START = ConfigProto.newBuilder()
      .setGraphOptions(GraphOptions.newBuilder()
          .setRewriteOptions(RewriterConfig.newBuilder().setDisableMetaOptimizer(true)))
      .build();

  private final Graph graph = new Graph();
  private final Placeholder<TFloat32> logits;
  private final Placeholder<TInt32> labels;
  private final Placeholder<TFloat32> weights;
  private final Operand<TFloat32> output;
  private final Output<?> gradient;
  private final Session session;

  GraphLoss(Loss loss, int classes, OutputActivation activation) {
    this((tf, inputs) -> loss.build(tf, inputs), classes, activation, true);
  }

  /** Any function of the inputs (e.g. a per-pixel map); no gradient unless it is a scalar. */
  GraphLoss(BiFunction<Ops, LossInputs, Operand<TFloat32>> f, int classes, OutputActivation activation,
      boolean withGradient) {
    try {
      Ops tf = Ops.create(graph);
      logits = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1, classes)));
      labels = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1, -1)));
      weights = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1)));
      LossInputs inputs = LossInputs.of(tf.withSubScope("inputs"), logits, labels, weights, classes, activation);
      output = f.apply(tf.withSubScope("loss"), inputs);
      gradient = withGradient
          ? graph.addGradients(output.asOutput(), new Output<?>[] {logits.asOutput()})[0]
          : output.asOutput();
      session = new Session(graph, FAST_START);
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  Graph graph() {
    return graph;
  }

  /** The loss of {@code b}. */
  float value(Batch b) {
    return values(b)[0];
  }

  /** Every value of the built output for {@code b}, row-major. */
  float[] values(Batch b) {
    return fetch(b, output.asOutput());
  }

  /** d loss / d logits for {@code b}, row-major like the logits. */
  float[] gradient(Batch b) {
    return fetch(b, gradient);
  }

  private float[] fetch(Batch b, Output<?> what) {
    long[] pixelShape = {b.batch(), b.height(), b.width()};
    try (TFloat32 x = TFloat32.tensorOf(Shape.of(b.batch(), b.height(), b.width(), b.classes()),
            DataBuffers.of(b.logits(), true, false));
        TInt32 y = TInt32.tensorOf(Shape.of(pixelShape), DataBuffers.of(b.labels(), true, false));
        TFloat32 w = TFloat32.tensorOf(Shape.of(pixelShape), DataBuffers.of(b.weights(), true, false));
        Result result = session.runner().feed(logits, x).feed(labels, y).feed(weights, w).fetch(what).run()) {
      TFloat32 t = (TFloat32) result.get(0);
      float[] data = new float[(int) t.shape().size()];
      t.asRawTensor().data().asFloats().read(data);
      return data;
    }
  }

  @Override
  public void close() {
    try (Graph g = graph) {
      session.close();
    }
  }
}
