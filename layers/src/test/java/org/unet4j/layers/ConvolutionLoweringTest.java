package org.unet4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
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
import org.unet4j.dsl.model.UNet;

/**
 * {@link ConvolutionLowering#MATMUL} and {@link ConvolutionLowering#WINOGRAD} compute what
 * TensorFlow's own convolution kernels compute ({@link ConvolutionLowering#NATIVE}, an independent
 * implementation): the same logits and the same gradients of every variable, for valid and same
 * padding, odd kernels, odd map sizes, pooling by 3 (a 3x3 up-convolution), several input channels,
 * a 3x3 head, batch norm and a batch of 2.
 */
class ConvolutionLoweringTest {
  /** A lowering, and for Winograd's the form, applied to every 3x3 convolution however small. */
  record Lowering(ConvolutionLowering lowering, ModelCompiler.WinogradRule rule) {
    static Lowering of(ConvolutionLowering lowering, ModelCompiler.WinogradForm form) {
      return new Lowering(lowering, new ModelCompiler.WinogradRule(0, 0, 0, form, ConvolutionLowering.MATMUL));
    }

    @Override
    public String toString() {
      return lowering == ConvolutionLowering.WINOGRAD ? lowering + " " + rule.form() + ", else " + rule.rest()
          + (rule.gradientChunkBytes() == 1 ? ", gradients by channel" : "")
          + (rule.nativeOps() ? ", native transforms" : "") : lowering.toString();
    }
  }

  static List<Lowering> lowerings() {
    return List.of(Lowering.of(ConvolutionLowering.MATMUL, ModelCompiler.WinogradForm.F4),
        Lowering.of(ConvolutionLowering.WINOGRAD, ModelCompiler.WinogradForm.F2),
        Lowering.of(ConvolutionLowering.WINOGRAD, ModelCompiler.WinogradForm.F4),
        // Without oneDNN: Winograd's form beside TensorFlow's Conv2D and Conv2DBackpropInput.
        new Lowering(ConvolutionLowering.WINOGRAD, new ModelCompiler.WinogradRule(0, 0, 0, ModelCompiler.WinogradForm.F4,
            ConvolutionLowering.NATIVE)),
        // Training graphs whose Winograd layers compute their gradients one input channel at a time.
        new Lowering(ConvolutionLowering.WINOGRAD, new ModelCompiler.WinogradRule(0, 0, 0, ModelCompiler.WinogradForm.F4,
            ConvolutionLowering.MATMUL, 1)),
        // F(4x4) built from TensorFlow's ops where the native transforms are loaded (the form
        // everywhere else), in one chunk and by channel.
        new Lowering(ConvolutionLowering.WINOGRAD, new ModelCompiler.WinogradRule(0, 0, 0, ModelCompiler.WinogradForm.F4,
            ConvolutionLowering.MATMUL).withGraphTransforms()),
        new Lowering(ConvolutionLowering.WINOGRAD, new ModelCompiler.WinogradRule(0, 0, 0, ModelCompiler.WinogradForm.F4,
            ConvolutionLowering.MATMUL, 1).withGraphTransforms()));
  }

  static List<Named<ModelSpec>> nets() {
    return List.of(
        Named.of("depth 2 valid 3x3, the paper's blocks", UNet.builder().depth(2).baseFilters(3).build()),
        Named.of("depth 1 same 5x5, pool 3, 2 input channels, 3 classes, 3x3 sigmoid head", UNet.builder().depth(1)
            .baseFilters(4).kernel(5).padding(Padding.SAME).pooling(Pooling.max(3)).inputChannels(2).classes(3)
            .head(3, OutputActivation.SIGMOID).build()),
        Named.of("depth 2 valid, batch norm, leaky ReLU", UNet.builder().depth(2).baseFilters(2).batchNorm()
            .activation(Activation.LEAKY_RELU).build()),
        // At tile 25 (the test's) every map is odd-sized: 23, 21, pooled 7, 5, 3, up-convolved 9, 7, 5.
        Named.of("depth 1 valid 3x3, pool 3: odd map sizes", UNet.builder().depth(1).baseFilters(3)
            .pooling(Pooling.max(3)).inputChannels(2).build()),
        Named.of("depth 1 same 3x3, pool 3, 16 channels", UNet.builder().depth(1).baseFilters(16)
            .padding(Padding.SAME).pooling(Pooling.max(3)).build()));
  }

