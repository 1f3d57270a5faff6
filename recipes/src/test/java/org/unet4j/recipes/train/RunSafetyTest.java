package org.unet4j.recipes.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TFResourceExhaustedException;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Assign;
import org.tensorflow.types.TFloat32;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.dsl.recipe.SgdOptimizer;
import org.unet4j.layers.CompiledModel;
import org.unet4j.layers.ModelCompiler;
import org.unet4j.layers.ModelVariable;
import org.unet4j.recipes.data.Batch;
import org.unet4j.recipes.data.SyntheticTiles;
import org.unet4j.recipes.data.TileSource;
import org.unet4j.recipes.model.Checkpoint;
import org.unet4j.recipes.model.CheckpointException;
import org.unet4j.recipes.model.Checkpoints;
import org.unet4j.recipes.model.RunDirectory;
import org.unet4j.recipes.model.RunLock;
import org.unet4j.recipes.model.RunLockedException;
import org.unet4j.recipes.model.RunWriteException;

/** What a refused, failed or concurrent command must not do to a run (issue 16). */
class RunSafetyTest {
  @TempDir Path dir;

  private static TileSource tiles(Recipe r) {
    return new SyntheticTiles(r.model(), r.training().tile(), r.training().batchSize(), r.training().seed());
  }

  /** Every file under {@code root} with its bytes. */
  private static Map<String, byte[]> snapshot(Path root) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.filter(Files::isRegularFile).toList()) {
        files.put(root.relativize(p).toString(), Files.readAllBytes(p));
      }
    }
    return files;
  }

  private static void assertUnchanged(Map<String, byte[]> before, Map<String, byte[]> after) {
    assertEquals(before.keySet(), after.keySet(), "the same files");
    before.forEach((name, bytes) -> assertArrayEquals(bytes, after.get(name), name));
  }

  private static void damage(Path checkpoint) throws IOException {
    Path data;
    try (Stream<Path> files = Files.list(checkpoint)) {
      data = files.filter(p -> p.getFileName().toString().startsWith("model.data")).findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(data);
    bytes[bytes.length / 2] ^= 0x55;
    Files.write(data, bytes);
  }

  @Test
  void aRefusedResumeLeavesEveryByteOfTheRun() throws IOException {
    Recipe recipe = TinyRecipes.tinyAdam(4, 2);
    Trainer.of(recipe, dir, tiles(recipe)).train();
    Map<String, byte[]> before = snapshot(dir);
    Recipe wider = TinyRecipes.with(recipe, "model.contracting[0].filters=8", "training.steps=6");
    CheckpointException e = assertThrows(CheckpointException.class,
        () -> Trainer.of(wider, dir, tiles(wider)).resume(true).train());
    assertTrue(e.getMessage().contains("does not fit this model"), e.getMessage());
    assertUnchanged(before, snapshot(dir));
    // The run still resumes with its own recipe.
    assertEquals(2, Trainer.of(TinyRecipes.with(recipe, "training.steps=6"), dir, tiles(recipe)).resume(true).train()
        .stepsThisRun());
  }

  @Test
  void weightsThatGiveANonFiniteLossNeverBecomeACheckpoint() throws IOException {
    // SGD at the highest rate allowed, and one batch 10^6 times too bright: the update of step 2
    // keeps the weights finite but makes the loss of step 3 NaN.
    Recipe recipe = TinyRecipes.tiny(SgdOptimizer.paper(), 10, 6, 1);
    TileSource clean = tiles(recipe);
    TileSource bright = step -> {
      Batch b = clean.batch(step);
      if (step == 2) {
        for (int i = 0; i < b.images().length; i++) {
          b.images()[i] *= 1e6f;
        }
      }
      return b;
    };
    TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
        () -> Trainer.of(recipe, dir, bright).train());
    assertEquals(3, e.step());
    assertTrue(e.getMessage().startsWith("the loss became NaN at step 3 (steps count from 0, as in metrics.csv"),
        e.getMessage());
    // The weights after step 2 gave that NaN: their checkpoint (step 3) is not kept; those after
    // step 1 gave step 2 a finite loss.
    assertTrue(e.getMessage().contains("the last good checkpoint (step 2, written after 2 steps)"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("checkpoints/ckpt-000000003")));
    assertEquals(2, new RunDirectory(dir).checkpoints().latest(new ArrayList<>()).orElseThrow().step());
    try (Stream<Path> left = Files.list(dir.resolve("checkpoints"))) {
      assertEquals(0, left.filter(p -> p.getFileName().toString().startsWith(".tmp-")).count(),
          "the discarded checkpoint leaves no temporary folder");
    }
  }

  @Test
  void aCheckpointHoldingNaNIsRefusedWhenLoaded() {
    Recipe recipe = TinyRecipes.tinyAdam(1, 1);
    Checkpoints checkpoints = new Checkpoints(dir.resolve("checkpoints"), 3);
    Checkpoint saved;
    try (CompiledModel model = ModelCompiler.compile(recipe.model(), TinyRecipes.TILE, 1)) {
      ModelVariable kernel = model.variables().get(0);
      Ops tf = Ops.create(model.graph());
      Assign<TFloat32> poison = tf.assign(kernel.variable(),
          tf.fill(tf.constant(kernel.shape().asArray()), tf.constant(Float.NaN)));
      try (Session session = new Session(model.graph())) {
        session.initialize();
        session.runner().addTarget(poison).run();
        saved = checkpoints.save(session, Checkpoints.shapes(model), 1, 0.5);
      }
    }
    try (CompiledModel model = ModelCompiler.compile(recipe.model(), TinyRecipes.TILE, 1);
        Session session = new Session(model.graph())) {
      CheckpointException e = assertThrows(CheckpointException.class,
          () -> Checkpoints.restore(session, model, saved));
      assertEquals("checkpoint " + saved.directory() + " cannot be used: " + model.variables().get(0).path()
          + " holds NaN at element 0, so the model's output would not be finite (the training it came from had"
          + " diverged)", e.getMessage());
    }
  }

  @Test
  void aResumeWithEveryCheckpointDamagedStopsAndSaysSoUnlessARestartIsAsked() throws IOException {
    Recipe recipe = TinyRecipes.tinyAdam(6, 3);
    Trainer.of(recipe, dir, tiles(recipe)).train();
    damage(dir.resolve("checkpoints/ckpt-000000003"));
    damage(dir.resolve("checkpoints/ckpt-000000006"));
    Map<String, byte[]> before = snapshot(dir);
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    NoUsableCheckpointException e = assertThrows(NoUsableCheckpointException.class,
        () -> Trainer.of(recipe, dir, tiles(recipe)).resume(true)
            .console(new PrintStream(console, true, StandardCharsets.UTF_8)).train());
    assertTrue(e.getMessage().startsWith("none of the 2 checkpoints of " + dir + " can be used (checkpoint "
        + dir.resolve("checkpoints/ckpt-000000006") + ": model.data"), e.getMessage());
    assertTrue(e.getMessage().endsWith("; and 1 more); the run was not changed. Restore them from a backup, or start"
        + " the run again from step 0"), e.getMessage());
    assertUnchanged(before, snapshot(dir));
    String said = console.toString(StandardCharsets.UTF_8);
    assertTrue(said.contains("skipped a damaged checkpoint: checkpoint " + dir.resolve("checkpoints/ckpt-000000006")),
        said);
    assertTrue(said.contains("skipped a damaged checkpoint: checkpoint " + dir.resolve("checkpoints/ckpt-000000003")),
        said);

    TrainingResult again = Trainer.of(recipe, dir, tiles(recipe)).resume(true).restartWhenNoCheckpointIsUsable(true)
        .train();
    assertEquals(6, again.stepsThisRun(), "started again at step 0, as asked");
    assertEquals(6, new RunDirectory(dir).checkpoints().latest(new ArrayList<>()).orElseThrow().step());
  }

  @Test
  void aSecondWriterIsRefusedAtOnceNamingTheOwner() throws Exception {
    Recipe recipe = TinyRecipes.tinyAdam(4, 2);
    CountDownLatch training = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<Throwable> failed = new AtomicReference<>();
    Thread first = new Thread(() -> {
      try {
        Trainer.of(recipe, dir, tiles(recipe)).listener((step, loss) -> {
          if (step == 2) {
            training.countDown();
            try {
              release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        }).train();
      } catch (Throwable t) {
        failed.set(t);
        training.countDown();
      }
    });
    first.start();
    try {
      assertTrue(training.await(120, TimeUnit.SECONDS));
      Map<String, byte[]> before = snapshot(dir);
      RunLockedException e = assertThrows(RunLockedException.class,
          () -> Trainer.of(recipe, dir, tiles(recipe)).resume(true).train());
      assertTrue(e.getMessage().startsWith(dir + " is in use: process " + ProcessHandle.current().pid() + " on "
          + RunLock.thisHost() + " has been writing it since "), e.getMessage());
      assertTrue(e.getMessage().endsWith("(" + dir.resolve("run.lock") + "); wait until it ends, or if that process is"
          + " gone, delete the lock file"), e.getMessage());
      assertUnchanged(before, snapshot(dir));
    } finally {
      release.countDown();
      first.join();
    }
    assertEquals(null, failed.get());
    assertFalse(Files.exists(dir.resolve("run.lock")), "released when the run ends");
    assertEquals(0, Trainer.of(recipe, dir, tiles(recipe)).resume(true).train().stepsThisRun());
  }

  @Test
  void aStaleLockIsClearedAndAnotherHostsLockIsNot() throws Exception {
    Recipe recipe = TinyRecipes.tinyAdam(2, 2);
    Trainer.of(recipe, dir, tiles(recipe)).train();
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Files.writeString(dir.resolve("run.lock"), gone.pid() + " " + RunLock.thisHost() + " 2026-01-01T00:00:00Z\n");
    Recipe longer = TinyRecipes.with(recipe, "training.steps=4");
    assertEquals(2, Trainer.of(longer, dir, tiles(longer)).resume(true).train().stepsThisRun());
    assertFalse(Files.exists(dir.resolve("run.lock")));

    Files.writeString(dir.resolve("run.lock"), gone.pid() + " another-host 2026-01-01T00:00:00Z\n");
    RunLockedException e = assertThrows(RunLockedException.class,
        () -> Trainer.of(longer, dir, tiles(longer)).resume(true).train());
    assertTrue(e.getMessage().contains("process " + gone.pid() + " on another-host has been writing it since"
        + " 2026-01-01T00:00:00Z"), e.getMessage());
  }

  @Test
  void anOutputFolderThatCannotBeWrittenIsRefusedBeforeAnythingIsLoaded() throws IOException {
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    IllegalArgumentException isFile = assertThrows(IllegalArgumentException.class,
        () -> new RunDirectory(file).checkCanStart());
    assertEquals(file + " is a file, not a folder; a run needs a folder of its own", isFile.getMessage());
    // Even root cannot create a folder under a regular file.
    IllegalArgumentException under = assertThrows(IllegalArgumentException.class,
        () -> new RunDirectory(file.resolve("run")).checkCanStart());
    assertEquals("cannot create " + file.resolve("run") + ": " + file + " is a file, not a folder",
        under.getMessage());
    if (Files.isDirectory(Path.of("/proc/self"))) {
      RunWriteException proc = assertThrows(RunWriteException.class,
          () -> new RunDirectory(Path.of("/proc/self/run")).checkCanStart());
      assertTrue(proc.getMessage().startsWith("cannot write in /proc/self (to create /proc/self/run): "),
          proc.getMessage());
      assertTrue(proc.getMessage().endsWith("; choose a folder that can be written"), proc.getMessage());
    }
    Recipe recipe = TinyRecipes.tinyAdam(2, 2);
    Trainer.of(recipe, dir.resolve("run"), tiles(recipe)).train();
    IllegalArgumentException held = assertThrows(IllegalArgumentException.class,
        () -> new RunDirectory(dir.resolve("run")).checkCanStart());
    assertTrue(held.getMessage().endsWith("already holds a run; continue it (resume) or choose another folder for"
        + " the new run"), held.getMessage());
    new RunDirectory(dir.resolve("run")).checkCanResume();
    new RunDirectory(dir.resolve("new/deeper")).checkCanStart();
    assertFalse(Files.exists(dir.resolve("new")), "checking creates nothing");
  }

  @Test
  void aFullDiskDuringACheckpointSaysWhatAndWhereAndKeepsTheEarlierOne() throws IOException {
    Recipe recipe = TinyRecipes.tinyAdam(4, 2);
    int[] saves = {0};
    RunWriteException e = assertThrows(RunWriteException.class, () -> Trainer.of(recipe, dir, tiles(recipe))
        .checkpointWriter((session, prefix) -> {
          if (++saves[0] == 2) {
            throw new TFResourceExhaustedException("/x/model.data-00000-of-00001.tempstate1; No space left on device"
                + "\n\tHint: If you want to see a list of allocated tensors when OOM happens, add report_tensor_allocations"
                + "_upon_oom to RunOptions");
          }
          session.save(prefix);
        }).train());
    Path temp = dir.resolve("checkpoints/.tmp-ckpt-000000004");
    assertTrue(e.getMessage().startsWith("cannot write the checkpoint of step 4 into " + temp + ": TensorFlow ran out"
        + " of room writing it (/x/model.data-00000-of-00001.tempstate1; No space left on device) ("),
        e.getMessage());
    assertTrue(e.getMessage().endsWith(" MB free on its disk); the earlier checkpoints in " + dir.resolve("checkpoints")
        + " are intact"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line, without TensorFlow's hint");
    assertEquals(temp, e.file());
    assertFalse(Files.exists(temp), "the failed save's room is freed");
    assertEquals(2, new RunDirectory(dir).checkpoints().latest(new ArrayList<>()).orElseThrow().step());
    assertFalse(Files.exists(dir.resolve("run.lock")), "a failed run releases its lock");
  }

  @Test
  void aBadMetaJsonIsOneLineNamingTheFile() throws IOException {
    Recipe recipe = TinyRecipes.tinyAdam(2, 2);
    Trainer.of(recipe, dir, tiles(recipe)).train();
    Path folder = dir.resolve("checkpoints/ckpt-000000002");
    Files.writeString(folder.resolve("meta.json"), "{\n  \"step\": 2,\n  \"loss\": oops\n}");
    CheckpointException bad = assertThrows(CheckpointException.class, () -> Checkpoints.read(folder));
    assertTrue(bad.getMessage().startsWith("checkpoint " + folder + ": " + folder.resolve("meta.json")
        + " is not valid JSON at line 3, column "), bad.getMessage());
    assertTrue(bad.getMessage().endsWith("); the checkpoint is damaged"), bad.getMessage());
    assertFalse(bad.getMessage().contains("\n"), bad.getMessage());

    Files.writeString(folder.resolve("meta.json"), "{\"step\": 2, \"loss\": 0.5, \"variables\": {}}");
    CheckpointException lacking = assertThrows(CheckpointException.class, () -> Checkpoints.read(folder));
    assertEquals("checkpoint " + folder + ": meta.json lacks the field \"sha256\"; the checkpoint is damaged",
        lacking.getMessage());
  }

  @Test
  void theLossPlotIsEncodedInsideTheRunNotInTheSystemTemporaryFolder() throws IOException {
    // ImageIO's cache folder points at a folder that no longer exists: an encoder that buffers
    // through a cache file there fails, one writing straight into the run does not.
    Path cache = Files.createDirectory(dir.resolve("cache"));
    boolean useCache = ImageIO.getUseCache();
    java.io.File cacheDirectory = ImageIO.getCacheDirectory();
    ImageIO.setUseCache(true);
    ImageIO.setCacheDirectory(cache.toFile());
    Files.delete(cache);
    try {
      Path png = dir.resolve("loss.png");
      LossCurve.write(java.util.List.of(new MetricsLog.Row(0, 1.0, 0.1, 0.5, Double.NaN),
          new MetricsLog.Row(1, 0.5, 0.1, 1.0, Double.NaN)), png, "t");
      assertTrue(Files.size(png) > 1000);
      assertFalse(Files.exists(dir.resolve(".tmp-loss.png")));
    } finally {
      ImageIO.setUseCache(useCache);
      ImageIO.setCacheDirectory(cacheDirectory);
    }
  }
}
