package org.unet4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Session;
import org.unet4j.dsl.model.ModelSpec;
import org.unet4j.dsl.model.UNet;

/**
 * The paper's initialisation (Sec. 3): Gaussian weights with std sqrt(2/N), N the incoming nodes of
 * one neuron; zero biases; the same spec and seed give bit-identical weights.
 */
class HeInitTest {
  /** 64 filters make [3, 3, 64, 64] and larger kernels: tens of thousands of samples each. */
  private static final ModelSpec NET = UNet.builder().depth(1).baseFilters(64).batchNorm().build();

  @Test
  void kernelsHaveTheFanInStandardDeviationAndBiasesAreZero() {
    try (CompiledModel model = ModelCompiler.compile(NET, NET.geometry().smallestValidInput(), 42);
         Session session = new Session(model.graph())) {
      List<float[]> all = Tensors.variables(session, model.variables());
      Map<String, float[]> values = new HashMap<>();
      for (int i = 0; i < all.size(); i++) {
        values.put(model.variables().get(i).path(), all.get(i));
      }
      // N = 3 * 3 * 64 = 576, the paper's own example.
      checkGaussian(values.get("contracting/0/conv2/kernel"), Math.sqrt(2.0 / 576));
      checkGaussian(values.get("bottleneck/conv2/kernel"), Math.sqrt(2.0 / (9 * 128)));
      // The expanding stage sees the 64 cropped channels and the 64 up-convolved ones.
      checkGaussian(values.get("expanding/0/conv1/kernel"), Math.sqrt(2.0 / (9 * 128)));
      // Stride = kernel: one tap of the 2x2 up-convolution per input channel reaches an output pixel.
      checkGaussian(values.get("expanding/0/upconv/kernel"), Math.sqrt(2.0 / 128));
      for (ModelVariable v : model.variables()) {
        float[] value = values.get(v.path());
        String role = v.path().substring(v.path().lastIndexOf('/') + 1);
        switch (role) {
          case "bias", "beta", "moving_mean" -> assertAllEqual(0f, value, v.path());
          case "gamma", "moving_variance" -> assertAllEqual(1f, value, v.path());
          case "kernel" -> { }
          default -> throw new AssertionError("unexpected variable " + v.path());
        }
      }
    }
  }

  @Test
  void theSameSeedGivesBitIdenticalWeightsAndAnotherSeedOthers() {
    ModelSpec spec = UNet.builder().depth(2).baseFilters(4).build();
    int tile = spec.geometry().smallestValidInput();
    List<float[]> first = weights(spec, tile, 7);
    List<float[]> again = weights(spec, tile, 7);
    List<float[]> other = weights(spec, tile, 8);
    for (int i = 0; i < first.size(); i++) {
      assertArrayEquals(first.get(i), again.get(i), "variable " + i);
    }
    // Another tile size builds another graph but the same weights: seeds depend on seed and path only.
    List<float[]> otherTile = weights(spec, spec.geometry().validInputAbove(tile).getAsInt(), 7);
    for (int i = 0; i < first.size(); i++) {
      assertArrayEquals(first.get(i), otherTile.get(i), "variable " + i);
    }
    int kernels = 0;
    for (int i = 0; i < first.size(); i += 2) {
      assertFalse(Arrays.equals(first.get(i), other.get(i)), "kernel " + i + " ignores the seed");
      kernels++;
    }
    assertEquals(13, kernels);
  }

  @Test
  void seedsDependOnModelSeedAndPath() {
    assertArrayEquals(HeInit.seed(1, "head/kernel"), HeInit.seed(1, "head/kernel"));
    assertFalse(Arrays.equals(HeInit.seed(1, "head/kernel"), HeInit.seed(2, "head/kernel")));
    assertFalse(Arrays.equals(HeInit.seed(1, "contracting/0/conv1/kernel"),
        HeInit.seed(1, "contracting/0/conv2/kernel")));
    assertNotEquals(0L, HeInit.seed(0, "")[0] | HeInit.seed(0, "")[1]);
  }

  @Test
  void standardDeviationIsSqrtTwoOverFanIn() {
    assertEquals(Math.sqrt(2.0 / 576), HeInit.std(HeInit.convFanIn(3, 64)), 1e-7);
    assertEquals(Math.sqrt(2.0 / 64), HeInit.std(HeInit.upConvFanIn(64)), 1e-7);
  }

  private static List<float[]> weights(ModelSpec spec, int tile, long seed) {
    try (CompiledModel model = ModelCompiler.compile(spec, tile, seed);
         Session session = new Session(model.graph())) {
      return Tensors.variables(session, model.variables());
    }
  }

  /** Mean 0 and std within 2% (n >= 16k), and the Gaussian's 68% within one std. */
  private static void checkGaussian(float[] w, double std) {
    double sum = 0;
    double squares = 0;
    int inside = 0;
    for (float v : w) {
      sum += v;
      squares += (double) v * v;
      inside += Math.abs(v) <= std ? 1 : 0;
    }
    int n = w.length;
    double mean = sum / n;
    double measured = Math.sqrt(squares / n - mean * mean);
    assertEquals(0, mean, 4 * std / Math.sqrt(n), "mean");
    assertEquals(std, measured, 0.02 * std, "std");
    assertEquals(0.6827, (double) inside / n, 0.01, "fraction within one std");
  }

  private static void assertAllEqual(float expected, float[] values, String path) {
    for (float v : values) {
      assertEquals(expected, v, 0f, path);
    }
  }
}
