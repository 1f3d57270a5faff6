package org.unet4j.cli;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unet4j.dsl.model.ModelSpec;
import org.unet4j.dsl.model.UNet;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.dsl.recipe.Recipes;

class InspectCommandTest {
  @TempDir Path dir;

  @Test
  void paperRecipeShowsLayersTotalsAndValidTiles() {
    CliRun run = CliRun.of("inspect", "paper/isbi2012");
    assertEquals(0, run.status(), run.err());
    String out = run.out();
    assertAll(
        // 572 - 2 = 570 after the first unpadded 3x3 conv; 3*3*1*64 + 64 = 640 parameters.
        () -> assertTrue(out.matches("(?s).*contracting/0/conv1\\s+conv 3x3\\s+570x570x64\\s+640\\s.*"), out),
        // 28x28x1024 doubled by the up-conv, 2*2*1024*512 + 512 = 2,097,664 parameters.
        () -> assertTrue(out.matches("(?s).*expanding/0/upconv\\s+up-conv\\s+56x56x512\\s+2,097,664\\s.*"), out),
        () -> assertTrue(out.contains("head") && out.contains("388x388x2"), out),
        () -> assertTrue(out.contains("Parameters       31,030,658"), out),
        () -> assertTrue(out.contains("300.857 GFLOP at tile 572"), out),
        () -> assertTrue(out.contains("572 -> 388 (margin 92 px per side"), out),
        // Input 16b + 124 is valid: b = 25..31 around 572 = 16*28 + 124.
        () -> assertTrue(out.contains("Valid tiles      524, 540, 556, [572], 588, 604, 620"), out),
        () -> assertTrue(out.contains("23 convolution layers"), out));
  }

  /**
   * The 3D U-Net (Cicek et al. 2016) at tile 132: isotropic, so the volume is 132 along z too.
   * 132 - 2 = 130 after the first 3x3x3 conv; 27*1*32 weights + batch norm's 2*32 = 928 parameters.
   */
  @Test
  void a3dRecipeShowsShapesZFirst() throws IOException {
    Recipe cicek = Recipes.load("nuclei-demo").toBuilder().name("cicek").model(UNet.cicek())
        .training(Recipes.load("nuclei-demo").training().toBuilder().tile(132).build())
        .inference(Recipes.load("nuclei-demo").inference().toBuilder().tile(132).build()).build();
    Path file = dir.resolve("cicek.json");
    Files.writeString(file, Recipes.toJson(cicek));
    CliRun run = CliRun.of("inspect", file.toString());
    assertEquals(0, run.status(), run.err());
    String out = run.out();
    assertAll(
        () -> assertTrue(out.contains("3D (z, y, x), depth 3"), out),
        () -> assertTrue(out.contains("max pooling 2x2x2, 2x2x2, 2x2x2"), out),
        () -> assertTrue(out.matches("(?s).*contracting/0/conv1\\s+conv 3x3x3\\s+130x130x130x32\\s+928\\s.*"), out),
        () -> assertTrue(out.contains("Parameters       19,071,459"), out),
        () -> assertTrue(out.contains("132x132x132 -> 44x44x44 (margin 44x44x44 voxels"), out),
        () -> assertTrue(out.contains("Valid z sizes"), out));
  }

