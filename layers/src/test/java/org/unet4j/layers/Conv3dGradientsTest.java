package org.unet4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.jspecify.annotations.Nullable;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.unet4j.dsl.model.Activation;
import org.unet4j.dsl.model.ModelSpec;
import org.unet4j.dsl.model.Padding;
import org.unet4j.dsl.model.Pooling;
import org.unet4j.dsl.model.Size3;
import org.unet4j.dsl.model.UNet;

/**
 * The gradients {@link Conv3dGradients} registers agree with central finite differences of
 * TensorFlow's own {@code Conv3D} and {@code Conv3DBackpropInputV2} (odd sizes, anisotropic kernels
 * and strides, valid and same padding), and a 3D net lowered natively computes the same logits and
 * the same gradients as its matrix form.
 */
class Conv3dGradientsTest {
  private static final int SAMPLES = 16;

  /**
   * One op: its input {@code [batch, z, y, x, c]}, its kernel, and for an up-convolution its strides
   * (null for a convolution with stride 1).
   */
  record Op(long[] input, long[] kernel, String padding, long @Nullable [] upStrides) {}

  static List<Named<Op>> ops() {
    return List.of(
        Named.of("conv 3x3x3 valid, 2 volumes 5x7x6, 2 -> 3 channels",
            new Op(new long[] {2, 5, 7, 6, 2}, new long[] {3, 3, 3, 2, 3}, "VALID", null)),
        Named.of("conv 1x3x3 same, 3x6x5, 2 -> 2 channels",
            new Op(new long[] {1, 3, 6, 5, 2}, new long[] {1, 3, 3, 2, 2}, "SAME", null)),
        Named.of("conv 3x3x3 same, 4x5x7, 3 -> 2 channels",
            new Op(new long[] {1, 4, 5, 7, 3}, new long[] {3, 3, 3, 3, 2}, "SAME", null)),
        Named.of("conv 1x3x3 valid, 3x5x4, 1 -> 2 channels",
            new Op(new long[] {1, 3, 5, 4, 1}, new long[] {1, 3, 3, 1, 2}, "VALID", null)),
        // up-convolution kernels are [pz, p, p, cout, cin]
        Named.of("up-conv 2x2x2, 3x2x5 to 6x4x10, 3 -> 2 channels",
            new Op(new long[] {1, 3, 2, 5, 3}, new long[] {2, 2, 2, 2, 3}, "VALID", new long[] {2, 2, 2})),
        Named.of("up-conv 1x2x2, 2 volumes 3x3x1 to 3x6x2, 2 -> 3 channels",
            new Op(new long[] {2, 3, 3, 1, 2}, new long[] {1, 2, 2, 3, 2}, "VALID", new long[] {1, 2, 2})));
  }

  @Test
  void theGradientsAreRegisteredOnThisPlatform() {
    assertTrue(Conv3dGradients.register());
    assertTrue(Conv3dGradients.register(), "a second call answers the same");
  }

