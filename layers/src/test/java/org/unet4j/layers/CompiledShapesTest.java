package org.unet4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;
import org.unet4j.dsl.model.Geometry;
import org.unet4j.dsl.model.Activation;
import org.unet4j.dsl.model.LayerShape;
import org.unet4j.dsl.model.ModelSpec;
import org.unet4j.dsl.model.OutputActivation;
import org.unet4j.dsl.model.Padding;
import org.unet4j.dsl.model.Pooling;
import org.unet4j.dsl.model.UNet;

/**
 * The compiled graph agrees with {@link Geometry}, which derives shapes and parameter counts without
 * TensorFlow: the graph's static shape of every layer, the shape of a real forward pass, and the
 * parameter count read from the graph's variables.
 */
class CompiledShapesTest {

  static List<Named<ModelSpec>> nets() {
    List<Named<ModelSpec>> nets = new ArrayList<>();
    for (int depth = 1; depth <= 4; depth++) {
      for (int convs = 1; convs <= 3; convs++) {
        nets.add(family("valid", depth, convs, 3, Padding.VALID, Pooling.max(2)));
      }
      nets.add(family("same", depth, 2, 3, Padding.SAME, Pooling.max(2)));
    }
    for (int kernel : new int[] {1, 5}) {
      for (int depth : new int[] {1, 3}) {
        for (int convs = 1; convs <= 2; convs++) {
          nets.add(family("valid", depth, convs, kernel, Padding.VALID, Pooling.max(2)));
        }
      }
    }
    nets.add(family("same", 2, 1, 5, Padding.SAME, Pooling.max(2)));
    nets.add(family("valid", 2, 2, 3, Padding.VALID, Pooling.max(3)));
    nets.add(family("same", 2, 2, 3, Padding.SAME, Pooling.max(3)));
    nets.add(family("valid", 2, 2, 3, Padding.VALID, Pooling.average(2)));
    for (int m = 0; m <= 2; m++) {
      int stages = m;
      nets.add(Named.of("depth 3, " + m + " expanding stages", UNet.builder().depth(3).baseFilters(2)
          .expanding(e -> {
            for (int i = 0; i < stages; i++) {
              e.stage(8 >> i);
            }
          })
          .build()));
    }
    nets.add(Named.of("depth 3, no skip at expanding[1]", UNet.builder().depth(3).baseFilters(2)
        .expanding(e -> e.stage(8).stage(4, s -> s.noSkip()).stage(2)).build()));
    nets.add(Named.of("depth 2, batch norm", UNet.builder().depth(2).baseFilters(2).batchNorm().build()));
    nets.add(Named.of("depth 2 same, batch norm in the bottleneck only, 3 channels, 3 classes", UNet.builder()
        .depth(2).baseFilters(2).padding(Padding.SAME).inputChannels(3).classes(3)
        .bottleneck(8, s -> s.batchNorm()).build()));
    nets.add(Named.of("depth 1, 1 class, sigmoid", UNet.builder().depth(1).baseFilters(2).classes(1)
        .head(1, OutputActivation.SIGMOID).build()));
    nets.add(Named.of("depth 2, 3 channels, 1 class softmax, leaky ReLU", UNet.builder().depth(2).baseFilters(2)
        .inputChannels(3).classes(1).activation(Activation.LEAKY_RELU).build()));
    nets.add(Named.of("depth 2, ELU, 3x3 head, 3 classes", UNet.builder().depth(2).baseFilters(2)
        .activation(Activation.ELU).classes(3).head(3, OutputActivation.SOFTMAX).build()));
    nets.add(Named.of("depth 2, dropout", UNet.builder().depth(2).baseFilters(2).dropout(0.5).build()));
    nets.add(Named.of("asymmetric depth 3, average pooling, mixed padding, dropout in expanding", UNet.builder()
        .pooling(Pooling.average(2))
        .contracting(c -> c
            .stage(3, s -> s.conv(5))
            .stage(4, s -> s.conv(3).conv(3).conv(3).padding(Padding.SAME))
            .stage(5, s -> s.conv(1).conv(1).batchNorm()))
        .bottleneck(6, s -> s.conv(3).dropout(0.3))
        .expanding(e -> e
            .stage(5, s -> s.conv(1))
            .stage(4, s -> s.conv(5).conv(5).dropout(0.2))
            .stage(3, s -> s.conv(3).noSkip().activation(Activation.ELU)))
        .build()));
    return nets;
  }

  private static Named<ModelSpec> family(String label, int depth, int convs, int kernel, Padding padding,
      Pooling pooling) {
    ModelSpec net = UNet.builder().depth(depth).baseFilters(2).convsPerStage(convs).kernel(kernel)
        .padding(padding).pooling(pooling).build();
    return Named.of(label + " depth " + depth + ", " + convs + "x conv" + kernel + ", "
        + pooling.kind().name().toLowerCase() + " pool " + pooling.size(), net);
  }

  @ParameterizedTest
  @MethodSource("nets")
  void graphShapesAndParametersMatchGeometry(ModelSpec spec) {
    Geometry geometry = spec.geometry();
    int tile = geometry.smallestValidInput();
    int out = geometry.outputSize(tile);
    try (CompiledModel model = ModelCompiler.compile(spec, tile, 7)) {
      assertEquals(geometry.parameterCount(), model.parameterCount(), "parameters");
      assertArrayEquals(new long[] {-1, tile, tile, spec.inputChannels()}, model.input().shape().asArray());
      assertArrayEquals(new long[] {-1, out, out, spec.classes()}, model.logits().shape().asArray(), "logits");
      assertArrayEquals(new long[] {-1, out, out, spec.classes()}, model.probabilities().shape().asArray(),
          "probabilities");
      assertEquals(out, model.outputSize());
      assertEquals(spec.classes(), model.outputChannels());

      List<LayerShape> expected = geometry.layers(tile);
      Map<String, Operand<TFloat32>> layers = model.layers();
      assertEquals(expected.stream().map(LayerShape::path).toList(), List.copyOf(layers.keySet()), "layer paths");
      for (LayerShape layer : expected) {
        assertArrayEquals(new long[] {-1, layer.height(), layer.width(), layer.channels()},
            layers.get(layer.path()).shape().asArray(), layer.path());
      }

      try (Session session = Tensors.quickSession(model.graph());
           TFloat32 image = Tensors.image(model, 1, 2, tile, tile);
           Result result = session.runner().feed(model.input(), image).fetch(model.probabilities()).run()) {
        TFloat32 probabilities = (TFloat32) result.get(0);
        assertArrayEquals(new long[] {2, out, out, spec.classes()}, probabilities.shape().asArray());
        checkProbabilities(spec, Tensors.values(probabilities));
      }
    }
  }

  /** Soft-max rows sum to 1; every sigmoid lies in [0, 1]. */
  private static void checkProbabilities(ModelSpec spec, float[] p) {
    int k = spec.classes();
    for (int pixel = 0; pixel < p.length / k; pixel++) {
      double sum = 0;
      for (int c = 0; c < k; c++) {
        float v = p[pixel * k + c];
        assertTrue(v >= 0 && v <= 1, "probability " + v);
        sum += v;
      }
      if (spec.head().activation() == OutputActivation.SOFTMAX) {
        assertEquals(1.0, sum, 1e-5, "soft-max sum at pixel " + pixel);
      }
    }
  }
}