  static List<Arguments> netsAndLowerings() {
    List<Arguments> cases = new ArrayList<>();
    for (Lowering lowering : lowerings()) {
      for (Named<ModelSpec> net : nets()) {
        cases.add(Arguments.of(net, lowering));
      }
    }
    return cases;
  }

  @ParameterizedTest(name = "{0}, {1}")
  @MethodSource("netsAndLowerings")
  void logitsAndGradientsMatchTheNativeKernels(ModelSpec spec, Lowering lowering) {
    // The second smallest valid tile: its maps are larger, and not all even (F(2x2) and F(4x4) crop).
    int tile = spec.geometry().validInputAbove(spec.geometry().smallestValidInput()).getAsInt();
    Outputs natives = run(spec, tile, Lowering.of(ConvolutionLowering.NATIVE, ModelCompiler.WinogradForm.F4));
    Outputs other = run(spec, tile, lowering);
    assertClose(natives.values().get(0), other.values().get(0), "logits");
    for (int i = 1; i < natives.values().size(); i++) {
      assertClose(natives.values().get(i), other.values().get(i), "gradient of " + natives.names().get(i));
    }
  }

  /** Two builds of the same graph give the same gradients to the bit, so training stays reproducible. */
  @Test
  void winogradGradientsAreTheSameBitForBitFromTwoBuilds() {
    ModelSpec spec = UNet.builder().depth(2).baseFilters(8).build();
    int tile = spec.geometry().validInputAbove(spec.geometry().smallestValidInput()).getAsInt();
    for (Lowering winograd : List.of(Lowering.of(ConvolutionLowering.WINOGRAD, ModelCompiler.WinogradForm.F4),
        new Lowering(ConvolutionLowering.WINOGRAD, new ModelCompiler.WinogradRule(0, 0, 0, ModelCompiler.WinogradForm.F4,
            ConvolutionLowering.MATMUL, 1)),
        new Lowering(ConvolutionLowering.WINOGRAD, new ModelCompiler.WinogradRule(0, 0, 0, ModelCompiler.WinogradForm.F4,
            ConvolutionLowering.MATMUL).withGraphTransforms()))) {
      Outputs first = run(spec, tile, winograd);
      Outputs second = run(spec, tile, winograd);
      for (int i = 0; i < first.values().size(); i++) {
        assertArrayEquals(first.values().get(i), second.values().get(i), winograd + ": " + first.names().get(i));
      }
    }
  }