  /**
   * Block kinds, depth 1 with 2 base filters at tile 18 (as the plain net: 16, 14 | 7 -> 5, 3 | 6
   * -> 4, 2): the projected shortcuts (1 -> 2 channels: 1*2 + 2; the concat's 4 -> 2: 4*2 + 2),
   * the 2x2 down-sampling convolution (2*2*2*2 + 2), the gate (the bottleneck's 4 channels to 1:
   * 4 + 1, on the 3x3 grid) and the attention (W_x 2*1, psi 1 and its bias).
   */
  @Test
  void blockKindsShowAsLayersOfTheirOwn() throws IOException {
    String out = inspect("blocks", UNet.builder().depth(1).baseFilters(2).residual().attentionSkips()
        .pooling(org.unet4j.dsl.model.PoolingKind.STRIDED_CONV, 2).build(), 18);
    assertAll(
        () -> assertTrue(out.matches("(?s).*contracting/0/shortcut\\s+shortcut\\s+14x14x2\\s+4\\s.*"), out),
        () -> assertTrue(out.matches("(?s).*contracting/0/pool\\s+down-conv\\s+7x7x2\\s+18\\s.*"), out),
        () -> assertTrue(out.matches("(?s).*expanding/0/gate\\s+gate\\s+3x3x1\\s+5\\s.*"), out),
        () -> assertTrue(out.matches("(?s).*expanding/0/attention\\s+attention\\s+6x6x2\\s+4\\s.*"), out),
        () -> assertTrue(out.matches("(?s).*expanding/0/shortcut\\s+shortcut\\s+2x2x2\\s+10\\s.*"), out),
        () -> assertTrue(out.contains("strided-conv pooling"), out),
        () -> assertTrue(out.contains("Parameters       487"), out));
  }

  /*
   * Depth 1, 2 base filters, bilinear upsampling at tile 22 (worked in the dsl module's CountsTest):
   * the bottleneck's 5x5x4 map is upsampled to the 8 pixels between coarse centres, without
   * weights, and convolved by a 3x3 kernel to 6x6x2 (9*4*2 + 2 = 74 parameters).
   */
  @Test
  void bilinearUpsamplingShowsItsTwoLayers() throws IOException {
    String out = inspect("bilinear", UNet.builder().depth(1).baseFilters(2).bilinearUpsampling().build(), 22);
    assertAll(
        () -> assertTrue(out.matches("(?s).*expanding/0/upsample\\s+upsample\\s+8x8x4\\s+-\\s.*"), out),
        () -> assertTrue(out.matches("(?s).*expanding/0/upconv\\s+conv 3x3\\s+6x6x2\\s+74\\s.*"), out),
        () -> assertTrue(out.contains("Parameters       474"), out));
  }

  /**
   * Per-convolution kernels, depth 1 with 2 base filters at tile 18: a 3x3 then a 5x5 convolution
   * (18, 16, 12 | 6 -> 1x1 6, 3x3 4 | 8 -> 3x3 6, 5x5 2), each row saying its own kernel; the
   * second has 5*5*2*2 + 2 = 102 parameters.
   */
  @Test
  void eachConvolutionShowsItsOwnKernel() throws IOException {
    String out = inspect("kernels", UNet.builder().baseFilters(2)
        .contracting(c -> c.stage(2, s -> s.conv(3).conv(5))).bottleneck(4, s -> s.conv(1).conv(3)).build(), 18);
    assertAll(
        () -> assertTrue(out.matches("(?s).*contracting/0/conv1\\s+conv 3x3\\s+16x16x2\\s+20\\s.*"), out),
        () -> assertTrue(out.matches("(?s).*contracting/0/conv2\\s+conv 5x5\\s+12x12x2\\s+102\\s.*"), out),
        () -> assertTrue(out.matches("(?s).*bottleneck/conv1\\s+conv 1x1\\s+6x6x4\\s+12\\s.*"), out),
        () -> assertTrue(out.matches("(?s).*expanding/0/conv2\\s+conv 5x5\\s+2x2x2\\s+102\\s.*"), out),
        () -> assertTrue(out.contains("18 -> 2 (margin 8 px per side"), out));
  }

  /** What {@code unet4j inspect} prints for the nuclei demo recipe with {@code model}, trained and predicted at {@code tile}. */
  private String inspect(String name, ModelSpec model, int tile) throws IOException {
    Recipe demo = Recipes.load("nuclei-demo");
    Recipe recipe = demo.toBuilder().name(name).model(model)
        .training(demo.training().toBuilder().tile(tile).build())
        .inference(demo.inference().toBuilder().tile(tile).build()).build();
    Path file = dir.resolve(name + ".json");
    Files.writeString(file, Recipes.toJson(recipe));
    CliRun run = CliRun.of("inspect", file.toString());
    assertEquals(0, run.status(), run.err());
    return run.out();
  }

