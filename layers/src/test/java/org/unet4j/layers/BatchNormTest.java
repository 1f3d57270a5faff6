package org.unet4j.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.unet4j.dsl.model.ModelSpec;
import org.unet4j.dsl.model.UNet;

/**
 * Batch normalization against a hand computation. The first layer is a 1x1 convolution of a
 * single-channel image to 3 channels without bias, so channel c of its output is {@code w_c * x}:
 * its batch mean is {@code w_c * mean(x)} and its variance {@code w_c^2 * var(x)}.
 */
class BatchNormTest {
  private static final float EPS = ModelCompiler.BATCH_NORM_EPSILON;
  private static final double MOMENTUM = ModelCompiler.BATCH_NORM_MOMENTUM;
  private static final ModelSpec NET = UNet.builder()
      .contracting(c -> c.stage(3, s -> s.conv(1).batchNorm()))
      .bottleneck(4, s -> s.conv(3))
      .build();

  @Test
  void trainingUsesBatchStatisticsInferenceTheMovingAveragesAndTheUpdateMovesThem() {
    int tile = NET.geometry().validInputAbove(NET.geometry().smallestValidInput() + 8).getAsInt();
    try (CompiledModel model = ModelCompiler.compile(NET, tile, 4);
         Session session = new Session(model.graph());
         TFloat32 image = Tensors.image(model, 3, 2, tile, tile);
         TBool on = TBool.scalarOf(true)) {
      float[] x = Tensors.values(image);
      float[] w = Tensors.variable(session, model.variable("contracting/0/conv1/kernel"));
      double mean = 0;
      for (float v : x) {
        mean += v;
      }
      mean /= x.length;
      double squares = 0;
      for (float v : x) {
        squares += (v - mean) * (v - mean);
      }
      double biased = squares / x.length;
      double unbiased = squares / (x.length - 1);
      Operand<TFloat32> layer = model.layers().get("contracting/0/conv1");

      // Fresh moving averages are mean 0, variance 1; gamma 1, beta 0.
      double[] freshMean = {0, 0, 0};
      double[] freshVariance = {1, 1, 1};
      check(run(session, model, image, null, List.of(layer), null).get(0), x, w, freshMean, freshVariance);

      double[] batchMean = new double[3];
      double[] batchVariance = new double[3];
      for (int c = 0; c < 3; c++) {
        batchMean[c] = w[c] * mean;
        batchVariance[c] = w[c] * w[c] * biased;
      }
      check(run(session, model, image, on, List.of(layer), null).get(0), x, w, batchMean, batchVariance);

      // One update: average <- 0.99 average + 0.01 batch statistic (the variance unbiased).
      run(session, model, image, on, List.of(), model.movingAverageUpdate());
      List<float[]> moving = run(session, model, image, null, List.of(
          model.variable("contracting/0/conv1/norm/moving_mean").variable(),
          model.variable("contracting/0/conv1/norm/moving_variance").variable(), layer), null);
      double[] movedMean = new double[3];
      double[] movedVariance = new double[3];
      for (int c = 0; c < 3; c++) {
        movedMean[c] = (1 - MOMENTUM) * w[c] * mean;
        movedVariance[c] = MOMENTUM + (1 - MOMENTUM) * w[c] * w[c] * unbiased;
        assertEquals(movedMean[c], moving.get(0)[c], 1e-6, "moving mean " + c);
        assertEquals(movedVariance[c], moving.get(1)[c], 1e-6, "moving variance " + c);
      }
      check(moving.get(2), x, w, movedMean, movedVariance);
    }
  }

  /** relu((w_c x - mean_c) / sqrt(variance_c + eps)) at every pixel and channel. */
  private static void check(float[] actual, float[] x, float[] w, double[] mean, double[] variance) {
    for (int p = 0; p < x.length; p++) {
      for (int c = 0; c < 3; c++) {
        double expected = Math.max(0, (w[c] * x[p] - mean[c]) / Math.sqrt(variance[c] + EPS));
        assertEquals(expected, actual[p * 3 + c], 1e-4 * (1 + Math.abs(expected)), "pixel " + p + " channel " + c);
      }
    }
  }

  private static List<float[]> run(Session session, CompiledModel model, TFloat32 image,
      @Nullable TBool training, List<Operand<TFloat32>> fetches, @Nullable Op target) {
    Session.Runner runner = session.runner().feed(model.input(), image);
    if (training != null) {
      runner.feed(model.training(), training);
    }
    if (target != null) {
      runner.addTarget(target);
    }
    fetches.forEach(runner::fetch);
    List<float[]> values = new ArrayList<>();
    try (Result result = runner.run()) {
      for (int i = 0; i < fetches.size(); i++) {
        values.add(Tensors.values((TFloat32) result.get(i)));
      }
    }
    return values;
  }
}
