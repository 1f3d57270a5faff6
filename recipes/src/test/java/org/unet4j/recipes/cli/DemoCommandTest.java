package org.unet4j.recipes.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo on the bundled nuclei images, with two training steps so that it runs in seconds. */
class DemoCommandTest {
  @TempDir Path dir;

  @Test
  void trainsPredictsAndEvaluatesTheHeldOutImages() throws Exception {
    String home = System.getProperty(RecipeArgument.HOME);
    // The module's folder is recipes/; the bundled data lies beside it in the project.
    System.setProperty(RecipeArgument.HOME, Path.of("").toAbsolutePath().getParent().toString());
    try {
      CliRun run = CliRun.of("demo", "--out", dir.toString(), "--steps", "2");
      assertEquals(0, run.status(), run.err());
      assertTrue(run.out().contains("$ unet4j train nuclei-demo"), run.out());
      assertTrue(run.out().contains("predicted 10 images"), run.out());
      JsonNode scores = new ObjectMapper().readTree(dir.resolve("scores.json").toFile());
      assertEquals(10, scores.get("images").size());
      for (String key : new String[] {"pixelError", "randError", "warpingError", "vRand", "vInfo", "iou", "dice",
          "objectF1"}) {
        assertTrue(scores.get("mean").has(key), key);
      }
      assertTrue(Files.isRegularFile(dir.resolve("run/loss.png")));
      try (var overlays = Files.list(dir.resolve("predictions"))) {
        assertEquals(10, overlays.filter(p -> p.toString().endsWith("_overlay.png")).count());
      }
    } finally {
      if (home == null) {
        System.clearProperty(RecipeArgument.HOME);
      } else {
        System.setProperty(RecipeArgument.HOME, home);
      }
    }
  }

  @Test
  void zeroStepsAreRefused() {
    CliRun run = CliRun.of("demo", "--out", dir.toString(), "--steps", "0");
    assertEquals(Unet4j.USAGE, run.status());
    assertEquals("unet4j demo: --steps 0: train at least 1 step", run.err().strip());
  }
}
