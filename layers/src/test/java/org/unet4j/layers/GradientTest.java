package org.unet4j.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.unet4j.dsl.model.Activation;
import org.unet4j.dsl.model.ModelSpec;
import org.unet4j.dsl.model.OutputActivation;
import org.unet4j.dsl.model.Padding;
import org.unet4j.dsl.model.Pooling;
import org.unet4j.dsl.model.PoolingKind;
import org.unet4j.dsl.model.Size3;
import org.unet4j.dsl.model.UNet;

/**
 * The graph's symbolic gradients ({@code Graph.addGradients}) agree with central finite differences
 * of the forward pass, for every trainable variable: up-convolution kernels, the convolutions that
 * feed the crop-and-concat skips, batch-norm scale and offset, the head. The loss is
 * {@code sum(logits * R)} for a fixed random R, so every logit matters with a different weight. 3D nets
 * are here too, in their default lowering: TensorFlow's {@code Conv3D} and
 * {@code Conv3DBackpropInputV2}, differentiated through {@link Conv3dGradients} (which
 * {@link Conv3dGradientsTest} compares with the matrix forms).
 */
class GradientTest {
  private static final int SAMPLES_PER_VARIABLE = 3;

  static List<Named<Case>> nets() {
    return List.of(
        Named.of("depth 2 valid, ELU, average pool (smooth)", new Case(UNet.builder().depth(2).baseFilters(2)
            .activation(Activation.ELU).pooling(Pooling.average(2)).build(), false, true, 1e-3f)),
        Named.of("depth 1 valid, ELU, average pool 3, no skip, 3 classes (smooth)", new Case(UNet.builder()
            .depth(1).baseFilters(3).activation(Activation.ELU).pooling(Pooling.average(3)).classes(3)
            .expanding(e -> e.stage(3, s -> s.noSkip())).build(), false, true, 1e-3f)),
        Named.of("depth 2 valid, ReLU, max pool (the paper's blocks)", new Case(UNet.builder().depth(2)
            .baseFilters(2).build(), false, false, 1e-4f)),
        Named.of("depth 2 same, leaky ReLU, max pool, batch norm in training mode", new Case(UNet.builder()
            .depth(2).baseFilters(2).padding(Padding.SAME).activation(Activation.LEAKY_RELU).batchNorm()
            .build(), true, false, 1e-3f)),
        // block kinds: residual shortcuts (identity and 1x1 projection), group and instance norm, GELU,
        // strided-convolution down-sampling, attention-gated skips, leaky ReLU with its own slope
        Named.of("depth 2 valid, residual, group norm, GELU, strided-conv down-sampling (smooth)", new Case(
            UNet.builder().depth(2).baseFilters(2).residual().groupNorm(2).activation(Activation.GELU)
                .pooling(PoolingKind.STRIDED_CONV, 2).build(), false, true, 3e-3f)),
        Named.of("depth 2 valid, attention skips, residual, instance norm, leaky ReLU 0.1", new Case(UNet.builder()
            .depth(2).baseFilters(2).attentionSkips().residual().instanceNorm().leakyRelu(0.1)
            .build(), false, false, 1e-3f)),
        Named.of("depth 1 valid, attention skip, ELU, average pool 3 (smooth but for the gate's ReLU)", new Case(
            UNet.builder().depth(1).baseFilters(4).activation(Activation.ELU).pooling(Pooling.average(3))
                .attentionSkips().build(), false, false, 1e-3f)),
        Named.of("depth 2 valid, bilinear upsampling, ELU, average pool (smooth)", new Case(UNet.builder().depth(2)
            .baseFilters(2).activation(Activation.ELU).pooling(Pooling.average(2)).bilinearUpsampling().build(),
            false, true, 1e-3f)),
        Named.of("depth 1 same, bilinear upsampling by 3, attention skip, ELU, average pool 3", new Case(
            UNet.builder().depth(1).baseFilters(2).padding(Padding.SAME).activation(Activation.ELU)
                .pooling(Pooling.average(3)).bilinearUpsampling().attentionSkips().build(), false, false, 1e-3f)),
        Named.of("depth 2 valid, per-convolution kernels 3-5, 1-3, 5-1, ELU, average pool (smooth)", new Case(
            UNet.builder().baseFilters(2).activation(Activation.ELU).pooling(Pooling.average(2))
                .contracting(c -> c.stage(2, s -> s.conv(3).conv(5)).stage(3, s -> s.conv(1).conv(3)))
                .bottleneck(4, s -> s.conv(5).conv(1))
                .build(), false, true, 1e-3f)),
        Named.of("3D depth 1, per-convolution kernels 1x3x3 then 1x5x5, ELU, average pool (smooth)", new Case(
            UNet.builder().dimensions(3).activation(Activation.ELU).pooling(Pooling.average(2))
                .contracting(c -> c.stage(2, s -> s.conv(3).conv(5).kernelZ(1)))
                .bottleneck(3, s -> s.conv(1).conv(3))
                .build(), false, true, 1e-3f)),
        Named.of("3D depth 1, residual, group norm, GELU (smooth)", new Case(UNet.builder().dimensions(3).depth(1)
            .baseFilters(2).residual().groupNorm(2).activation(Activation.GELU).pooling(Pooling.average(2)).build(),
            false, true, 1e-3f)),
        // 3D: anisotropic kernels, strides and pooling
        Named.of("3D anisotropic: planar first stage, 1x2x2 pool and up-conv, same padding, ELU (smooth)",
            new Case(UNet.builder().dimensions(3).activation(Activation.ELU).pooling(Pooling.average(2))
                .contracting(c -> c.stage(2, s -> s.planar().padding(Padding.SAME)).stage(3))
                .bottleneck(4, s -> s.kernelZ(1).firstConvFilters(3))
                .expanding(e -> e.stage(3, s -> s.upConvFilters(2)).stage(2, s -> s.planar()))
                .build(), false, true, 1e-3f)),
        Named.of("3D depth 1, ReLU, max pool, batch norm in training mode, 3x3x3 head", new Case(UNet.builder()
            .dimensions(3).depth(1).baseFilters(2).batchNorm().head(3, OutputActivation.SOFTMAX).build(), true, false,
            1e-3f)));
  }

