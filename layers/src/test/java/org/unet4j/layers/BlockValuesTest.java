package org.unet4j.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;
import org.unet4j.dsl.model.Activation;
import org.unet4j.dsl.model.ModelSpec;
import org.unet4j.dsl.model.Padding;
import org.unet4j.dsl.model.Pooling;
import org.unet4j.dsl.model.StageBuilder;
import org.unet4j.dsl.model.UNet;

/**
 * The block kinds' values against plain-Java loops written from their definitions: a same-padded
 * 3x3 convolution, group normalization (Wu and He 2018, eq. 1-3), the activations, the residual
 * shortcut (identity or 1x1 projection) and the attention gate (Oktay et al. 2018, eq. 1-2). Every
 * trainable variable is fed random values, so that scales, offsets and biases all count.
 */
class BlockValuesTest {
  private static final double TOLERANCE = 2e-4;

  /** A net whose first stage is one same-padded 3x3 residual convolution to 4 channels, normalised by {@code norm}. */
  private static ModelSpec residualStage(int inputChannels, java.util.function.Consumer<StageBuilder> norm,
      Activation activation, double slope) {
    return UNet.builder().inputChannels(inputChannels)
        .contracting(c -> c.stage(4, s -> {
          s.conv(3).padding(Padding.SAME).residual();
          norm.accept(s);
          if (activation == Activation.LEAKY_RELU) {
            s.leakyRelu(slope);
          } else {
            s.activation(activation);
          }
        }))
        .bottleneck(4, s -> s.conv(1))
        .build();
  }

  static Stream<Arguments> stages() {
    return Stream.of(
        Arguments.of(Named.of("2 groups, GELU, identity shortcut", residualStage(4, s -> s.groupNorm(2),
            Activation.GELU, 0.2)), 2),
        Arguments.of(Named.of("instance norm, leaky ReLU 0.1, projected shortcut", residualStage(2,
            StageBuilder::instanceNorm, Activation.LEAKY_RELU, 0.1)), 4),
        Arguments.of(Named.of("1 group (layer norm), ELU, projected shortcut", residualStage(3, s -> s.groupNorm(1),
            Activation.ELU, 0.2)), 1));
  }

  @ParameterizedTest
  @MethodSource("stages")
  void residualStageWithGroupNormalizationMatchesLoops(ModelSpec spec, int groups) {
    int tile = 6;
    int batch = 2;
    int cin = spec.inputChannels();
    int cout = 4;
    try (CompiledModel model = ModelCompiler.compile(spec, tile, 5);
         Session session = Tensors.quickSession(model.graph());
         Tensors.Owned fed = new Tensors.Owned()) {
      float[] image = Tensors.gaussian(1, batch * tile * tile * cin);
      Map<String, float[]> vars = feedRandom(model);
      Session.Runner runner = session.runner().feed(model.input(), fed.add(Tensors.of(image, batch, tile, tile, cin)));
      vars.forEach((path, values) -> runner.feed(model.variable(path).variable(),
          fed.add(Tensors.of(values, model.variable(path).shape().asArray()))));
      try (Result result = runner.fetch(model.layers().get("contracting/0/conv1"))
          .fetch(model.layers().get("contracting/0/shortcut")).run()) {
        float[] normalised = Tensors.values((TFloat32) result.get(0));
        float[] out = Tensors.values((TFloat32) result.get(1));
        int pixels = tile * tile;
        float[] conv = sameConv3x3(image, vars.get("contracting/0/conv1/kernel"), batch, tile, cin, cout);
        double[] norm = groupNorm(conv, batch, pixels, cout, groups, vars.get("contracting/0/conv1/norm/gamma"),
            vars.get("contracting/0/conv1/norm/beta"));
        for (int i = 0; i < norm.length; i++) {
          assertEquals(norm[i], normalised[i], TOLERANCE, "normalised value " + i);
        }
        double slope = spec.contracting().get(0).leakySlope();
        for (int p = 0; p < batch * pixels; p++) {
          for (int c = 0; c < cout; c++) {
            double shortcut;
            if (cin == cout) {
              shortcut = image[p * cin + c];
            } else {
              shortcut = vars.get("contracting/0/shortcut/bias")[c];
              for (int k = 0; k < cin; k++) {
                shortcut += image[p * cin + k] * vars.get("contracting/0/shortcut/kernel")[k * cout + c];
              }
            }
            double want = activate(spec.contracting().get(0).activation(), slope, norm[p * cout + c] + shortcut);
            assertEquals(want, out[p * cout + c], TOLERANCE, "output at pixel " + p + ", channel " + c);
          }
        }
      }
    }
  }

