package org.unet4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.unet4j.dsl.model.ModelSpec;
import org.unet4j.dsl.model.UNet;

/**
 * {@link ModelCompiler#compileForInference}: Winograd's kernels are transformed in the first run of
 * a session and kept, the function is the one training computes, and checkpoints move between the
 * two kinds of graph.
 */
class InferenceCompileTest {
  /** Every 3x3 convolution in Winograd's F(4x4) form, however small. */
  private static final ModelCompiler.WinogradRule EVERYWHERE = new ModelCompiler.WinogradRule(0, 0, 0,
      ModelCompiler.WinogradForm.F4, ConvolutionLowering.MATMUL);
  // Tile 46 (the second smallest): maps of 44, 42, pooled 21, 19, 17, up-convolved 34, 32, 30: not all multiples of 4.
  private static final ModelSpec SPEC = UNet.builder().depth(1).baseFilters(8).build();
  private static final int TILE = SPEC.geometry().validInputAbove(SPEC.geometry().smallestValidInput()).getAsInt();

  @Test
  void kernelsAreTransformedInTheFirstRunOnlyAndTheFunctionIsTraining() {
    try (CompiledModel training = compile(ModelCompiler.KernelTransform.EVERY_RUN);
         CompiledModel inference = compile(ModelCompiler.KernelTransform.ONCE_PER_SESSION);
         TFloat32 image = Tensors.image(inference, 3, 2, TILE, TILE)) {
      Op doubleTraining = doubleTheKernels(training);
      Op doubleInference = doubleTheKernels(inference);
      float[] before;
      float[] doubled;
      try (Session session = new Session(training.graph())) {
        before = logits(session, training, image);
        session.runner().addTarget(doubleTraining).run();
        doubled = logits(session, training, image);
      }
      assertFalse(java.util.Arrays.equals(before, doubled), "doubling the kernels changes the logits");
      try (Session session = new Session(inference.graph())) {
        float[] first = logits(session, inference, image);
        assertClose(before, first);
        session.runner().addTarget(doubleInference).run();
        // The kernels the first run transformed are kept: the doubled variables are not read again.
        assertArrayEquals(first, logits(session, inference, image));
      }
      try (Session session = new Session(inference.graph())) {
        session.runner().addTarget(doubleInference).run();
        // A new session transforms what its variables hold at its first run.
        assertClose(doubled, logits(session, inference, image));
      }
    }
  }

  @Test
  void aCheckpointOfTheTrainingGraphRestoresIntoTheInferenceGraph(@TempDir Path folder) {
    String prefix = folder.resolve("ckpt").toString();
    try (CompiledModel training = compile(ModelCompiler.KernelTransform.EVERY_RUN);
         CompiledModel inference = compile(ModelCompiler.KernelTransform.ONCE_PER_SESSION);
         TFloat32 image = Tensors.image(inference, 5, 1, TILE, TILE)) {
      Op doubleTraining = doubleTheKernels(training);
      float[] expected;
      try (Session session = new Session(training.graph())) {
        session.runner().addTarget(doubleTraining).run();
        expected = logits(session, training, image);
        session.save(prefix);
      }
      try (Session session = new Session(inference.graph())) {
        session.restore(prefix);
        assertClose(expected, logits(session, inference, image));
      }
    }
  }

  @Test
  void theFormsAreReportedAndTheCacheExistsOnlyForInference() {
    try (CompiledModel training = compile(ModelCompiler.KernelTransform.EVERY_RUN);
         CompiledModel inference = compile(ModelCompiler.KernelTransform.ONCE_PER_SESSION)) {
      assertEquals(List.of("contracting/0/conv1", "contracting/0/conv2", "bottleneck/conv1", "bottleneck/conv2",
          "expanding/0/upconv", "expanding/0/conv1", "expanding/0/conv2", "head"),
          List.copyOf(inference.convolutionForms().keySet()));
      assertEquals(ConvolutionForm.WINOGRAD_4X4, inference.convolutionForms().get("bottleneck/conv1"));
      assertEquals(ConvolutionForm.MATMUL, inference.convolutionForms().get("expanding/0/upconv"));
      assertEquals(ConvolutionForm.MATMUL, inference.convolutionForms().get("head"));
      assertEquals(training.convolutionForms(), inference.convolutionForms());
      assertEquals("VarHandleOp", inference.graph().operation("bottleneck/conv1/winograd_kernel").type());
      assertEquals(null, training.graph().operation("bottleneck/conv1/winograd_kernel"));
    }
  }

