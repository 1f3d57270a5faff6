package org.unet4j.recipes.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableList;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Session;
import org.unet4j.dsl.InvalidInputException;
import org.unet4j.dsl.model.UNet;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.dsl.recipe.Recipes;
import org.unet4j.layers.CompiledModel;
import org.unet4j.layers.ModelCompiler;
import org.unet4j.layers.Sessions;

/**
 * The bench's whole-image phase (unet4j issue 18): which tile it predicts the image with, the
 * figures it derives, and one quick run of it; never the times' values. The quick net (depth 2,
 * two 3x3 convolutions a stage) gives output n - 40 for inputs n that are multiples of 4, period 4
 * (see CoveringTileTest): its inference tile 92 gives 52 pixels a tile, step 52.
 */
class WholeImageTest {
  private static final Recipe QUICK = BenchOptions.quickRecipe();

  @TempDir Path dir;

  @Test
  void theImageGoesThroughTheRecipesInferenceTile() {
    BenchOptions quick = BenchOptions.quick(QUICK, 92, 1);
    assertEquals(100, quick.imageSide());
    assertEquals(92, quick.imageTile());
    // ceil(100 / 52) = 2 tiles along each side.
    assertEquals(4, quick.imageTiling().tileCount(100, 100));

    Recipe paper = Recipes.load("paper/isbi2012");
    BenchOptions full = BenchOptions.full(paper, 572, 0);
    assertEquals(512, full.imageSide());
    // The paper's ISBI 2012 recipe predicts with one tile of 700 (output 516, step 512).
    assertEquals(700, full.imageTile());
    assertEquals(1, full.imageTiling().tileCount(512, 512));
  }

  /** A recipe that says nothing about inference takes the format's default tile, 572 (output 532, step 532). */
  @Test
  void aRecipeWithoutInferenceSettingsHasTheDefaultTile() {
    Recipe bare = Recipe.builder("bare").model(UNet.builder().depth(2).baseFilters(4).build())
        .training(t -> t.tile(92)).build();
    BenchOptions options = BenchOptions.quick(bare, 92, 1);
    assertEquals(572, options.imageTile());
    assertEquals(1, options.imageTiling().tileCount(100, 100));
    // Asked for the covering tile instead: the smallest with a step of 100 or more is 140 (output 100).
    assertEquals(140, options.withImage(100, BenchOptions.COVERING_TILE).imageTiling().tile());
  }

  @Test
  void aBadImageOrTileIsRefusedSayingWhatWouldDo() {
    BenchOptions quick = BenchOptions.quick(QUICK, 92, 1);
    InvalidInputException side = assertThrows(InvalidInputException.class, () -> quick.withImage(0, 92));
    assertEquals("an image of 0x0 pixels: give a positive side", side.getMessage());
    InvalidInputException tile = assertThrows(InvalidInputException.class, () -> quick.withImage(100, 94));
    assertTrue(tile.getMessage().startsWith("tile 94 does not fit bench-quick: "), tile.getMessage());
    assertTrue(tile.getMessage().contains("92, 96"), tile.getMessage());
  }

  /**
   * Hand-made timings: without TTA 100, 300, 200 ms (median 200, CPU mean 400), with the copies
   * 1500 and 1700 (median 1600, CPU mean 3000): ratios 8.0 and 7.5.
   */
  @Test
  void theRatioIsTheDihedralMedianOverTheMedianWithout() throws Exception {
    WholeImageTimes times = new WholeImageTimes(512, 700, 1, 1, 1, timings(812.3, 900), timings(2500, 4000),
        new Timings(new double[] {100, 300, 200}, new double[] {300, 500, 400}), timings(2000, 3600),
        new Timings(new double[] {1500, 1700}, new double[] {2900, 3100}));
    assertEquals(200, times.noneMs());
    assertEquals(1600, times.dihedralMs());
    assertEquals(8.0, times.dihedralRatio(), 1e-12);
    assertEquals(7.5, times.dihedralCpuRatio(), 1e-12);

    ObjectNode json = new ObjectMapper().createObjectNode();
    times.putHeadline(json);
    assertEquals(List.of("imageSize", "imageTile", "imageMs", "imageDihedralMs", "dihedralRatio", "modelLoadMs"),
        ImmutableList.copyOf(json.fieldNames()));
    assertEquals("512x512", json.get("imageSize").asText());
    assertEquals(700, json.get("imageTile").asInt());
    assertEquals(8.0, json.get("dihedralRatio").asDouble());
    assertEquals(812.3, json.get("modelLoadMs").asDouble());
    times.putDetails(json);
    assertEquals("[100.0,300.0,200.0]", json.get("imageRunsMs").toString());
    assertEquals(2500, json.get("imageFirstMs").asDouble());
    assertEquals(7.5, json.get("dihedralCpuRatio").asDouble());

    StringWriter table = new StringWriter();
    times.printRows(new PrintWriter(table));
    assertTrue(table.toString().contains("image 512x512"), table.toString());
    assertTrue(table.toString().contains("1 tile(s) of 700, no TTA"), table.toString());
    assertTrue(table.toString().contains("first 2500 ms; target <= 2000 ms"), table.toString());
    assertTrue(table.toString().contains("first 2000 ms; ratio 8.00 (target <= 8.40), 7.50 in CPU time"),
        table.toString());
  }

  /** One quick run: an odd 77x77 image through the smallest tile that covers it, 120 (output 80). */
  @Test
  void measuresOneImageWithoutAndWithTheCopies() {
    BenchOptions options = BenchOptions.quick(QUICK, 92, 1).withImage(77, BenchOptions.COVERING_TILE);
    try (CompiledModel model = ModelCompiler.compileForInference(QUICK.model(), 92, QUICK.training().seed());
        Session session = Sessions.open(model.graph(), 1)) {
      session.initialize();
      Benchmark.writeRun(dir, QUICK, session, model);
    }
    StringWriter progress = new StringWriter();
    WholeImageTimes times = Benchmark.wholeImage(options, dir, new PrintWriter(progress));
    assertEquals(77, times.side());
    assertEquals(120, times.tile());
    assertEquals(1, times.tiles());
    assertEquals(3, times.none().millis().length);
    assertEquals(2, times.dihedral().millis().length);
    assertEquals(times.dihedral().median() / times.none().median(), times.dihedralRatio(), 1e-12);
    assertTrue(times.load().median() > 0 && times.noneMs() > 0 && times.dihedralMs() > 0, times.toString());
    assertTrue(progress.toString().contains("bench: predicting a 77x77 image whole: 1 tile(s) of 120, no TTA"),
        progress.toString());
    assertTrue(progress.toString().contains("bench: dihedral: median"), progress.toString());
  }

  private static Timings timings(double millis, double cpuMillis) {
    return new Timings(new double[] {millis}, new double[] {cpuMillis});
  }
}
