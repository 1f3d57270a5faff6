package org.unet4j.recipes.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;
import org.unet4j.dsl.SpecException;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.dsl.recipe.TrainingSpec;
import org.unet4j.layers.CompiledModel;
import org.unet4j.layers.ModelCompiler;
import org.unet4j.layers.ModelVariable;
import org.unet4j.recipes.data.SyntheticTiles;
import org.unet4j.recipes.data.TileSource;
import org.unet4j.recipes.model.Checkpoint;
import org.unet4j.recipes.model.Checkpoints;
import org.unet4j.recipes.model.RunDirectory;

/**
 * {@code training.averageDecay}: the moving average of the weights, updated after every step, is
 * what checkpoints give prediction, while training and its resumption keep the raw weights.
 */
class WeightAveragingTest {
  @TempDir Path dir;

  private static TileSource tiles(Recipe r) {
    return new SyntheticTiles(r.model(), r.training().tile(), r.training().batchSize(), r.training().seed());
  }

  @Test
  void theDecayWarmsUpFromACopyOfTheWeights() {
    assertEquals(0.0, TrainingGraph.averageDecayAt(0.999, 0), "the first update copies the weights");
    assertEquals(1.0 / 11, TrainingGraph.averageDecayAt(0.999, 1));
    assertEquals(90.0 / 100, TrainingGraph.averageDecayAt(0.999, 90));
    assertEquals(0.999, TrainingGraph.averageDecayAt(0.999, 100_000));
    assertEquals(0.05, TrainingGraph.averageDecayAt(0.05, 2));
  }

  @Test
  void theAverageOfThreeStepsIsTheOneComputedByHand() {
    double decay = 0.5;
    Recipe recipe = TinyRecipes.with(TinyRecipes.tinyAdam(3, 3), "training.averageDecay=" + decay);
    TileSource tiles = tiles(recipe);
    List<Map<String, float[]>> raw = new ArrayList<>();
    Map<String, float[]> averaged;
    Map<String, float[]> rawAfterSwap;
    try (TrainingGraph graph = TrainingGraph.build(recipe, 1)) {
      graph.session().initialize();
      for (int step = 0; step < 3; step++) {
        graph.step(tiles.batch(step), 1e-2, step);
        raw.add(trainable(graph));
      }
      averaged = graph.withAveragedWeights(() -> trainable(graph));
      rawAfterSwap = trainable(graph);
    }
    // a0 = w0 (decay 0 at step 0); a1 = d1 a0 + (1 - d1) w1 with d1 = 1/11; a2 likewise with d2 = 2/12.
    double d1 = 1.0 / 11;
    double d2 = 2.0 / 12;
    for (String name : averaged.keySet()) {
      float[] w0 = raw.get(0).get(name);
      float[] w1 = raw.get(1).get(name);
      float[] w2 = raw.get(2).get(name);
      float[] got = averaged.get(name);
      boolean differs = false;
      for (int i = 0; i < got.length; i++) {
        double a1 = d1 * w0[i] + (1 - d1) * w1[i];
        double a2 = d2 * a1 + (1 - d2) * w2[i];
        assertEquals(a2, got[i], 1e-6 * (1 + Math.abs(a2)), name + "[" + i + "]");
        differs |= got[i] != w2[i];
      }
      assertTrue(differs || name.endsWith("bias"), name + ": the average equals the last weights");
      assertArrayEquals(w2, rawAfterSwap.get(name), name + ": the raw weights are back after the swap");
    }
  }