  /*
   * Depth 1, 4 base filters, valid: input 18 gives the skip 14x14x4 and the gating signal (the
   * bottleneck's output) 3x3x8; the up-convolved map is 6x6, so the skip is cropped by 4 on each
   * side, and the gate has 4 / 2 = 2 channels.
   */
  @Test
  void attentionGateMatchesLoops() {
    ModelSpec spec = UNet.builder().depth(1).baseFilters(4).attentionSkips().build();
    int batch = 2;
    try (CompiledModel model = ModelCompiler.compile(spec, 18, 5);
         Session session = Tensors.quickSession(model.graph());
         Tensors.Owned fed = new Tensors.Owned()) {
      Map<String, float[]> vars = feedRandom(model);
      Session.Runner runner = session.runner().feed(model.input(), fed.add(Tensors.of(Tensors.gaussian(1,
          batch * 18 * 18), batch, 18, 18, 1)));
      vars.forEach((path, values) -> runner.feed(model.variable(path).variable(),
          fed.add(Tensors.of(values, model.variable(path).shape().asArray()))));
      for (String layer : List.of("contracting/0/conv2", "bottleneck/conv2", "expanding/0/gate",
          "expanding/0/attention")) {
        runner.fetch(model.layers().get(layer));
      }
      try (Result result = runner.run()) {
        float[] skip = Tensors.values((TFloat32) result.get(0));
        float[] g = Tensors.values((TFloat32) result.get(1));
        float[] phi = Tensors.values((TFloat32) result.get(2));
        float[] gated = Tensors.values((TFloat32) result.get(3));
        int cs = 4;
        int cg = 8;
        int inner = 2;
        float[] wg = vars.get("expanding/0/gate/kernel");
        float[] bg = vars.get("expanding/0/gate/bias");
        float[] wx = vars.get("expanding/0/attention/kernel");
        float[] psi = vars.get("expanding/0/attention/psi");
        float bpsi = vars.get("expanding/0/attention/bias")[0];
        for (int b = 0; b < batch; b++) {
          for (int y = 0; y < 6; y++) {
            for (int x = 0; x < 6; x++) {
              int coarse = (b * 3 + y / 2) * 3 + x / 2;
              int fine = (b * 14 + y + 4) * 14 + x + 4;
              double q = bpsi;
              for (int f = 0; f < inner; f++) {
                double gate = bg[f];
                for (int k = 0; k < cg; k++) {
                  gate += g[coarse * cg + k] * wg[k * inner + f];
                }
                assertEquals(gate, phi[coarse * inner + f], TOLERANCE, "gating signal");
                double theta = 0;
                for (int k = 0; k < cs; k++) {
                  theta += skip[fine * cs + k] * wx[k * inner + f];
                }
                q += Math.max(0, theta + gate) * psi[f];
              }
              double alpha = 1 / (1 + Math.exp(-q));
              for (int c = 0; c < cs; c++) {
                assertEquals(skip[fine * cs + c] * alpha, gated[((b * 6 + y) * 6 + x) * cs + c], TOLERANCE,
                    "gated skip at (" + b + ", " + y + ", " + x + ", " + c + ")");
              }
            }
          }
        }
      }
    }
  }

  static Stream<Arguments> bilinearNets() {
    return Stream.of(Arguments.of(2, Padding.VALID), Arguments.of(2, Padding.SAME), Arguments.of(3, Padding.VALID),
        Arguments.of(3, Padding.SAME));
  }

  /**
   * Bilinear upsampling of the bottleneck's map, against the definition of half-pixel centres: fine
   * pixel j samples the coarse map at x = (j + 1/2) / p - 1/2, clamped to [0, n - 1], and mixes
   * pixels floor(x) and floor(x) + 1 by frac(x); unpadded, p/2 pixels are dropped at each end.
   * The sizes come from the loops, not from the geometry: n from the fetched coarse map.
   */
  @ParameterizedTest(name = "pool {0}, {1}")
  @MethodSource("bilinearNets")
  void bilinearUpsamplingMatchesLoops(int pool, Padding padding) {
    ModelSpec spec = UNet.builder().depth(1).baseFilters(2).padding(padding).pooling(Pooling.max(pool))
        .bilinearUpsampling().build();
    int input = spec.geometry().validInputAbove(spec.geometry().smallestValidInput()).getAsInt();
    int batch = 2;
    try (CompiledModel model = ModelCompiler.compile(spec, input, 5);
         Session session = Tensors.quickSession(model.graph());
         Tensors.Owned fed = new Tensors.Owned()) {
      Session.Runner runner = session.runner().feed(model.input(), fed.add(Tensors.of(Tensors.gaussian(3,
          batch * input * input), batch, input, input, 1)));
      runner.fetch(model.layers().get("bottleneck/conv2")).fetch(model.layers().get("expanding/0/upsample"));
      try (Result result = runner.run()) {
        TFloat32 coarseTensor = (TFloat32) result.get(0);
        TFloat32 fineTensor = (TFloat32) result.get(1);
        int n = (int) coarseTensor.shape().get(1);
        int cut = padding == Padding.VALID ? pool / 2 : 0;
        int m = n * pool - 2 * cut;
        assertEquals(List.of((long) batch, (long) m, (long) m, 4L), List.of(fineTensor.shape().asArray()[0],
            fineTensor.shape().asArray()[1], fineTensor.shape().asArray()[2], fineTensor.shape().asArray()[3]));
        float[] coarse = Tensors.values(coarseTensor);
        float[] fine = Tensors.values(fineTensor);
        for (int b = 0; b < batch; b++) {
          for (int y = 0; y < m; y++) {
            for (int x = 0; x < m; x++) {
              for (int c = 0; c < 4; c++) {
                double expected = 0;
                for (double[] wy : taps(y + cut, pool, n)) {
                  for (double[] wx : taps(x + cut, pool, n)) {
                    expected += wy[1] * wx[1] * coarse[((b * n + (int) wy[0]) * n + (int) wx[0]) * 4 + c];
                  }
                }
                assertEquals(expected, fine[((b * m + y) * m + x) * 4 + c], TOLERANCE,
                    "upsampled (" + b + ", " + y + ", " + x + ", " + c + ")");
              }
            }
          }
        }
      }
    }
  }

