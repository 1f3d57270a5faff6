package org.unet4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.unet4j.dsl.SpecException;
import org.unet4j.dsl.geometry.TestNets;
import org.unet4j.dsl.model.Activation;
import org.unet4j.dsl.model.Block;
import org.unet4j.dsl.model.LayerShape;
import org.unet4j.dsl.model.ModelSpec;
import org.unet4j.dsl.model.Pooling;
import org.unet4j.dsl.model.Size3;
import org.unet4j.dsl.model.UNet;

/**
 * 3D nets compiled: the graph's layers (one per block, in order), static shapes and parameters agree
 * with the volume geometry for every net of {@link TestNets#volumes()}, the lowered convolution and
 * up-convolution compute what a brute-force loop over voxels computes, a graph for any size takes
 * volumes of different sizes, and a tiny 3D net trains on a synthetic volume.
 */
class VolumeCompileTest {
  private static final float LEARNING_RATE = 0.03f;
  private static final int STEPS = 20;

  /** The catalogue less the nets whose kinds of layer others cover too, to keep the test short. */
  static List<Named<ModelSpec>> volumes() {
    List<Named<ModelSpec>> nets = TestNets.volumes();
    return List.of(nets.get(0), nets.get(3), nets.get(4), nets.get(6), nets.get(7), nets.get(8));
  }

  @ParameterizedTest
  @MethodSource("volumes")
  void staticShapesAndParametersMatchTheVolumeGeometry(ModelSpec spec) {
    Size3 tile = spec.volumeGeometry().smallestValidInput();
    try (CompiledModel model = ModelCompiler.compile(spec, tile, 1)) {
      Map<String, Operand<TFloat32>> layers = model.layers();
      assertEquals(spec.blocks().stream().map(Block::path).toList(), List.copyOf(layers.keySet()), "compiled layers");
      for (LayerShape layer : spec.volumeGeometry().layers(tile)) {
        Operand<TFloat32> op = layers.get(layer.path());
        assertArrayEquals(new long[] {-1, layer.depth(), layer.height(), layer.width(), layer.channels()},
            op.shape().asArray(), layer.path());
      }
      assertEquals(spec.parameterCount(), model.parameterCount());
      assertEquals(spec.volumeGeometry().outputSize(tile), model.volumeOutputSize());
      ConvolutionForm form = ModelCompiler.defaultVolumeLowering() == ConvolutionLowering.NATIVE
          ? ConvolutionForm.CONV3D : ConvolutionForm.MATMUL;
      assertTrue(model.convolutionForms().values().stream().allMatch(f -> f == form));
    }
  }