  @Test
  void aResumedRunEqualsTheUninterruptedOneAndValidationLeavesTrainingAlone() {
    // The uninterrupted run validates every 2 steps (on the averaged weights, swapped in and out);
    // the interrupted one never does: both must end with the same weights and averages, bit for bit.
    Recipe recipe = TinyRecipes.with(TinyRecipes.tinyAdam(8, 4), "training.averageDecay=0.9");
    Recipe validating = TinyRecipes.with(recipe, "training.validateEvery=2");
    Path whole = dir.resolve("whole");
    Trainer.of(validating, whole, tiles(recipe)).validation(tiles(recipe)).train();

    Path broken = dir.resolve("broken");
    assertThrows(IllegalStateException.class, () -> Trainer.of(recipe, broken, tiles(recipe))
        .listener((step, loss) -> {
          if (step == 5) {
            throw new IllegalStateException("simulated crash at step 5");
          }
        }).train());
    assertEquals(4, Trainer.of(recipe, broken, tiles(recipe)).resume(true).train().stepsThisRun());

    Map<String, float[]> a = saved(recipe, whole);
    Map<String, float[]> b = saved(recipe, broken);
    assertEquals(a.keySet(), b.keySet());
    assertTrue(a.keySet().stream().anyMatch(name -> name.endsWith("/twin")), a.keySet().toString());
    for (String name : a.keySet()) {
      assertArrayEquals(a.get(name), b.get(name), name);
    }
  }

  @Test
  void predictionReadsTheAveragedWeightsAndTrainingTheRawOnes() {
    Recipe recipe = TinyRecipes.with(TinyRecipes.tinyAdam(6, 6), "training.averageDecay=0.8");
    Path run = dir.resolve("run");
    Trainer.of(recipe, run, tiles(recipe)).train();
    Checkpoint checkpoint = new RunDirectory(run).checkpoints().latest(new ArrayList<>()).orElseThrow();
    Map<String, float[]> predicting = new LinkedHashMap<>();
    // The inference graph restores a checkpoint as the Predictor and the exports do.
    try (CompiledModel model = ModelCompiler.compile(recipe.model(), TinyRecipes.TILE, 1);
        Session session = new Session(model.graph())) {
      Checkpoints.restore(session, model, checkpoint);
      for (ModelVariable v : model.trainableVariables()) {
        predicting.put(v.path(), fetch(session, v.path()));
      }
    }
    try (TrainingGraph graph = TrainingGraph.build(recipe, 1)) {
      graph.restore(checkpoint);
      Map<String, float[]> averages = graph.withAveragedWeights(() -> trainable(graph));
      Map<String, float[]> training = trainable(graph);
      boolean anyDiffers = false;
      for (String name : predicting.keySet()) {
        assertArrayEquals(averages.get(name), predicting.get(name), name);
        anyDiffers |= !Arrays.equals(training.get(name), predicting.get(name));
      }
      assertTrue(anyDiffers, "prediction got the raw weights");
    }
  }

  @Test
  void aDecayOfOneOrMoreIsRefused() {
    SpecException e = assertThrows(SpecException.class, () -> TrainingSpec.builder().averageDecay(1).build());
    assertTrue(e.getMessage().startsWith("averageDecay: expected"), e.getMessage());
    assertTrue(e.getMessage().contains("got 1"), e.getMessage());
    assertFalse(TrainingSpec.builder().build().averageDecay() > 0, "averaging is off by default");
  }

  /** Every trainable variable of the graph by path. */
  private static Map<String, float[]> trainable(TrainingGraph graph) {
    Map<String, float[]> values = new LinkedHashMap<>();
    for (ModelVariable v : graph.model().trainableVariables()) {
      values.put(v.path(), fetch(graph.session(), v.path()));
    }
    return values;
  }

  /** Every variable of a run's newest checkpoint (model, optimizer slots, twins) by name. */
  private static Map<String, float[]> saved(Recipe recipe, Path run) {
    Checkpoint checkpoint = new RunDirectory(run).checkpoints().latest(new ArrayList<>()).orElseThrow();
    Map<String, float[]> values = new LinkedHashMap<>();
    try (TrainingGraph graph = TrainingGraph.build(recipe, 1)) {
      Checkpoints.restore(graph.session(), graph.variableShapes(), checkpoint);
      for (String name : graph.variableShapes().keySet()) {
        values.put(name, fetch(graph.session(), name));
      }
    }
    return values;
  }

  private static float[] fetch(Session session, String name) {
    try (Result r = session.runner().fetch(name).run()) {
      TFloat32 t = (TFloat32) r.get(0);
      float[] data = new float[(int) t.size()];
      t.asRawTensor().data().asFloats().read(data);
      return data;
    }
  }
}
