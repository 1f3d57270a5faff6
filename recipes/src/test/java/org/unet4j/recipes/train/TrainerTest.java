package org.unet4j.recipes.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.dsl.recipe.Recipes;
import org.unet4j.dsl.recipe.SgdOptimizer;
import org.unet4j.layers.CompiledModel;
import org.unet4j.layers.ModelCompiler;
import org.unet4j.layers.ModelVariable;
import org.unet4j.layers.WinogradOps;
import org.unet4j.recipes.data.Batch;
import org.unet4j.recipes.data.SyntheticTiles;
import org.unet4j.recipes.data.TileSource;
import org.unet4j.recipes.model.Checkpoint;
import org.unet4j.recipes.model.CheckpointException;
import org.unet4j.recipes.model.Checkpoints;
import org.unet4j.recipes.model.RunDirectory;

class TrainerTest {
  @TempDir Path dir;

  private static TileSource tiles(Recipe r) {
    return new SyntheticTiles(r.model(), r.training().tile(), r.training().batchSize(), r.training().seed());
  }

  @Test
  void lossFallsOnALearnableTaskAndTheRunDirectoryIsComplete() throws IOException {
    Recipe recipe = TinyRecipes.tinyAdam(80, 40);
    TrainingResult result = Trainer.of(recipe, dir, tiles(recipe)).train();
    assertEquals(80, result.steps());
    List<MetricsLog.Row> rows = MetricsLog.read(dir.resolve("metrics.csv"));
    assertEquals(80, rows.size());
    double first = rows.subList(0, 10).stream().mapToDouble(MetricsLog.Row::loss).average().orElseThrow();
    double last = rows.subList(70, 80).stream().mapToDouble(MetricsLog.Row::loss).average().orElseThrow();
    assertTrue(last < 0.6 * first, "mean loss of the last 10 steps " + last + " vs first 10 " + first);
    assertEquals(Recipes.toJson(recipe), Files.readString(dir.resolve("recipe.json")));
    assertTrue(Files.size(dir.resolve("loss.png")) > 1000);
    String log = Files.readString(dir.resolve("train.log"));
    assertTrue(log.contains("checkpoint ckpt-000000080"), log);
    // Which form each convolution got, as the bench reports it.
    assertTrue(log.contains("convolutions: "), log);
    assertTrue(log.contains("; Winograd transforms: " + WinogradOps.describe()), log);
    assertTrue(log.contains("contracting/0/conv1"), log);
    assertEquals(80, result.checkpoint().step());
    assertTrue(Files.isDirectory(dir.resolve("checkpoints/ckpt-000000040")));
  }

  @Test
  void resumedRunEqualsTheUninterruptedOne() {
    // Dropout included: its masks depend on the step, not on how many steps this process ran.
    Recipe recipe = TinyRecipes.with(TinyRecipes.tinyAdam(24, 8), "model.bottleneck.dropout=0.5");
    Path whole = dir.resolve("whole");
    Trainer.of(recipe, whole, tiles(recipe)).train();

    Path broken = dir.resolve("broken");
    RuntimeException stop = assertThrows(RuntimeException.class, () -> Trainer.of(recipe, broken, tiles(recipe))
        .listener((step, loss) -> {
          if (step == 12) {
            throw new IllegalStateException("simulated crash at step 12");
          }
        }).train());
    assertEquals("simulated crash at step 12", stop.getMessage());
    TrainingResult resumed = Trainer.of(recipe, broken, tiles(recipe)).resume(true).train();
    assertEquals(16, resumed.stepsThisRun(), "resumes from the checkpoint of step 8");

    Map<String, float[]> a = weights(recipe, whole);
    Map<String, float[]> b = weights(recipe, broken);
    for (String name : a.keySet()) {
      // Same data, learning rates, dropout masks and Adam moments, and every update gated on the
      // whole backward pass: the resumed weights equal the uninterrupted ones bit for bit.
      assertArrayEquals(a.get(name), b.get(name), name);
    }
    List<MetricsLog.Row> rows = MetricsLog.read(broken.resolve("metrics.csv"));
    assertEquals(24, rows.size(), "no step is logged twice after the resume");
  }