  /**
   * A net, whether to differentiate it in training mode (batch statistics for batch norm), whether
   * its loss is smooth, and the finite-difference step.
   *
   * <p>ReLU and max pooling have kinks, and with thousands of units several lie within a 1e-3 step
   * of a first-layer weight (checked: the differences converge to the symbolic gradient as the step
   * shrinks to 1e-4). Kinked nets therefore take a smaller step where float32 noise allows it, and
   * a sample also passes when a one-sided difference matches, with at most a tenth of the samples
   * failing both. Smooth nets (ELU, average pooling) must match every sample.
   */
  record Case(ModelSpec spec, boolean training, boolean smooth, float step) {}

  @ParameterizedTest
  @MethodSource("nets")
  void symbolicGradientsMatchFiniteDifferences(Case c) {
    ModelSpec spec = c.spec();
    boolean volume = spec.dimensions() == 3;
    Size3 cube = volume ? spec.volumeGeometry().smallestValidInput() : null;
    int tile = volume ? 0 : spec.geometry().smallestValidInput();
    long outputPoints = volume ? spec.volumeGeometry().outputSize(cube).voxels()
        : (long) spec.geometry().outputSize(tile) * spec.geometry().outputSize(tile);
    try (CompiledModel model = volume ? ModelCompiler.compile(spec, cube, 3) : ModelCompiler.compile(spec, tile, 3)) {
      Graph graph = model.graph();
      Ops tf = Ops.create(graph);
      int batch = volume ? 1 : 2;
      float[] weights = Tensors.gaussian(99, (int) (batch * outputPoints * spec.classes()));
      Operand<TFloat32> loss = tf.sum(tf.math.mul(tf.reshape(model.logits(), tf.constant(new int[] {-1})),
          tf.constant(weights)), tf.constant(0));
      List<ModelVariable> vars = model.trainableVariables();
      Output<?>[] grads = graph.addGradients(loss.asOutput(),
          vars.stream().map(v -> v.variable().asOutput()).toArray(Output<?>[]::new));

      try (Session session = new Session(graph);
           TFloat32 image = volume ? Tensors.volume(model, 5, batch, cube) : Tensors.image(model, 5, batch, tile, tile);
           TBool training = TBool.scalarOf(c.training())) {
        Session.Runner runner = session.runner().feed(model.input(), image).feed(model.training(), training);
        for (Output<?> g : grads) {
          runner.fetch(g);
        }
        List<float[]> symbolic = new ArrayList<>();
        try (Result result = runner.run()) {
          for (int i = 0; i < grads.length; i++) {
            symbolic.add(Tensors.values((TFloat32) result.get(i)));
          }
        }
        LossProbe probe = new LossProbe(session, model, image, training, weights, c.step());
        Random random = new Random(11);
        List<String> mismatches = new ArrayList<>();
        int samples = 0;
        for (int v = 0; v < vars.size(); v++) {
          String name = vars.get(v).path();
          float[] grad = symbolic.get(v);
          double largest = 0;
          for (float g : grad) {
            largest = Math.max(largest, Math.abs(g));
          }
          assertTrue(largest > 0, name + " gets no gradient at all");
          for (int s = 0; s < SAMPLES_PER_VARIABLE; s++, samples++) {
            int i = random.nextInt(grad.length);
            // float32 forward passes: relative 1e-2 of the gradient, or of the variable's largest one.
            double tolerance = 1e-2 * Math.max(Math.abs(grad[i]), 0.1 * largest) + 1e-3;
            Differences d = probe.differences(v, i);
            if (c.smooth()) {
              assertEquals(d.central(), grad[i], tolerance, name + "[" + i + "]: " + d);
            } else if (!d.matches(grad[i], tolerance)) {
              mismatches.add(name + "[" + i + "]: symbolic " + grad[i] + ", " + d);
            }
          }
        }

        assertTrue(mismatches.size() <= samples / 10, mismatches.size() + " of " + samples
            + " samples do not match even one-sided: " + mismatches);
      }
    }
  }