  /**
   * With the initial zero biases, conv1 is elu(sum of w x input) over its 1x3x3 window and each
   * output voxel of the 2x2x2 up-convolution is elu(kernel[its place in the block] x the input voxel
   * it comes from).
   */
  @ParameterizedTest
  @EnumSource(value = ConvolutionLowering.class, names = {"NATIVE", "MATMUL"})
  void convolutionAndUpConvolutionEqualBruteForceLoops(ConvolutionLowering lowering) {
    ModelSpec spec = UNet.builder().dimensions(3).inputChannels(2).activation(Activation.ELU)
        .contracting(c -> c.stage(3, s -> s.kernelZ(1).convs(1)).stage(2, s -> s.convs(1)))
        .bottleneck(3, s -> s.convs(1))
        .expanding(e -> e.stage(2, s -> s.convs(1).upConvFilters(4)).stage(2, s -> s.convs(1)))
        .build();
    Size3 tile = new Size3(20, 22, 26);
    spec.volumeGeometry().requireValid(tile);
    int depth = tile.z();
    int height = tile.y();
    int width = tile.x();
    try (CompiledModel model = ModelCompiler.compile(spec, tile, 7, lowering);
         Session session = Tensors.quickSession(model.graph());
         TFloat32 image = Tensors.volume(model, 3, 2, tile)) {
      float[] input = Tensors.values(image);
      List<float[]> w = Tensors.variables(session, List.of(model.variable("contracting/0/conv1/kernel"),
          model.variable("expanding/1/upconv/kernel")));
      try (Result r = session.runner().feed(model.input(), image).fetch(model.layers().get("contracting/0/conv1"))
          .fetch(model.layers().get("expanding/0/conv1")).fetch(model.layers().get("expanding/1/upconv")).run()) {
        float[] conv = Tensors.values((TFloat32) r.get(0));
        // conv1: 1x3x3 kernel [1, 3, 3, 2, 3], input [2, 20, 22, 26, 2], output [2, 20, 20, 24, 3]
        float[] expected = new float[conv.length];
        int i = 0;
        for (int b = 0; b < 2; b++) {
          for (int z = 0; z < depth; z++) {
            for (int y = 0; y < height - 2; y++) {
              for (int x = 0; x < width - 2; x++) {
                for (int o = 0; o < 3; o++) {
                  double sum = 0;
                  for (int dy = 0; dy < 3; dy++) {
                    for (int dx = 0; dx < 3; dx++) {
                      for (int c = 0; c < 2; c++) {
                        sum += input[(((b * depth + z) * height + y + dy) * width + x + dx) * 2 + c]
                            * w.get(0)[((dy * 3 + dx) * 2 + c) * 3 + o];
                      }
                    }
                  }
                  expected[i++] = (float) (sum > 0 ? sum : Math.expm1(sum));
                }
              }
            }
          }
        }
        assertArrayEquals(expected, conv, 1e-4f);

        // expanding/1/upconv: 2x2x2 from expanding/0's 2 channels to 2, kernel [2, 2, 2, cout 2, cin 2]
        float[] below = Tensors.values((TFloat32) r.get(1));
        float[] up = Tensors.values((TFloat32) r.get(2));
        long[] belowShape = r.get(1).shape().asArray();
        int d = (int) belowShape[1];
        int h = (int) belowShape[2];
        int wd = (int) belowShape[3];
        assertArrayEquals(new long[] {2, 2 * d, 2 * h, 2 * wd, 2}, r.get(2).shape().asArray());
        for (int b = 0; b < 2; b++) {
          for (int z = 0; z < 2 * d; z++) {
            for (int y = 0; y < 2 * h; y++) {
              for (int x = 0; x < 2 * wd; x++) {
                for (int o = 0; o < 2; o++) {
                  double sum = 0;
                  for (int c = 0; c < 2; c++) {
                    sum += below[(((b * d + z / 2) * h + y / 2) * wd + x / 2) * 2 + c]
                        * w.get(1)[((((z % 2) * 2 + y % 2) * 2 + x % 2) * 2 + o) * 2 + c];
                  }
                  float want = (float) (sum > 0 ? sum : Math.expm1(sum));
                  float got = up[(((b * 2 * d + z) * 2 * h + y) * 2 * wd + x) * 2 + o];
                  assertEquals(want, got, 1e-5f, "voxel " + z + "," + y + "," + x + " channel " + o);
                }
              }
            }
          }
        }
      }
    }
  }

  @Test
  void aGraphForAnySizeTakesVolumesOfDifferentSizes() {
    ModelSpec spec = UNet.builder().dimensions(3).pooling(Pooling.max(2))
        .contracting(c -> c.stage(2, s -> s.planar())).bottleneck(2).build();
    try (CompiledModel model = ModelCompiler.compileForAnySize(spec, 1);
         Session session = Tensors.quickSession(model.graph())) {
      assertArrayEquals(new long[] {-1, -1, -1, -1, 1}, model.input().shape().asArray());
      for (Size3 size : List.of(new Size3(5, 18, 22), new Size3(9, 22, 18))) {
        try (TFloat32 image = Tensors.volume(model, 1, 1, size);
             Result r = session.runner().feed(model.input(), image).fetch(model.probabilities()).run()) {
          Size3 out = spec.volumeGeometry().outputSize(size);
          assertArrayEquals(new long[] {1, out.z(), out.y(), out.x(), 2}, r.get(0).shape().asArray());
        }
      }
    }
  }

