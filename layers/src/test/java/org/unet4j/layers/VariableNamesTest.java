package org.unet4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.GraphOperation;
import org.unet4j.dsl.SpecException;
import org.unet4j.dsl.model.ModelSpec;
import org.unet4j.dsl.model.UNet;

/** Variables and ops are named by spec path, so a parameter in a checkpoint can be found in the recipe. */
class VariableNamesTest {

  @Test
  void variablesAreNamedByTheirSpecPath() {
    ModelSpec spec = UNet.builder().depth(3).baseFilters(2).build();
    try (CompiledModel model = ModelCompiler.compile(spec, spec.geometry().smallestValidInput(), 1)) {
      List<String> expected = List.of(
          "contracting/0/conv1/kernel", "contracting/0/conv1/bias",
          "contracting/0/conv2/kernel", "contracting/0/conv2/bias",
          "contracting/1/conv1/kernel", "contracting/1/conv1/bias",
          "contracting/1/conv2/kernel", "contracting/1/conv2/bias",
          "contracting/2/conv1/kernel", "contracting/2/conv1/bias",
          "contracting/2/conv2/kernel", "contracting/2/conv2/bias",
          "bottleneck/conv1/kernel", "bottleneck/conv1/bias",
          "bottleneck/conv2/kernel", "bottleneck/conv2/bias",
          "expanding/0/upconv/kernel", "expanding/0/upconv/bias",
          "expanding/0/conv1/kernel", "expanding/0/conv1/bias",
          "expanding/0/conv2/kernel", "expanding/0/conv2/bias",
          "expanding/1/upconv/kernel", "expanding/1/upconv/bias",
          "expanding/1/conv1/kernel", "expanding/1/conv1/bias",
          "expanding/1/conv2/kernel", "expanding/1/conv2/bias",
          "expanding/2/upconv/kernel", "expanding/2/upconv/bias",
          "expanding/2/conv1/kernel", "expanding/2/conv1/bias",
          "expanding/2/conv2/kernel", "expanding/2/conv2/bias",
          "head/kernel", "head/bias");
      assertEquals(expected, model.variables().stream().map(ModelVariable::path).toList());
      for (String path : expected) {
        GraphOperation op = model.graph().operation(path);
        assertTrue(op != null && op.type().equals("VariableV2"), path + " in the graph");
      }
      // Kernels are [kh, kw, cin, cout]; the up-convolution's is [p, p, cout, cin] (Conv2DTranspose).
      assertArrayEquals(new long[] {3, 3, 8, 8}, model.variable("contracting/2/conv2/kernel").shape().asArray());
      assertArrayEquals(new long[] {2, 2, 8, 16}, model.variable("expanding/0/upconv/kernel").shape().asArray());
      // The skip (8 channels) and the up-convolved map (8) are concatenated before expanding/0/conv1.
      assertArrayEquals(new long[] {3, 3, 16, 8}, model.variable("expanding/0/conv1/kernel").shape().asArray());
      assertArrayEquals(new long[] {1, 1, 2, 2}, model.variable("head/kernel").shape().asArray());
    }
  }

  @Test
  void batchNormReplacesTheBiasAndKeepsMovingAveragesOutOfTraining() {
    ModelSpec spec = UNet.builder().depth(1).baseFilters(2).bottleneck(4, s -> s.batchNorm()).build();
    try (CompiledModel model = ModelCompiler.compile(spec, spec.geometry().smallestValidInput(), 1)) {
      List<String> bottleneck = model.variables().stream().map(ModelVariable::path)
          .filter(p -> p.startsWith("bottleneck/conv1/")).toList();
      assertEquals(List.of("bottleneck/conv1/kernel", "bottleneck/conv1/norm/gamma", "bottleneck/conv1/norm/beta",
          "bottleneck/conv1/norm/moving_mean", "bottleneck/conv1/norm/moving_variance"), bottleneck);
      assertTrue(model.variable("bottleneck/conv1/norm/gamma").trainable());
      assertFalse(model.variable("bottleneck/conv1/norm/moving_mean").trainable());
      assertFalse(model.variable("bottleneck/conv1/norm/moving_variance").trainable());
      assertThrows(IllegalArgumentException.class, () -> model.variable("bottleneck/conv2/bias"));
      assertTrue(model.variable("contracting/0/conv1/bias").trainable(), "stages without batch norm keep biases");
      assertTrue(model.trainableVariables().stream().noneMatch(v -> v.path().contains("moving")));
      assertEquals(spec.parameterCount(), model.parameterCount());
      assertEquals("NoOp", model.movingAverageUpdate().op().type());
    }
  }