  @Test
  void theSystemPropertyChoosesTheDefaultLowering() {
    ModelSpec spec = UNet.builder().depth(1).baseFilters(2).build();
    int tile = spec.geometry().smallestValidInput();
    try {
      System.setProperty(ModelCompiler.LOWERING_PROPERTY, "Native");
      assertEquals(ConvolutionLowering.NATIVE, ModelCompiler.defaultLowering());
      try (CompiledModel model = ModelCompiler.compile(spec, tile, 1)) {
        assertEquals("Conv2D", model.graph().operation("head/Conv2d").type());
      }
      System.setProperty(ModelCompiler.LOWERING_PROPERTY, "matmul");
      assertEquals(ConvolutionLowering.MATMUL, ModelCompiler.defaultLowering());
      System.setProperty(ModelCompiler.LOWERING_PROPERTY, "im2col");
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, ModelCompiler::defaultLowering);
      assertEquals("-Dunet4j.convolution=im2col: expected auto, matmul, winograd or native", e.getMessage());
      System.setProperty(ModelCompiler.LOWERING_PROPERTY, "WINOGRAD");
      assertEquals(ConvolutionLowering.WINOGRAD, ModelCompiler.defaultLowering());
      System.setProperty(ModelCompiler.LOWERING_PROPERTY, "auto");
      assertEquals(Devices.gpu() ? ConvolutionLowering.NATIVE : ConvolutionLowering.WINOGRAD,
          ModelCompiler.defaultLowering());
    } finally {
      System.clearProperty(ModelCompiler.LOWERING_PROPERTY);
    }
  }

  @Test
  void theGraphHasTheOpsOfTheReportedForms() {
    ModelSpec spec = UNet.builder().depth(1).baseFilters(32).build();
    for (boolean oneDnn : new boolean[] {true, false}) {
      try (CompiledModel model = ModelCompiler.compile(spec, OptionalInt.of(188), 1, ConvolutionLowering.WINOGRAD,
          ModelCompiler.WinogradRule.forCpu(oneDnn, ModelCompiler.KernelTransform.EVERY_RUN))) {
        Graph graph = model.graph();
        assertEquals("Conv2D", graph.operation("contracting/0/conv1/Conv2d").type());
        // F(4x4)'s products: 36 matrix products with unet4j's native transforms, else one batched product.
        boolean nativeOps = WinogradOps.available();
        String product = nativeOps ? "MatMul" : "BatchMatMulV3";
        assertEquals(product, graph.operation("contracting/0/conv2/" + (nativeOps ? "MatMul_35" : "BatchMatMul")).type());
        assertEquals(product, graph.operation("expanding/0/conv1/" + (nativeOps ? "MatMul_35" : "BatchMatMul")).type());
        assertEquals(oneDnn ? "DepthToSpace" : "Conv2DBackpropInput",
            graph.operation(oneDnn ? "expanding/0/upconv/DepthToSpace" : "expanding/0/upconv/Conv2dBackpropInput").type());
        assertEquals(oneDnn ? "MatMul" : "Conv2D", graph.operation(oneDnn ? "head/MatMul" : "head/Conv2d").type());
        // F(4x4)'s transforms: unet4j's native ops where they are loaded, else a gather and products.
        assertEquals(nativeOps, graph.operation("contracting/0/conv2/WinogradTiles") != null);
        // The blocks op adds the bias and applies the ReLU as it places the blocks.
        assertEquals(nativeOps, graph.operation("contracting/0/conv2/WinogradActivatedBlocks") != null);
        assertEquals(!nativeOps, graph.operation("contracting/0/conv2/BiasAdd") != null);
        assertEquals(!nativeOps, graph.operation("contracting/0/conv2/Gather") != null);
      }
    }
    try (CompiledModel model = ModelCompiler.compile(spec, OptionalInt.of(188), 1, ConvolutionLowering.WINOGRAD,
        ModelCompiler.WinogradRule.forCpu(true, ModelCompiler.KernelTransform.EVERY_RUN).withGraphTransforms())) {
      assertEquals("GatherV2", model.graph().operation("contracting/0/conv2/Gather").type());
      assertEquals(null, model.graph().operation("contracting/0/conv2/WinogradTiles"));
    }
  }

  /**
   * What {@code auto} compiles on this machine computes what TensorFlow's kernels compute, in every
   * form it chose; on a CPU that is Winograd's form for the 3x3 layers, Conv2D for the first (one
   * input channel) and, with oneDNN, matrix products for the up-convolution and the head.
   */
  @Test
  void everyFormAutoChoosesHereMatchesTheNativeKernels() {
    String forced = System.getProperty(ModelCompiler.LOWERING_PROPERTY);
    // A run with -Dunet4j.convolution=native, matmul or winograd checks those forms, not auto's choice.
    Assumptions.assumeTrue(forced == null || forced.equals("auto"), "the lowering is forced to " + forced);
    // Tile 20, the second smallest (outputs of 18, 16, pooled 8, 6, 4, up-convolved 8, 6, 4: F(4x4)
    // crops the 18 and the 6s): the rule for training decides by channels, so a small tile has the
    // forms of a large one.
    ModelSpec spec = UNet.builder().depth(1).baseFilters(32).build();
    int tile = spec.geometry().validInputAbove(spec.geometry().smallestValidInput()).getAsInt();
    ConvolutionLowering auto = ModelCompiler.defaultLowering();
    Lowering machine = new Lowering(auto, ModelCompiler.WinogradRule.forThisMachine(ModelCompiler.KernelTransform.EVERY_RUN));
    Set<ConvolutionForm> expected = Devices.gpu() ? EnumSet.of(ConvolutionForm.CONV2D)
        : OneDnn.enabled() ? EnumSet.of(ConvolutionForm.CONV2D, ConvolutionForm.MATMUL, ConvolutionForm.WINOGRAD_4X4)
        : EnumSet.of(ConvolutionForm.CONV2D, ConvolutionForm.WINOGRAD_4X4);
    try (CompiledModel model = ModelCompiler.compile(spec, tile, 11)) {
      assertEquals(expected, EnumSet.copyOf(model.convolutionForms().values()));
    }
    Outputs natives = run(spec, tile, Lowering.of(ConvolutionLowering.NATIVE, ModelCompiler.WinogradForm.F4));
    Outputs chosen = run(spec, tile, machine);
    for (int i = 0; i < natives.values().size(); i++) {
      assertClose(natives.values().get(i), chosen.values().get(i), natives.names().get(i));
    }
  }

  /** The rule for a CPU with oneDNN on and off, layer by layer, from the sizes and FLOPs worked out by hand. */
  @Test
  void theCpuRuleWithAndWithoutOneDnn() {
    // Tile 188, depth 1, 32 filters (direct-form GFLOP per image: 2 * 9 * cin * cout * out²):
    // contracting/0/conv1 1 -> 32 channels at 186² (0.02), conv2 32 -> 32 at 184² (0.62), the bottleneck
    // 32 -> 64 at 90² (0.30) and 64 -> 64 at 88² (0.57), expanding/0/conv1 64 -> 32 at 174² (1.12), conv2
    // 32 -> 32 at 172² (0.55); the up-convolution 2x2 and the head 1x1.
    ModelSpec spec = UNet.builder().depth(1).baseFilters(32).build();
    ConvolutionForm conv2d = ConvolutionForm.CONV2D;
    ConvolutionForm matmul = ConvolutionForm.MATMUL;
    ConvolutionForm winograd = ConvolutionForm.WINOGRAD_4X4;
    ModelCompiler.KernelTransform training = ModelCompiler.KernelTransform.EVERY_RUN;
    ModelCompiler.KernelTransform inference = ModelCompiler.KernelTransform.ONCE_PER_SESSION;
    List<String> layers = List.of("contracting/0/conv1", "contracting/0/conv2", "bottleneck/conv1", "bottleneck/conv2",
        "expanding/0/upconv", "expanding/0/conv1", "expanding/0/conv2", "head");
    // The first layer (1 input channel) keeps Conv2D; every other 3x3 layer is Winograd's in training.
    assertEquals(List.of(conv2d, winograd, winograd, winograd, matmul, winograd, winograd, matmul),
        forms(spec, ConvolutionLowering.WINOGRAD, ModelCompiler.WinogradRule.forCpu(true, training), layers));
    assertEquals(List.of(conv2d, winograd, winograd, winograd, conv2d, winograd, winograd, conv2d),
        forms(spec, ConvolutionLowering.WINOGRAD, ModelCompiler.WinogradRule.forCpu(false, training), layers));
    // Inference: the same with oneDNN; without it only the layer of 1 GFLOP or more.
    assertEquals(List.of(conv2d, winograd, winograd, winograd, matmul, winograd, winograd, matmul),
        forms(spec, ConvolutionLowering.WINOGRAD, ModelCompiler.WinogradRule.forCpu(true, inference), layers));
    assertEquals(List.of(conv2d, conv2d, conv2d, conv2d, conv2d, winograd, conv2d, conv2d),
        forms(spec, ConvolutionLowering.WINOGRAD, ModelCompiler.WinogradRule.forCpu(false, inference), layers));
    // 16 channels: contracting/0/conv2 (16 -> 16), expanding/0/conv2 (16 -> 16) and the head (16 -> 2)
    // keep Conv2D; the bottleneck (16 -> 32, 32 -> 32) and expanding/0/conv1 (32 -> 16) do not.
    assertEquals(List.of(conv2d, conv2d, winograd, winograd, matmul, winograd, conv2d, conv2d),
        forms(UNet.builder().depth(1).baseFilters(16).build(), ConvolutionLowering.WINOGRAD,
            ModelCompiler.WinogradRule.forCpu(true, training), layers));
    // The lowerings that name one form keep to it (the first layer's 1 channel included).
    assertEquals(Collections.nCopies(8, conv2d),
        forms(spec, ConvolutionLowering.NATIVE, ModelCompiler.WinogradRule.forCpu(true, training), layers));
    assertEquals(Collections.nCopies(8, matmul),
        forms(spec, ConvolutionLowering.MATMUL, ModelCompiler.WinogradRule.forCpu(false, training), layers));
    // Free sizes: the rule by channels alone.
    try (CompiledModel any = ModelCompiler.compile(spec, OptionalInt.empty(), 1, ConvolutionLowering.WINOGRAD,
        ModelCompiler.WinogradRule.forCpu(false, inference))) {
      assertEquals(List.of(conv2d, winograd, winograd, winograd, conv2d, winograd, winograd, conv2d),
          layers.stream().map(any.convolutionForms()::get).toList());
    }
  }

  @Test
  void aRuleLeavesTheRestToMatricesOrConv2dOnly() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ModelCompiler.WinogradRule(8,
        32, 0, ModelCompiler.WinogradForm.F4, ConvolutionLowering.WINOGRAD));
    assertEquals("the layers Winograd's form leaves are lowered as MATMUL or NATIVE, got WINOGRAD", e.getMessage());
  }

  private static List<ConvolutionForm> forms(ModelSpec spec, ConvolutionLowering lowering,
      ModelCompiler.WinogradRule rule, List<String> layers) {
    try (CompiledModel model = ModelCompiler.compile(spec, OptionalInt.of(188), 1, lowering, rule)) {
      assertEquals(layers, List.copyOf(model.convolutionForms().keySet()));
      return layers.stream().map(model.convolutionForms()::get).toList();
    }
  }

  @Test
  void oneDnnIsOnAsTensorFlowDecidesIt() {
    Set<String> vnni = Set.of("avx2", "avx512f", "avx512_vnni");
    Set<String> avx2 = Set.of("avx", "avx2", "fma");
    // The variable wins, in any case and either way.
    assertTrue(OneDnn.enabled("1", avx2, "Linux"));
    assertTrue(OneDnn.enabled(" TRUE", avx2, "Linux"));
    assertFalse(OneDnn.enabled("0", vnni, "Linux"));
    assertFalse(OneDnn.enabled("false", Set.of("amx_tile"), "Linux"));
    // Unset (or unreadable): on for Linux CPUs with AVX-512 VNNI or BF16, AVX-VNNI or AMX only.
    assertTrue(OneDnn.enabled(null, vnni, "Linux"));
    assertTrue(OneDnn.enabled("maybe", Set.of("avx_vnni"), "Linux"));
    assertTrue(OneDnn.enabled(null, Set.of("avx512_bf16"), "Linux"));
    assertFalse(OneDnn.enabled(null, avx2, "Linux"));
    assertFalse(OneDnn.enabled(null, Set.of(), "Linux"));
    assertFalse(OneDnn.enabled(null, vnni, "Windows 11"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("lowerings")
  void aGraphForAnySizeLowersLikeAFixedTile(Lowering lowering) {
    // Pooling by 3 makes every map odd-sized here (77, 75, ..., 13, 11), which Winograd's form crops.
    ModelSpec spec = UNet.builder().depth(2).baseFilters(3).pooling(Pooling.max(3)).build();
    int tile = spec.geometry().validInputAbove(spec.geometry().smallestValidInput()).getAsInt();
    try (CompiledModel any = ModelCompiler.compile(spec, OptionalInt.empty(), 4, lowering.lowering(), lowering.rule());
         Session session = Tensors.quickSession(any.graph());
         TFloat32 image = Tensors.image(any, 8, 1, tile, tile);
         Result result = session.runner().feed(any.input(), image).fetch(any.logits()).run()) {
      assertEquals(-1, any.logits().shape().get(1));
      float[] fixed;
      try (CompiledModel model = ModelCompiler.compile(spec, tile, 4, ConvolutionLowering.NATIVE);
           Session s = Tensors.quickSession(model.graph());
           Result r = s.runner().feed(model.input(), image).fetch(model.logits()).run()) {
        fixed = Tensors.values((TFloat32) r.get(0));
      }
      assertClose(fixed, Tensors.values((TFloat32) result.get(0)), "logits");
    }
  }

  private record Outputs(List<String> names, List<float[]> values) {}

  /** The logits of a seeded batch of 2, then the gradient of sum(logits * R) for each trainable variable. */
  private static Outputs run(ModelSpec spec, int tile, Lowering lowering) {
    int out = spec.geometry().outputSize(tile);
    try (CompiledModel model = ModelCompiler.compile(spec, OptionalInt.of(tile), 11, lowering.lowering(),
        lowering.rule())) {
      Graph graph = model.graph();
      Ops tf = Ops.create(graph);
      float[] r = Tensors.gaussian(12, 2 * out * out * spec.classes());
      Operand<TFloat32> loss = tf.sum(tf.math.mul(tf.reshape(model.logits(), tf.constant(new int[] {-1})),
          tf.constant(r)), tf.constant(0));
      List<ModelVariable> vars = model.trainableVariables();
      Output<?>[] grads = graph.addGradients(loss.asOutput(),
          vars.stream().map(v -> v.variable().asOutput()).toArray(Output<?>[]::new));
      try (Session session = Tensors.quickSession(graph);
           TFloat32 image = Tensors.image(model, 13, 2, tile, tile);
           TBool training = TBool.scalarOf(true)) {
        session.initialize();
        Session.Runner runner = session.runner().feed(model.input(), image).feed(model.training(), training)
            .fetch(model.logits());
        for (Output<?> g : grads) {
          runner.fetch(g);
        }
        List<String> names = new ArrayList<>();
        List<float[]> values = new ArrayList<>();
        names.add("logits");
        vars.forEach(v -> names.add(v.path()));
        try (Result result = runner.run()) {
          for (int i = 0; i < result.size(); i++) {
            values.add(Tensors.values((TFloat32) result.get(i)));
          }
        }
        return new Outputs(names, values);
      }
    }
  }

  /** Equal up to float32 rounding of differently ordered sums: relative to the largest magnitude. */
  private static void assertClose(float[] expected, float[] actual, String what) {
    assertClose(expected, actual, what, 1e-4);
  }

  /** Equal within {@code tolerance} of the largest magnitude. */
  private static void assertClose(float[] expected, float[] actual, String what, double tolerance) {
    assertEquals(expected.length, actual.length, what + ": length");
    double scale = 1e-30;
    for (float v : expected) {
      scale = Math.max(scale, Math.abs(v));
    }
    for (int i = 0; i < expected.length; i++) {
      double error = Math.abs(expected[i] - actual[i]) / scale;
      assertTrue(error < tolerance, what + "[" + i + "]: native " + expected[i] + ", lowered " + actual[i]);
    }
  }
}