  @Test
  void volumesAndImagesAreNotMixedUp() {
    ModelSpec volume = UNet.builder().dimensions(3).depth(1).baseFilters(2).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelCompiler.compile(volume, 44, 1));
    assertTrue(e.getMessage().contains("a 3D net takes (z, y, x) tiles"), e.getMessage());
    SpecException tile = assertThrows(SpecException.class, () -> ModelCompiler.compile(volume, new Size3(18, 18, 17), 1));
    assertTrue(tile.getMessage().contains("along x"), tile.getMessage());
    assertThrows(IllegalStateException.class,
        () -> ModelCompiler.compile(UNet.builder().depth(1).baseFilters(2).build(), new Size3(16, 16, 16), 1));
  }

  /**
   * A depth-1 3D net of TensorFlow's 3D convolutions (trained through {@link Conv3dGradients})
   * learns on one synthetic Gaussian volume which voxels are positive:
   * 20 plain gradient-descent steps on the soft-max cross-entropy must cut
   * the loss to a quarter (it falls from 0.73 to 0.013 here).
   */
  @Test
  void aTiny3dNetTrainsOnASyntheticVolume() {
    ModelSpec spec = UNet.builder().dimensions(3).depth(1).baseFilters(4).build();
    Size3 tile = spec.volumeGeometry().smallestValidInput();
    Size3 out = spec.volumeGeometry().outputSize(tile);
    Size3 margin = spec.volumeGeometry().margin();
    try (CompiledModel model = ModelCompiler.compile(spec, tile, 5, ConvolutionLowering.NATIVE)) {
      assertTrue(model.convolutionForms().values().stream().allMatch(f -> f == ConvolutionForm.CONV3D));
      Graph graph = model.graph();
      Ops tf = Ops.create(graph);
      Placeholder<TInt32> labels = tf.placeholder(TInt32.class);
      Operand<TFloat32> loss = tf.math.mean(tf.nn.softmaxCrossEntropyWithLogits(
          tf.reshape(model.logits(), tf.constant(new int[] {-1, 2})),
          tf.oneHot(tf.reshape(labels, tf.constant(new int[] {-1})), tf.constant(2), tf.constant(1f), tf.constant(0f)))
          .loss(), tf.constant(0));
      List<ModelVariable> vars = model.trainableVariables();
      Output<?>[] grads = graph.addGradients(loss.asOutput(),
          vars.stream().map(v -> v.variable().asOutput()).toArray(Output<?>[]::new));
      List<org.tensorflow.op.Op> updates = new java.util.ArrayList<>();
      for (int v = 0; v < vars.size(); v++) {
        @SuppressWarnings("unchecked")
        Operand<TFloat32> g = (Operand<TFloat32>) grads[v];
        updates.add(tf.train.applyGradientDescent(vars.get(v).variable(), tf.constant(LEARNING_RATE), g));
      }
      var step = tf.withControlDependencies(updates).noOp();
      float[] input = Tensors.gaussian(17, (int) tile.voxels());
      int[] truth = new int[(int) out.voxels()];
      int i = 0;
      for (int z = 0; z < out.z(); z++) {
        for (int y = 0; y < out.y(); y++) {
          for (int x = 0; x < out.x(); x++) {
            int centre = ((z + margin.z()) * tile.y() + y + margin.y()) * tile.x() + x + margin.x();
            truth[i++] = input[centre] > 0 ? 1 : 0;
          }
        }
      }
      try (Session session = new Session(graph);
           TFloat32 image = Tensors.of(input, 1, tile.z(), tile.y(), tile.x(), 1);
           TInt32 target = TInt32.tensorOf(Shape.of(1, out.z(), out.y(), out.x()),
               org.tensorflow.ndarray.buffer.DataBuffers.of(truth, true, false))) {
        float first = Float.NaN;
        float last = Float.NaN;
        for (int s = 0; s <= STEPS; s++) {
          Session.Runner runner = session.runner().feed(model.input(), image).feed(labels, target).fetch(loss);
          if (s < STEPS) {
            runner.addTarget(step);
          }
          try (Result r = runner.run()) {
            last = ((TFloat32) r.get(0)).getFloat();
          }
          if (s == 0) {
            first = last;
          }
        }
        assertTrue(last < 0.25f * first, "loss " + first + " -> " + last);
      }
    }
  }
}