  /**
   * The op is linear in its input and in its kernel, so the loss {@code sum(y * R)} is too and a
   * central difference is exact but for float rounding, with any step; the loss is summed in double
   * from the fetched output.
   */
  @ParameterizedTest
  @MethodSource("ops")
  void gradientsMatchFiniteDifferences(Op op) {
    assertTrue(Conv3dGradients.register());
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(op.input())));
      Placeholder<TFloat32> w = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(op.kernel())));
      Operand<TFloat32> y;
      if (op.upStrides() == null) {
        y = tf.nn.conv3d(x, w, List.of(1L, 1L, 1L, 1L, 1L), op.padding());
      } else {
        long[] s = op.upStrides();
        long[] in = op.input();
        y = tf.nn.conv3dBackpropInput(tf.constant(new long[] {in[0], in[1] * s[0], in[2] * s[1], in[3] * s[2],
            op.kernel()[3]}), w, x, List.of(1L, s[0], s[1], s[2], 1L), op.padding());
      }
      Placeholder<TFloat32> r = tf.placeholder(TFloat32.class);
      Operand<TFloat32> loss = tf.sum(tf.math.mul(y, r), tf.constant(new int[] {0, 1, 2, 3, 4}));
      Output<?>[] grads = graph.addGradients(loss.asOutput(), new Output<?>[] {x.asOutput(), w.asOutput()});

      float[] input = Tensors.gaussian(1, (int) Shape.of(op.input()).size());
      float[] kernel = Tensors.gaussian(2, (int) Shape.of(op.kernel()).size());
      try (Session session = Tensors.quickSession(graph)) {
        float[] weights;
        try (TFloat32 xt = Tensors.of(input, op.input()); TFloat32 wt = Tensors.of(kernel, op.kernel());
             Result out = session.runner().feed(x, xt).feed(w, wt).fetch(y).run()) {
          weights = Tensors.gaussian(3, (int) out.get(0).shape().size());
        }
        long[] outShape = outputShape(op);
        float[][] symbolic = new float[2][];
        try (TFloat32 xt = Tensors.of(input, op.input()); TFloat32 wt = Tensors.of(kernel, op.kernel());
             TFloat32 rt = Tensors.of(weights, outShape);
             Result g = session.runner().feed(x, xt).feed(w, wt).feed(r, rt).fetch(grads[0]).fetch(grads[1]).run()) {
          symbolic[0] = Tensors.values((TFloat32) g.get(0));
          symbolic[1] = Tensors.values((TFloat32) g.get(1));
        }
        Random random = new Random(5);
        float[][] values = {input, kernel};
        for (int which = 0; which < 2; which++) {
          for (int s = 0; s < SAMPLES; s++) {
            float[] v = values[which];
            int i = random.nextInt(v.length);
            float original = v[i];
            float step = 0.5f;
            v[i] = original + step;
            double plus = loss(session, x, w, y, input, kernel, op, weights);
            v[i] = original - step;
            double minus = loss(session, x, w, y, input, kernel, op, weights);
            v[i] = original;
            double central = (plus - minus) / (2 * step);
            assertEquals(central, symbolic[which][i], 1e-4 * Math.max(1, Math.abs(central)),
                (which == 0 ? "d input[" : "d kernel[") + i + "]");
          }
        }
      }
    }
  }

  private static long[] outputShape(Op op) {
    long[] in = op.input();
    long[] k = op.kernel();
    if (op.upStrides() != null) {
      long[] s = op.upStrides();
      return new long[] {in[0], in[1] * s[0], in[2] * s[1], in[3] * s[2], k[3]};
    }
    boolean valid = op.padding().equals("VALID");
    return new long[] {in[0], valid ? in[1] - k[0] + 1 : in[1], valid ? in[2] - k[1] + 1 : in[2],
        valid ? in[3] - k[2] + 1 : in[3], k[4]};
  }

  private static double loss(Session session, Placeholder<TFloat32> x, Placeholder<TFloat32> w, Operand<TFloat32> y,
      float[] input, float[] kernel, Op op, float[] weights) {
    try (TFloat32 xt = Tensors.of(input, op.input()); TFloat32 wt = Tensors.of(kernel, op.kernel());
         Result out = session.runner().feed(x, xt).feed(w, wt).fetch(y).run()) {
      float[] values = Tensors.values((TFloat32) out.get(0));
      double sum = 0;
      for (int j = 0; j < values.length; j++) {
        sum += (double) values[j] * weights[j];
      }
      return sum;
    }
  }

  static List<Named<ModelSpec>> nets() {
    return List.of(
        Named.of("anisotropic: planar first stage, 1x2x2 pool and up-conv, same padding, ELU", UNet.builder()
            .dimensions(3).activation(Activation.ELU).pooling(Pooling.average(2))
            .contracting(c -> c.stage(2, s -> s.planar().padding(Padding.SAME)).stage(3))
            .bottleneck(4, s -> s.kernelZ(1).firstConvFilters(3))
            .expanding(e -> e.stage(3, s -> s.upConvFilters(2)).stage(2, s -> s.planar()))
            .build()),
        Named.of("depth 1, 2 input channels, max pool, residual with a projection, 3 classes", UNet.builder()
            .dimensions(3).depth(1).inputChannels(2).baseFilters(3).residual().classes(3).build()));
  }

  /**
   * The same spec and seed compiled both ways: equal logits, and equal gradients of
   * {@code sum(logits * R)} for every trainable variable, on two random volumes.
   */
  @ParameterizedTest
  @MethodSource("nets")
  void nativeAndMatrixFormsAgree(ModelSpec spec) {
    Size3 tile = spec.volumeGeometry().smallestValidInput();
    List<List<float[]>> results = new ArrayList<>();
    for (ConvolutionLowering lowering : List.of(ConvolutionLowering.NATIVE, ConvolutionLowering.MATMUL)) {
      try (CompiledModel model = ModelCompiler.compile(spec, tile, 9, lowering)) {
        ConvolutionForm expected = lowering == ConvolutionLowering.NATIVE ? ConvolutionForm.CONV3D
            : ConvolutionForm.MATMUL;
        assertTrue(model.convolutionForms().values().stream().allMatch(f -> f == expected),
            model.convolutionForms().toString());
        Graph graph = model.graph();
        Ops tf = Ops.create(graph);
        Size3 out = spec.volumeGeometry().outputSize(tile);
        float[] weights = Tensors.gaussian(4, (int) (2 * out.voxels() * spec.classes()));
        Operand<TFloat32> loss = tf.sum(tf.math.mul(tf.reshape(model.logits(), tf.constant(new int[] {-1})),
            tf.constant(weights)), tf.constant(0));
        List<ModelVariable> vars = model.trainableVariables();
        Output<?>[] grads = graph.addGradients(loss.asOutput(),
            vars.stream().map(v -> v.variable().asOutput()).toArray(Output<?>[]::new));
        try (Session session = Tensors.quickSession(graph);
             TFloat32 image = Tensors.volume(model, 6, 2, tile);
             TBool training = TBool.scalarOf(true)) {
          Session.Runner runner = session.runner().feed(model.input(), image).feed(model.training(), training)
              .fetch(model.logits());
          for (Output<?> g : grads) {
            runner.fetch(g);
          }
          List<float[]> values = new ArrayList<>();
          try (Result result = runner.run()) {
            for (int i = 0; i <= grads.length; i++) {
              values.add(Tensors.values((TFloat32) result.get(i)));
            }
          }
          results.add(values);
        }
      }
    }
    List<float[]> native3d = results.get(0);
    List<float[]> matrix = results.get(1);
    assertEquals(native3d.size(), matrix.size());
    for (int i = 0; i < native3d.size(); i++) {
      float largest = 0;
      for (float v : matrix.get(i)) {
        largest = Math.max(largest, Math.abs(v));
      }
      assertTrue(largest > 0, "output " + i + " is all zeros");
      assertArrayEquals(matrix.get(i), native3d.get(i), 1e-4f * Math.max(1, largest),
          i == 0 ? "logits" : "gradient " + (i - 1));
    }
  }
}