  @Test
  void nonFiniteLossStopsTheRunNamingTheStepAndKeepsTheLastCheckpoint() {
    Recipe recipe = TinyRecipes.tinyAdam(20, 5);
    TileSource clean = tiles(recipe);
    TileSource poisoned = step -> {
      Batch b = clean.batch(step);
      if (step == 7) {
        // The centre pixel of the first tile: inside every output pixel's window, so the loss is NaN.
        b.images()[(TinyRecipes.TILE / 2) * TinyRecipes.TILE + TinyRecipes.TILE / 2] = Float.NaN;
      }
      return b;
    };
    TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
        () -> Trainer.of(recipe, dir, poisoned).train());
    assertEquals(7, e.step());
    assertTrue(e.getMessage().contains("the loss became NaN at step 7"), e.getMessage());
    assertTrue(e.getMessage().contains("last good checkpoint (step 5, written after 5 steps)"), e.getMessage());
    Checkpoint kept = new RunDirectory(dir).checkpoints().latest(new ArrayList<>()).orElseThrow();
    assertEquals(5, kept.step());
    assertFalse(Files.exists(dir.resolve("checkpoints/ckpt-000000007")));
  }

  @Test
  void nonFiniteGradientsStopTheRunBeforeTheyReachACheckpoint() {
    Recipe recipe = TinyRecipes.tinyAdam(20, 1);
    TileSource clean = tiles(recipe);
    TileSource poisoned = step -> {
      Batch b = clean.batch(step);
      if (step == 3) {
        // A corner pixel: outside every output pixel's window, so the loss stays finite, but the
        // backward pass multiplies it by zero and the kernel gradients become NaN.
        b.images()[0] = Float.NaN;
      }
      return b;
    };
    TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
        () -> Trainer.of(recipe, dir, poisoned).train());
    assertEquals(3, e.step());
    assertTrue(e.getMessage().contains("the gradients became NaN at step 3"), e.getMessage());
    assertEquals(3, new RunDirectory(dir).checkpoints().latest(new ArrayList<>()).orElseThrow().step());
  }

  @Test
  void sgdWithMomentumTrainsToo() {
    Recipe recipe = TinyRecipes.tiny(SgdOptimizer.paper(), 1e-3, 40, 40);
    Trainer.of(recipe, dir, tiles(recipe)).train();
    List<MetricsLog.Row> rows = MetricsLog.read(dir.resolve("metrics.csv"));
    double first = rows.subList(0, 5).stream().mapToDouble(MetricsLog.Row::loss).average().orElseThrow();
    double last = rows.subList(35, 40).stream().mapToDouble(MetricsLog.Row::loss).average().orElseThrow();
    assertTrue(last < first, "SGD 0.99: " + first + " -> " + last);
  }

  @Test
  void checkpointOfAnotherArchitectureIsRefusedNamingTheParameterAndBothShapes() {
    Recipe recipe = TinyRecipes.tinyAdam(4, 4);
    Trainer.of(recipe, dir, tiles(recipe)).train();
    Recipe wider = TinyRecipes.with(recipe, "model.contracting[0].filters=8");
    Checkpoint checkpoint = new RunDirectory(dir).checkpoints().latest(new ArrayList<>()).orElseThrow();
    try (CompiledModel model = ModelCompiler.compile(wider.model(), TinyRecipes.TILE, 1);
        Session session = new Session(model.graph())) {
      CheckpointException e = assertThrows(CheckpointException.class,
          () -> Checkpoints.restore(session, model, checkpoint));
      assertTrue(e.getMessage().contains("contracting/0/conv1/kernel is [3, 3, 1, 4] in the checkpoint but "
          + "[3, 3, 1, 8] in the model"), e.getMessage());
    }
  }

  @Test
  void startingOverAnExistingRunIsRefused() {
    Recipe recipe = TinyRecipes.tinyAdam(2, 2);
    Trainer.of(recipe, dir, tiles(recipe)).train();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Trainer.of(recipe, dir, tiles(recipe)).train());
    assertTrue(e.getMessage().contains("already holds a run; continue it (resume)"), e.getMessage());
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
        () -> Trainer.of(recipe, dir.resolve("empty"), tiles(recipe)).resume(true).train());
    assertTrue(none.getMessage().contains("holds no run"), none.getMessage());
  }

  @Test
  void damagedNewestCheckpointIsSkippedForTheOlderOne() throws IOException {
    Recipe recipe = TinyRecipes.tinyAdam(6, 3);
    Trainer.of(recipe, dir, tiles(recipe)).train();
    Path newest = dir.resolve("checkpoints/ckpt-000000006");
    Path data = Files.list(newest).filter(p -> p.getFileName().toString().startsWith("model.data")).findFirst()
        .orElseThrow();
    byte[] bytes = Files.readAllBytes(data);
    bytes[bytes.length / 2] ^= 0x55;
    Files.write(data, bytes);
    // A save interrupted while writing: its temporary folder must be ignored.
    Files.createDirectories(dir.resolve("checkpoints/.tmp-ckpt-000000009"));
    Files.writeString(dir.resolve("checkpoints/.tmp-ckpt-000000009/model.index"), "partial", StandardCharsets.UTF_8);

    List<String> skipped = new ArrayList<>();
    Checkpoint latest = new RunDirectory(dir).checkpoints().latest(skipped).orElseThrow();
    assertEquals(3, latest.step());
    assertEquals(1, skipped.size());
    assertTrue(skipped.get(0).contains("does not match its checksum"), skipped.get(0));
  }

  @Test
  void learningRateSchedules() {
    Recipe constant = TinyRecipes.tinyAdam(100, 100);
    assertEquals(1e-2, LearningRate.at(constant.training(), 50), 1e-12);
    Recipe warm = TinyRecipes.with(constant, "training.warmupSteps=10");
    assertEquals(1e-3, LearningRate.at(warm.training(), 0), 1e-12);
    assertEquals(1e-2, LearningRate.at(warm.training(), 9), 1e-12);
    Recipe step = TinyRecipes.with(constant, "training.schedule={\"type\":\"step\",\"every\":30,\"factor\":0.5}");
    assertEquals(1e-2, LearningRate.at(step.training(), 29), 1e-12);
    assertEquals(5e-3, LearningRate.at(step.training(), 30), 1e-12);
    assertEquals(2.5e-3, LearningRate.at(step.training(), 60), 1e-12);
    Recipe cosine = TinyRecipes.with(constant, "training.schedule={\"type\":\"cosine\",\"minFactor\":0.1}");
    assertEquals(1e-2, LearningRate.at(cosine.training(), 0), 1e-12);
    // Half way (step 49.5 of 0..99) the cosine term is 0.5: 0.1 + 0.9 * 0.5 = 0.55 of the base.
    assertEquals(1e-2 * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * 50 / 99.0))), LearningRate.at(cosine.training(), 50),
        1e-12);
    assertEquals(1e-3, LearningRate.at(cosine.training(), 99), 1e-12);
  }

  /** Every model variable of the newest checkpoint in {@code run}. */
  private static Map<String, float[]> weights(Recipe recipe, Path run) {
    Checkpoint checkpoint = new RunDirectory(run).checkpoints().latest(new ArrayList<>()).orElseThrow();
    Map<String, float[]> values = new java.util.LinkedHashMap<>();
    try (CompiledModel model = ModelCompiler.compile(recipe.model(), TinyRecipes.TILE, 1);
        Session session = new Session(model.graph())) {
      Checkpoints.restore(session, model, checkpoint);
      for (ModelVariable v : model.variables()) {
        try (Result r = session.runner().fetch(v.variable()).run()) {
          TFloat32 t = (TFloat32) r.get(0);
          float[] data = new float[(int) t.size()];
          t.asRawTensor().data().asFloats().read(data);
          values.put(v.path(), data);
        }
      }
    }
    return values;
  }
}
