package org.unet4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.unet4j.dsl.model.ModelSpec;
import org.unet4j.dsl.model.UNet;

/**
 * Dropout at the end of the contracting path (paper Sec. 3.1) is active only when
 * {@code training} is fed true; by default the net is deterministic and dropout is the identity.
 */
class DropoutTest {
  /** Dropout 0.5 after contracting/0 (the last contracting stage) and after the bottleneck. */
  private static final ModelSpec NET = UNet.builder().depth(1).baseFilters(8).dropout(0.5).build();
  private static final int TILE = NET.geometry().validInputAbove(NET.geometry().smallestValidInput()).getAsInt();

  @Test
  void withoutAFeedDropoutIsTheIdentityAndRunsAreIdentical() {
    try (CompiledModel model = ModelCompiler.compile(NET, TILE, 1);
         Session session = new Session(model.graph());
         TFloat32 image = Tensors.image(model, 2, 2, TILE, TILE)) {
      List<float[]> first = run(session, model, image, null, 0);
      List<float[]> second = run(session, model, image, null, 0);
      for (int i = 0; i < first.size(); i++) {
        assertArrayEquals(first.get(i), second.get(i), "fetch " + i);
      }
      assertArrayEquals(first.get(0), first.get(1), "dropout output equals its input");
      try (TBool off = TBool.scalarOf(false)) {
        assertArrayEquals(first.get(2), run(session, model, image, off, 5).get(2), "training=false is the default");
      }
    }
  }

  @Test
  void inTrainingAboutHalfTheUnitsAreZeroedAndTheRestScaledByTwo() {
    try (CompiledModel model = ModelCompiler.compile(NET, TILE, 1);
         Session session = new Session(model.graph());
         TFloat32 image = Tensors.image(model, 2, 2, TILE, TILE);
         TBool on = TBool.scalarOf(true)) {
      List<float[]> first = run(session, model, image, on, 0);
      List<float[]> again = run(session, model, image, on, 0);
      List<float[]> second = run(session, model, image, on, 1);
      float[] in = first.get(0);
      float[] out = first.get(1);
      int active = 0;
      int dropped = 0;
      for (int i = 0; i < in.length; i++) {
        if (in[i] != 0) {
          active++;
          assertTrue(out[i] == 0 || out[i] == 2 * in[i], "unit " + i + ": " + in[i] + " -> " + out[i]);
          dropped += out[i] == 0 ? 1 : 0;
        }
      }
      assertTrue(active > 400, "too few active units to measure: " + active);
      assertEquals(0.5, (double) dropped / active, 0.1, "fraction dropped");
      assertArrayEquals(first.get(2), again.get(2), "the same dropout seed draws the same mask");
      assertFalse(Arrays.equals(first.get(2), second.get(2)), "another dropout seed (step) draws a new mask");
    }
  }

  @Test
  void masksAreReproducibleFromTheModelSeed() {
    float[] first = firstTrainingRun(1);
    assertArrayEquals(first, firstTrainingRun(1));
    assertFalse(Arrays.equals(first, firstTrainingRun(2)));
  }

  private static float[] firstTrainingRun(long seed) {
    try (CompiledModel model = ModelCompiler.compile(NET, TILE, seed);
         Session session = new Session(model.graph());
         TFloat32 image = Tensors.image(model, 2, 2, TILE, TILE);
         TBool on = TBool.scalarOf(true)) {
      return run(session, model, image, on, 0).get(1);
    }
  }

  /** The last contracting conv, the dropout after it, and the probabilities. */
  private static List<float[]> run(Session session, CompiledModel model, TFloat32 image,
      @Nullable TBool training, long step) {
    List<Operand<TFloat32>> fetches = List.of(model.layers().get("contracting/0/conv2"),
        model.layers().get("contracting/0/dropout"), model.probabilities());
    Session.Runner runner = session.runner().feed(model.input(), image);
    if (training != null) {
      runner.feed(model.training(), training);
    }
    fetches.forEach(runner::fetch);
    List<float[]> values = new ArrayList<>();
    try (TInt64 seed = TInt64.vectorOf(0, step); Result result = runner.feed(model.dropoutSeed(), seed).run()) {
      for (int i = 0; i < fetches.size(); i++) {
        values.add(Tensors.values((TFloat32) result.get(i)));
      }
    }
    return values;
  }
}
