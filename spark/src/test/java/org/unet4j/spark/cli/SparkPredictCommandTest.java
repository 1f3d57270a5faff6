package org.unet4j.spark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unet4j.cli.Unet4j;
import org.unet4j.recipes.data.ImageIo;
import org.unet4j.recipes.data.PixelType;
import org.unet4j.spark.TinyRun;

class SparkPredictCommandTest {
  @TempDir Path dir;

  private record Run(int status, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = Unet4j.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(status, out.toString(), err.toString());
  }

  private Path image() {
    Path image = dir.resolve("cells.png");
    ImageIo.writePng(image, TinyRun.discs(40, 30, PixelType.UINT8, 1));
    return image;
  }

  private static void assertNoSpark() {
    assertTrue(SparkSession.getDefaultSession().isEmpty() && SparkSession.getActiveSession().isEmpty(),
        "no Spark was started");
  }

  /** A model that is not there fails with one line before Spark starts, and nothing is written. */
  @Test
  void aMissingModelFailsAtOnceWithOneLine() {
    Path missing = dir.resolve("no-such-run");
    Path out = dir.resolve("out");
    Run r = run("spark-predict", "--model", missing.toString(), "--out", out.toString(), image().toString());
    assertEquals(2, r.status());
    assertEquals("unet4j spark-predict: no such model: " + missing + "; give a run directory, a checkpoint folder"
        + " (RUN/checkpoints/ckpt-NNNNNNNNN) or a model export (unet4j export)\n", r.err());
    assertEquals("", r.out());
    assertFalse(Files.exists(out));
    assertNoSpark();
  }

  /** A run whose recipe is missing or broken, and a tile the net cannot take, fail the same way. */
  @Test
  void aMissingOrBrokenRecipeAndABadTileFailAtOnce() throws IOException {
    Path run = dir.resolve("run");
    Files.createDirectories(run.resolve("checkpoints"));
    Run noRecipe = run("spark-predict", "--model", run.toString(), "--out", dir.resolve("o").toString(),
        image().toString());
    assertEquals(2, noRecipe.status());
    assertEquals("unet4j spark-predict: " + run + " is not a model: it is neither a run directory (no recipe.json),"
        + " a checkpoint folder (no meta.json) nor a model export (no saved_model.pb)\n", noRecipe.err());

    Files.writeString(run.resolve("recipe.json"), "{\"format\": \"unet4j-recipe\"}");
    Run broken = run("spark-predict", "--model", run.toString(), "--out", dir.resolve("o").toString(),
        image().toString());
    assertEquals(2, broken.status());
    assertTrue(broken.err().startsWith("unet4j spark-predict: the run's recipe " + run.toAbsolutePath()
        .resolve("recipe.json") + " is not valid: "), broken.err());
    assertEquals(1, broken.err().lines().count());

    Run tile = run("spark-predict", "--model", TinyRun.run().toString(), "--tile", "61", "--out",
        dir.resolve("o").toString(), image().toString());
    assertEquals(2, tile.status());
    assertTrue(tile.err().startsWith("unet4j spark-predict: tile 61 does not fit the model: "), tile.err());
    assertTrue(tile.err().endsWith("valid near it: 60, 64\n"), tile.err());

    Run labels = run("spark-predict", "--model", TinyRun.run().toString(), "--truth", dir.toString(), "--labels",
        "colour-components", "--out", dir.resolve("o").toString(), image().toString());
    assertEquals(2, labels.status());
    assertEquals("unet4j spark-predict: --labels colour-components: unknown label format (did you mean"
        + " color-components?); known: cells-above-zero, instance, color-components, binary, isbi-membrane, index,"
        + " class-colors, three-class\n",
        labels.err());

    Run perClass = run("spark-predict", "--model", TinyRun.run().toString(), "--instances-per-class", "--out",
        dir.resolve("o").toString(), image().toString());
    assertEquals(2, perClass.status());
    assertTrue(perClass.err().startsWith("unet4j spark-predict: inference.instancesPerClass: the model of "),
        perClass.err());
    assertTrue(perClass.err().contains(" has 2 classes, but instances per class need a net of 3 or more"),
        perClass.err());

    Run nothing = run("spark-predict", "--model", TinyRun.run().toString(), "--out", dir.resolve("o").toString(),
        dir.resolve("nothing/*.tif").toString());
    assertEquals(2, nothing.status());
    assertTrue(nothing.err().startsWith("unet4j spark-predict: IMAGES: the folder of "), nothing.err());
    assertFalse(Files.exists(dir.resolve("o")));
    assertNoSpark();
  }

  /**
   * The command end to end on local[2] with test-time augmentation: the images unet4j predict
   * writes, a failed row for a damaged image, exit status 1 and the summary.
   */
  @Test
  void theCommandPredictsReportsFailuresAndExitsWithOne() throws IOException {
    Path in = Files.createDirectories(dir.resolve("in"));
    ImageIo.writePng(in.resolve("one.png"), TinyRun.discs(53, 38, PixelType.UINT8, 11));
    ImageIo.writeTiff(in.resolve("two.tif"), TinyRun.discs(61, 29, PixelType.UINT16, 12));
    Files.writeString(in.resolve("bad.tif"), "");
    Path out = dir.resolve("out");
    Run r = run("spark-predict", "--model", TinyRun.run().toString(), "--out", out.toString(), "--master", "local[2]",
        "--tta", "mirrors", "--measurements", in.toString());
    assertEquals(1, r.status(), r.err());
    assertTrue(r.out().contains("tiles   60 -> 20, step 20, mirrored context 20 px; tta mirrors; threshold 0.5"),
        r.out());
    assertTrue(r.out().contains("spark   local[2], 2 task slots"), r.out());
    assertTrue(r.out().contains("predicted 2, skipped 0, failed 1 of 3 images in "), r.out());
    assertTrue(r.out().contains("table   " + out.toAbsolutePath().resolve("predictions.csv")), r.out());
    assertTrue(r.err().contains("unet4j spark-predict: 3 images: 2 to predict in "), r.err());
    assertTrue(r.err().contains(" 0 skipped (outputs complete), 1 unreadable\n"), r.err());
    assertTrue(r.err().contains("unet4j spark-predict: bad failed: " + in.resolve("bad.tif").toAbsolutePath()
        + ": is empty (0 bytes)\n"), r.err());
    assertTrue(r.err().contains("unet4j spark-predict: 2/2 images"), r.err());
    assertNoSpark();

    Path single = dir.resolve("single");
    StringWriter err = new StringWriter();
    assertEquals(0, Unet4j.run(new String[] {"predict", "--model", TinyRun.run().toString(), "--out",
        single.toString(), "--tta", "mirrors", "--measurements", in.resolve("one.png").toString(), in.resolve("two.tif").toString()},
        new PrintWriter(new StringWriter()), new PrintWriter(err)), err.toString());
    List<String> names = new ArrayList<>();
    for (String stem : List.of("one", "two")) {
      for (String suffix : List.of("_prob.tif", "_labels.tif", "_overlay.png", "_objects.csv")) {
        names.add(stem + suffix);
      }
    }
    for (String name : names) {
      assertEquals(-1, Files.mismatch(single.resolve(name), out.resolve(name)), name);
    }

  }
}
