package org.unet4j.recipes.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Session;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.layers.CompiledModel;
import org.unet4j.layers.ModelCompiler;
import org.unet4j.recipes.model.Checkpoint;
import org.unet4j.recipes.model.Checkpoints;
import org.unet4j.recipes.model.RunDirectory;

/**
 * Kills a training process (SIGKILL, no shutdown hooks) while it writes a checkpoint after every
 * step, then checks that the newest complete checkpoint verifies and restores, and that the run
 * resumes from it.
 */
class KillDuringCheckpointTest {
  @TempDir Path dir;

  @Test
  void aKillAtAnyMomentLeavesARestorableCheckpoint() throws Exception {
    SplittableRandom random = new SplittableRandom(11);
    Path checkpoints = dir.resolve("checkpoints");
    for (int round = 0; round < 3; round++) {
      Process child = start(round > 0);
      try {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        int before = newestStep(checkpoints);
        while (newestStep(checkpoints) < before + 3 && child.isAlive() && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        if (!child.isAlive()) {
          throw new AssertionError("the training process ended early: "
              + new String(child.getInputStream().readAllBytes()));
        }
        // Somewhere inside the next checkpoint's write: saves take tens of milliseconds here.
        Thread.sleep(random.nextInt(60));
      } finally {
        child.destroyForcibly();
        child.waitFor(30, TimeUnit.SECONDS);
      }
      List<String> skipped = new ArrayList<>();
      Checkpoint latest = new Checkpoints(checkpoints, RunDirectory.KEEP_CHECKPOINTS).latest(skipped).orElseThrow();
      assertEquals(List.of(), skipped, "no complete checkpoint may be damaged");
      Recipe recipe = TinyRecipes.tinyAdam(100_000, 1);
      try (CompiledModel model = ModelCompiler.compile(recipe.model(), TinyRecipes.TILE, 1);
          Session session = new Session(model.graph())) {
        Checkpoints.restore(session, model, latest);
      }
    }
  }

  private Process start(boolean resume) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), TrainingChild.class.getName(), dir.toString()));
    if (resume) {
      command.add("--resume");
    }
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    return builder.start();
  }

  /** The step of the newest checkpoint folder, complete or not yet pruned. */
  private static int newestStep(Path checkpoints) throws IOException {
    if (!Files.isDirectory(checkpoints)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(checkpoints)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("ckpt-"))
          .mapToInt(n -> Integer.parseInt(n.substring(5))).max().orElse(0);
    }
  }
}