  /** Finite differences of the loss along one weight: backward, forward and central. */
  private record Differences(double left, double right, double central) {
    /** Whether {@code gradient} is the derivative, or the one-sided one where a kink lies within a step. */
    boolean matches(double gradient, double tolerance) {
      return Math.abs(central - gradient) <= tolerance || Math.abs(left - gradient) <= 2 * tolerance
          || Math.abs(right - gradient) <= 2 * tolerance;
    }
  }

  /**
   * Evaluates the loss with every trainable variable fed: the same feeds in every call keep one
   * compiled executor in the session (a new feed set costs a graph optimisation each time), and the
   * loss is summed in double from the fetched logits so that only the logits carry float32 error.
   */
  private static final class LossProbe {
    private final Session session;
    private final CompiledModel model;
    private final TFloat32 image;
    private final TBool training;
    private final float[] weights;
    private final List<ModelVariable> variables;
    private final List<float[]> values = new ArrayList<>();
    private final float step;
    private double base = Double.NaN;

    LossProbe(Session session, CompiledModel model, TFloat32 image, TBool training, float[] weights, float step) {
      this.step = step;
      this.session = session;
      this.model = model;
      this.image = image;
      this.training = training;
      this.weights = weights;
      this.variables = model.trainableVariables();
      this.values.addAll(Tensors.variables(session, variables));
    }

    Differences differences(int variable, int i) {
      float[] value = values.get(variable);
      float original = value[i];
      if (Double.isNaN(base)) {
        base = loss();
      }
      double at = base;
      value[i] = original + step;
      double up = (double) value[i] - original;
      double plus = loss();
      value[i] = original - step;
      double down = (double) original - value[i];
      double minus = loss();
      value[i] = original;
      // The steps actually taken, after rounding w +- h to float.
      return new Differences((at - minus) / down, (plus - at) / up, (plus - minus) / (up + down));
    }

    private double loss() {
      try (Tensors.Owned fed = new Tensors.Owned()) {
        Session.Runner runner = session.runner().feed(model.input(), image).feed(model.training(), training);
        for (int v = 0; v < variables.size(); v++) {
          ModelVariable variable = variables.get(v);
          runner.feed(variable.variable(), fed.add(Tensors.of(values.get(v), variable.shape().asArray())));
        }
        try (Result result = runner.fetch(model.logits()).run()) {
          float[] logits = Tensors.values((TFloat32) result.get(0));
          double loss = 0;
          for (int j = 0; j < logits.length; j++) {
            loss += (double) logits[j] * weights[j];
          }
          return loss;
        }
      }
    }
  }
}