  /** The two (coarse pixel, weight) taps of fine pixel j of a p-fold half-pixel bilinear upsampling of n pixels. */
  private static double[][] taps(int j, int pool, int n) {
    double at = Math.min(Math.max((j + 0.5) / pool - 0.5, 0), n - 1);
    int lo = (int) Math.floor(at);
    double frac = at - lo;
    return new double[][] {{lo, 1 - frac}, {Math.min(lo + 1, n - 1), frac}};
  }

  /** Random values for every trainable variable, by path. */
  private static Map<String, float[]> feedRandom(CompiledModel model) {
    Map<String, float[]> values = new HashMap<>();
    long seed = 100;
    for (ModelVariable v : model.trainableVariables()) {
      float[] data = Tensors.gaussian(seed++, (int) v.size());
      for (int i = 0; i < data.length; i++) {
        data[i] *= 0.5f;
      }
      values.put(v.path(), data);
    }
    return values;
  }

  /** The same-padded 3x3 convolution without bias, NHWC, kernel [3, 3, cin, cout]. */
  private static float[] sameConv3x3(float[] x, float[] w, int batch, int size, int cin, int cout) {
    float[] y = new float[batch * size * size * cout];
    for (int b = 0; b < batch; b++) {
      for (int i = 0; i < size; i++) {
        for (int j = 0; j < size; j++) {
          for (int o = 0; o < cout; o++) {
            double sum = 0;
            for (int di = 0; di < 3; di++) {
              for (int dj = 0; dj < 3; dj++) {
                int si = i + di - 1;
                int sj = j + dj - 1;
                if (si < 0 || sj < 0 || si >= size || sj >= size) {
                  continue;
                }
                for (int k = 0; k < cin; k++) {
                  sum += x[((b * size + si) * size + sj) * cin + k] * w[((di * 3 + dj) * cin + k) * cout + o];
                }
              }
            }
            y[((b * size + i) * size + j) * cout + o] = (float) sum;
          }
        }
      }
    }
    return y;
  }

  /** Per image and group of consecutive channels: (x - mean) / sqrt(var + eps), then gamma x + beta per channel. */
  private static double[] groupNorm(float[] x, int batch, int pixels, int channels, int groups, float[] gamma,
      float[] beta) {
    double[] y = new double[x.length];
    int per = channels / groups;
    for (int b = 0; b < batch; b++) {
      for (int g = 0; g < groups; g++) {
        double sum = 0;
        double squares = 0;
        for (int p = 0; p < pixels; p++) {
          for (int c = g * per; c < (g + 1) * per; c++) {
            double v = x[(b * pixels + p) * channels + c];
            sum += v;
            squares += v * v;
          }
        }
        int n = pixels * per;
        double mean = sum / n;
        double variance = squares / n - mean * mean;
        for (int p = 0; p < pixels; p++) {
          for (int c = g * per; c < (g + 1) * per; c++) {
            int i = (b * pixels + p) * channels + c;
            y[i] = (x[i] - mean) / Math.sqrt(variance + ModelCompiler.BATCH_NORM_EPSILON) * gamma[c] + beta[c];
          }
        }
      }
    }
    return y;
  }

  private static double activate(Activation activation, double slope, double x) {
    return switch (activation) {
      case RELU -> Math.max(0, x);
      case LEAKY_RELU -> x > 0 ? x : slope * x;
      case ELU -> x > 0 ? x : Math.exp(x) - 1;
      case GELU -> x * normalCdf(x);
    };
  }

  /** The standard normal CDF by Simpson's rule on its density from 0 (the density is smooth: 2000 panels are exact to 1e-12). */
  private static double normalCdf(double x) {
    int n = 2000;
    double h = x / n;
    double sum = 0;
    for (int i = 0; i <= n; i++) {
      double t = i * h;
      double f = Math.exp(-t * t / 2) / Math.sqrt(2 * Math.PI);
      sum += f * (i == 0 || i == n ? 1 : i % 2 == 1 ? 4 : 2);
    }
    return 0.5 + sum * h / 3;
  }
}
