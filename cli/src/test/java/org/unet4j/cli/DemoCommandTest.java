package org.unet4j.cli;

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

  /**
   * A reference measurement of Otsu's threshold plus connected components on these 10 held-out
   * BBBC039 images, made with another implementation: foreground IoU 0.908, object F1 0.744.
   */
  private static final double OTSU_IOU = 0.908;
  private static final double OTSU_F1 = 0.744;

  /** The Otsu column of the demo's score table, row {@code label}. */
  private static double otsu(String out, String label) {
    String line = out.lines().filter(l -> l.startsWith(label)).findFirst().orElseThrow();
    String[] columns = line.trim().split(" +");
    return Double.parseDouble(columns[columns.length - 1]);
  }

  @Test
  void trainsPredictsAndEvaluatesTheHeldOutImages() throws Exception {
    String home = System.getProperty(RecipeArgument.HOME);
    // The module's folder is cli/; the bundled data lies beside it in the project.
    System.setProperty(RecipeArgument.HOME, Path.of("").toAbsolutePath().getParent().toString());
    try {
      CliRun run = CliRun.of("demo", "--out", dir.toString(), "--steps", "2");
      assertEquals(0, run.status(), run.err());
      assertTrue(run.out().startsWith("training nuclei-demo for 2 steps into " + dir.resolve("run")), run.out());
      assertTrue(run.out().contains("trained 2 steps in "), run.out());
      JsonNode scores = new ObjectMapper().readTree(dir.resolve("scores.json").toFile());
      assertEquals(10, scores.get("images").size());
      for (String key : new String[] {"pixelError", "randError", "warpingError", "vRand", "vInfo", "iou", "dice",
          "objectF1"}) {
        assertTrue(scores.get("mean").has(key), key);
      }
      assertTrue(Files.isRegularFile(dir.resolve("run/loss.png")));
      assertTrue(run.out().contains("held-out mean              unet4j       Otsu"), run.out());
      // The baseline does not depend on the net: Otsu plus components on these 10 images scores
      // near the reference measurement of the same method (another implementation, 8-connected).
      assertEquals(OTSU_IOU, otsu(run.out(), "foreground IoU"), 0.01, run.out());
      assertEquals(OTSU_F1, otsu(run.out(), "object F1 at IoU 0.5"), 0.05, run.out());
      String summary = Files.readString(dir.resolve("summary.md"));
      assertTrue(summary.startsWith("# unet4j demo: nuclei-demo on BBBC039\n"), summary);
      assertTrue(summary.contains("| foreground IoU | "), summary);
      assertEquals(10, summary.lines().filter(l -> l.startsWith("| [IXMtest_")).count(), summary);
      java.awt.image.BufferedImage picture = javax.imageio.ImageIO.read(dir.resolve("summary.png").toFile());
      assertEquals(1500, picture.getWidth());
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