  @Test
  void inputsAndOutputsHaveStableTopLevelNames() {
    ModelSpec spec = UNet.builder().depth(1).baseFilters(2).build();
    try (CompiledModel model = ModelCompiler.compile(spec, spec.geometry().smallestValidInput(), 1)) {
      assertEquals("image", model.input().op().name());
      assertEquals("training", model.training().op().name());
      assertEquals("logits", model.logits().op().name());
      assertEquals("probabilities", model.probabilities().op().name());
      assertEquals("moving_average_update", model.movingAverageUpdate().op().name());
    }
  }

  @Test
  void eachLoweringPutsItsOpsUnderTheLayersScope() {
    ModelSpec spec = UNet.builder().depth(1).baseFilters(2).build();
    int tile = spec.geometry().smallestValidInput();
    try (CompiledModel model = ModelCompiler.compile(spec, tile, 1, ConvolutionLowering.NATIVE)) {
      assertEquals("Conv2D", model.graph().operation("contracting/0/conv1/Conv2d").type());
      assertEquals("Conv2DBackpropInput", model.graph().operation("expanding/0/upconv/Conv2dBackpropInput").type());
    }
    try (CompiledModel model = ModelCompiler.compile(spec, tile, 1, ConvolutionLowering.MATMUL)) {
      assertEquals("MatMul", model.graph().operation("contracting/0/conv1/MatMul").type());
      assertEquals("GatherV2", model.graph().operation("contracting/0/conv1/Gather").type());
      assertEquals("DepthToSpace", model.graph().operation("expanding/0/upconv/DepthToSpace").type());
      assertEquals("MatMul", model.graph().operation("head/MatMul").type());
      assertEquals(null, model.graph().operation("contracting/0/conv1/Conv2d"));
    }
  }

  @Test
  void thePapersNetCompilesWithItsPublishedSizeAndParameterCount() {
    // Graph construction only: no session, so no weights are allocated.
    try (CompiledModel model = ModelCompiler.compile(UNet.paper(), 572, 0)) {
      assertEquals(31_030_658L, model.parameterCount());
      assertArrayEquals(new long[] {-1, 388, 388, 2}, model.logits().shape().asArray());
      assertEquals(23, model.variables().stream().filter(v -> v.path().endsWith("/kernel")).count());
    }
  }

  @Test
  void anInvalidTileIsRejectedWithTheNearestValidSizes() {
    SpecException e = assertThrows(SpecException.class, () -> ModelCompiler.compile(UNet.paper(), 570, 0));
    assertTrue(e.getMessage().contains("Received: input 570; valid near it: 556, 572"), e.getMessage());
  }

  @Test
  void anUnknownVariableNamesTheKnownOnes() {
    ModelSpec spec = UNet.builder().depth(1).baseFilters(2).build();
    try (CompiledModel model = ModelCompiler.compile(spec, spec.geometry().smallestValidInput(), 1)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> model.variable("contracting/0/conv3/kernel"));
      assertTrue(e.getMessage().startsWith("no variable contracting/0/conv3/kernel; this model has "
          + "contracting/0/conv1/kernel, contracting/0/conv1/bias"), e.getMessage());
    }
  }
}