  @Test
  void dropoutIsTheIdentityInAnInferenceGraphAndDrawsNothing() {
    ModelSpec withDropout = UNet.builder().depth(1).baseFilters(8).dropout(0.5).build();
    try (CompiledModel training = ModelCompiler.compile(withDropout, OptionalInt.of(TILE), 7,
            ConvolutionLowering.WINOGRAD, EVERYWHERE, ModelCompiler.KernelTransform.EVERY_RUN);
         CompiledModel inference = ModelCompiler.compile(withDropout, OptionalInt.of(TILE), 7,
             ConvolutionLowering.WINOGRAD, EVERYWHERE, ModelCompiler.KernelTransform.ONCE_PER_SESSION);
         TFloat32 image = Tensors.image(inference, 11, 2, TILE, TILE)) {
      assertTrue(opTypes(training).contains("StatelessRandomUniform"), "the training graph draws its masks");
      assertFalse(opTypes(inference).contains("StatelessRandomUniform"), "the inference graph draws nothing");
      float[] expected;
      try (Session session = new Session(training.graph())) {
        session.initialize();
        expected = logits(session, training, image);
      }
      try (Session session = new Session(inference.graph())) {
        session.initialize();
        assertClose(expected, logits(session, inference, image));
      }
    }
  }

  private static java.util.Set<String> opTypes(CompiledModel model) {
    java.util.Set<String> types = new java.util.HashSet<>();
    model.graph().operations().forEachRemaining(op -> types.add(op.type()));
    return types;
  }

  @Test
  void theInferenceEntryPointChecksTheTile() {
    org.unet4j.dsl.SpecException e = org.junit.jupiter.api.Assertions.assertThrows(
        org.unet4j.dsl.SpecException.class, () -> ModelCompiler.compileForInference(SPEC, TILE + 1, 1));
    assertTrue(e.getMessage().contains(String.valueOf(TILE)), e.getMessage());
  }

  private static CompiledModel compile(ModelCompiler.KernelTransform transform) {
    return ModelCompiler.compile(SPEC, OptionalInt.of(TILE), 7, ConvolutionLowering.WINOGRAD, EVERYWHERE, transform);
  }

  /**
   * A graph for export holds only TensorFlow's own ops, so that a process without unet4j's native
   * ops loads it, and computes what the inference graph computes; the inference graph uses the
   * native ops where they are loaded.
   */
  @Test
  void anExportGraphHoldsOnlyTensorFlowsOwnOps() {
    ModelSpec spec = UNet.builder().depth(1).baseFilters(32).build();
    try (CompiledModel exported = ModelCompiler.compileForExport(spec, 188, 1);
        CompiledModel inference = ModelCompiler.compileForInference(spec, 188, 1);
        TFloat32 image = Tensors.image(inference, 5, 1, 188, 188)) {
      // The same forms as the inference graph (Winograd's wherever the process's lowering is), only
      // their transforms differ.
      assertEquals(inference.convolutionForms(), exported.convolutionForms());
      boolean winograd = exported.convolutionForms().containsValue(ConvolutionForm.WINOGRAD_4X4);
      assertEquals(ModelCompiler.defaultLowering() == ConvolutionLowering.WINOGRAD, winograd);
      assertEquals(List.of(), nativeOps(exported));
      assertEquals(WinogradOps.available() && winograd, !nativeOps(inference).isEmpty());
      try (Session one = new Session(exported.graph()); Session other = new Session(inference.graph())) {
        // The same seed: the same initial weights in both graphs.
        one.initialize();
        other.initialize();
        assertClose(logits(one, exported, image), logits(other, inference, image));
      }
    }
  }

  private static List<String> nativeOps(CompiledModel model) {
    List<String> types = new ArrayList<>();
    model.graph().operations().forEachRemaining(op -> {
      if (op.type().startsWith("Unet4j")) {
        types.add(op.type());
      }
    });
    return types;
  }

  /** An op that doubles every 3x3 kernel of the model. */
  private static Op doubleTheKernels(CompiledModel model) {
    Ops tf = Ops.create(model.graph());
    List<Op> updates = new ArrayList<>();
    for (ModelVariable v : model.variables()) {
      if (v.path().endsWith("/kernel") && v.shape().get(0) == 3) {
        Operand<TFloat32> kernel = v.variable();
        updates.add(tf.assign(v.variable(), tf.math.mul(kernel, tf.constant(2f))));
      }
    }
    return tf.withControlDependencies(updates).noOp();
  }

  private static float[] logits(Session session, CompiledModel model, TFloat32 image) {
    try (Result result = session.runner().feed(model.input(), image).fetch(model.logits()).run()) {
      return Tensors.values((TFloat32) result.get(0));
    }
  }

  /** Equal up to float32 rounding: relative to the largest magnitude. */
  private static void assertClose(float[] expected, float[] actual) {
    assertEquals(expected.length, actual.length, "length");
    double scale = 1e-30;
    for (float v : expected) {
      scale = Math.max(scale, Math.abs(v));
    }
    for (int i = 0; i < expected.length; i++) {
      assertTrue(Math.abs(expected[i] - actual[i]) / scale < 1e-5, "[" + i + "]: " + expected[i] + " vs " + actual[i]);
    }
  }
}