  @Test
  void invalidTileNamesTheStageAndTheNearestValidSizes() {
    CliRun run = CliRun.of("inspect", "paper/isbi2012", "--tile", "512");
    assertEquals(Unet4j.USAGE, run.status());
    assertTrue(run.err().contains("tile 512 does not fit paper/isbi2012"), run.err());
    // 512 -> 508 -> 254 -> 250 -> 125: the pooling after contracting stage 1 sees an even 250,
    // but stage 2 gets 125 - 4 = 121, which cannot be halved.
    assertTrue(run.err().contains("contracting[2].pool"), run.err());
    assertTrue(run.err().contains("valid near it: 508, 524"), run.err());
    assertFalse(run.err().contains("\tat "), "no stack trace without --verbose: " + run.err());
    assertEquals("", run.out());
  }

  @Test
  void validTileGivesItsOutputSize() {
    CliRun run = CliRun.of("inspect", "paper/isbi2012", "--tile", "508");
    assertEquals(0, run.status(), run.err());
    assertTrue(run.out().contains("508 -> 324"), run.out());
    assertTrue(run.out().contains("[508]"), run.out());
  }

  @Test
  void jsonPrintsTheResolvedRecipeAndFeedingItBackGivesTheSameOutput() throws IOException {
    CliRun json = CliRun.of("inspect", "nuclei-demo", "--json");
    assertEquals(0, json.status(), json.err());
    assertEquals(Recipes.toJson(Recipes.load("nuclei-demo")), json.out());
    Path file = dir.resolve("demo.json");
    Files.writeString(file, json.out());
    assertEquals(CliRun.of("inspect", "nuclei-demo").out(), CliRun.of("inspect", file.toString()).out());
    assertEquals(json.out(), CliRun.of("inspect", file.toString(), "--json").out());
  }

  @Test
  void badRecipeFileGivesThePathPointingMessageWithoutStackTrace() throws IOException {
    String text = Recipes.toJson(Recipes.load("nuclei-demo")).replaceFirst("\"filters\"", "\"filtres\"");
    Path file = dir.resolve("bad.json");
    Files.writeString(file, text);
    CliRun run = CliRun.of("inspect", file.toString());
    assertEquals(Unet4j.USAGE, run.status());
    assertTrue(run.err().contains("model.contracting[0].filtres: unknown field; did you mean \"filters\"?"),
        run.err());
    assertFalse(run.err().contains("\tat "), run.err());

    CliRun verbose = CliRun.of("inspect", file.toString(), "--verbose");
    assertEquals(Unet4j.USAGE, verbose.status());
    assertTrue(verbose.err().contains("\tat org.unet4j"), "--verbose shows the stack trace: " + verbose.err());
  }

  @Test
  void unknownRecipeNameListsTheBundledOnes() {
    CliRun run = CliRun.of("inspect", "nuclei-dmeo");
    assertEquals(Unet4j.USAGE, run.status());
    assertTrue(run.err().contains("did you mean \"nuclei-demo\"?"), run.err());
    assertTrue(run.err().contains("nuclei-demo, nuclei-3class, paper/isbi2012"), run.err());
  }

  @Test
  void missingJsonFileIsNamed() {
    CliRun run = CliRun.of("inspect", dir.resolve("nothing.json").toString());
    assertEquals(Unet4j.USAGE, run.status());
    assertTrue(run.err().contains("nothing.json does not exist"), run.err());
  }

  @Test
  void nonPositiveTileIsRefused() {
    CliRun run = CliRun.of("inspect", "nuclei-demo", "--tile", "0");
    assertEquals(Unet4j.USAGE, run.status());
    assertTrue(run.err().contains("valid near it: 92"), run.err());
  }
}
