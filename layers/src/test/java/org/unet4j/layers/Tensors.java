package org.unet4j.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.RewriterConfig;
import org.tensorflow.types.TFloat32;

/** Bulk copies between Java arrays and float tensors, and seeded random inputs, for the tests. */
final class Tensors {
  private Tensors() {}

  /**
   * A session without Grappler's rewrites. Each new combination of feeds and fetches otherwise costs
   * a graph optimisation of about 0.1 s, which dominates tests of tiny nets; the shapes and values
   * computed are the same.
   */
  static Session quickSession(Graph graph) {
    ConfigProto config = ConfigProto.newBuilder()
        .setGraphOptions(GraphOptions.newBuilder()
            .setRewriteOptions(RewriterConfig.newBuilder().setDisableMetaOptimizer(true)))
        .build();
    return new Session(graph, config);
  }

  /** A float tensor of {@code shape} holding {@code data} in row-major (NHWC) order. */
  static TFloat32 of(float[] data, long... shape) {
    return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(data, true, false));
  }

  /** Every value of {@code t}, row-major. */
  static float[] values(TFloat32 t) {
    float[] data = new float[(int) t.shape().size()];
    t.asRawTensor().data().asFloats().read(data);
    return data;
  }

  /** Standard normal values from a seeded generator. */
  static float[] gaussian(long seed, int n) {
    Random random = new Random(seed);
    float[] data = new float[n];
    for (int i = 0; i < n; i++) {
      data[i] = (float) random.nextGaussian();
    }
    return data;
  }

  /** A random NHWC image batch of the model's channels. */
  static TFloat32 image(CompiledModel model, long seed, int batch, int height, int width) {
    int c = model.spec().inputChannels();
    return of(gaussian(seed, batch * height * width * c), batch, height, width, c);
  }

  /** A batch of Gaussian volumes, NDHWC. */
  static TFloat32 volume(CompiledModel model, long seed, int batch, org.unet4j.dsl.model.Size3 size) {
    int c = model.spec().inputChannels();
    return of(gaussian(seed, (int) (batch * size.voxels() * c)), batch, size.z(), size.y(), size.x(), c);
  }

  /** The value of one variable (running the initialisers on first use). */
  static float[] variable(Session session, ModelVariable v) {
    return variables(session, List.of(v)).get(0);
  }

  /**
   * The values of several variables in one run: every new set of fetches costs the session a graph
   * optimisation, so tests fetch together what they can.
   */
  static List<float[]> variables(Session session, List<ModelVariable> variables) {
    Session.Runner runner = session.runner();
    variables.forEach(v -> runner.fetch(v.variable()));
    List<float[]> values = new ArrayList<>();
    try (Result result = runner.run()) {
      for (int i = 0; i < variables.size(); i++) {
        values.add(values((TFloat32) result.get(i)));
      }
    }
    return values;
  }

  /** Tensors closed together: the feeds a loop builds, in one try-with-resources. */
  static final class Owned implements AutoCloseable {
    private final List<Tensor> tensors = new ArrayList<>();

    <T extends Tensor> T add(T tensor) {
      tensors.add(tensor);
      return tensor;
    }

    @Override
    public void close() {
      tensors.forEach(Tensor::close);
    }
  }
}
