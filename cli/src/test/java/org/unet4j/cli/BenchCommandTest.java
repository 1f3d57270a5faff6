package org.unet4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.collect.ImmutableList;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unet4j.dsl.model.UNet;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.dsl.recipe.Recipes;
import org.unet4j.layers.WinogradOps;

/** {@code unet4j bench}: the quick run writes every figure; bad options are one-line errors. Never the numbers. */
class BenchCommandTest {
  /** The keys unet4j issue 8 names, which the JSON must hold at its top level. */
  private static final List<String> KEYS = List.of("matmulGflops", "forwardGflop", "forwardMs", "forwardRatio",
      "trainStepMs", "trainRatio", "tiledMs", "tiles", "tiledOverhead", "peakRssMb", "rssGrowthMb", "threads",
      "tensorflowVersion", "cpu");

  @TempDir Path dir;

  @Test
  void quickRunWritesEveryKey() throws Exception {
    Path json = dir.resolve("bench.json");
    CliRun run = CliRun.of("bench", "--quick", "--json", json.toString());
    assertEquals(0, run.status(), run.err());
    JsonNode root = new ObjectMapper().readTree(Files.readString(json));
    for (String key : KEYS) {
      assertTrue(root.has(key), "missing " + key + " in " + root);
    }
    for (String key : List.of("matmulGflops", "forwardGflop", "forwardMs", "forwardRatio", "trainStepMs",
        "trainRatio", "tiledMs", "tiledOverhead", "peakRssMb", "threads", "augmentMsPerTile")) {
      assertTrue(root.get(key).isNumber(), key + " is not a number: " + root.get(key));
      double value = root.get(key).asDouble();
      assertTrue(Double.isFinite(value) && value > 0, key + " = " + value);
    }
    // A 512x512 image with the quick net's 52-pixel output tiles: ceil(512 / 52)^2 tiles.
    assertEquals(10 * 10, root.get("tiles").asLong());
    assertEquals(1, root.get("batch").asInt());
    assertTrue(root.get("rssGrowthMb").isIntegralNumber(), root.toString());
    assertTrue(root.get("allocatedBytesPerStep").asLong() >= 0, root.toString());
    assertTrue(root.get("trainLossFinite").asBoolean(), root.toString());
    assertFalse(root.get("tensorflowVersion").asText().isBlank());
    assertTrue(root.get("cpu").asText().matches(".+, \\d+ cores?"), root.get("cpu").asText());
    // The depth-2 quick net: two convolutions per stage and the bottleneck, an up-convolution per expanding stage, the head.
    JsonNode forms = root.get("convolutionForms");
    assertEquals(List.of("contracting/0/conv1", "contracting/0/conv2", "contracting/1/conv1", "contracting/1/conv2",
        "bottleneck/conv1", "bottleneck/conv2", "expanding/0/upconv", "expanding/0/conv1", "expanding/0/conv2",
        "expanding/1/upconv", "expanding/1/conv1", "expanding/1/conv2", "head"), ImmutableList.copyOf(forms.fieldNames()));
    forms.forEach(form -> assertTrue(List.of("conv2d", "matmul", "winograd_2x2", "winograd_4x4")
        .contains(form.asText()), forms.toString()));
    assertTrue(run.out().contains("convolutions: "), run.out());
    assertTrue(run.out().contains("head"), run.out());
    assertTrue(root.get("graphOptimizations").get("devices").toString().contains("CPU"), root.toString());
    assertEquals(WinogradOps.describe(), root.get("graphOptimizations").get("winogradTransforms").asText());
    assertTrue(run.out().contains("training step"), run.out());
    assertTrue(run.out().contains("figures written to " + json), run.out());
    assertTrue(run.err().contains("bench: matmul"), run.err());

    // Issue 18: a 100x100 image whole at the quick recipe's inference tile, 92 (output 52): 2 x 2 tiles.
    assertEquals("100x100", root.get("imageSize").asText());
    assertEquals(92, root.get("imageTile").asInt());
    assertEquals(4, root.get("imageTiles").asLong());
    for (String key : List.of("imageMs", "imageDihedralMs", "dihedralRatio", "modelLoadMs", "imageFirstMs",
        "imageDihedralFirstMs")) {
      assertTrue(root.get(key).isNumber() && root.get(key).asDouble() > 0, key + " = " + root.get(key));
    }
    // The times are rounded to 0.05 ms either way, the ratio to 0.0005.
    double none = root.get("imageMs").asDouble();
    double dihedral = root.get("imageDihedralMs").asDouble();
    assertEquals(dihedral / none, root.get("dihedralRatio").asDouble(),
        dihedral / none * (0.05 / none + 0.05 / dihedral) + 0.0005);
    assertEquals(3, root.get("imageRunsMs").size());
    assertEquals(2, root.get("imageDihedralRunsMs").size());
    assertTrue(run.out().contains("model loading"), run.out());
    assertTrue(run.out().contains("image 100x100"), run.out());
    assertTrue(run.out().contains("dihedral TTA"), run.out());
    assertTrue(run.err().contains("bench: whole image: median"), run.err());
  }

  @Test
  void aBadImageTileNamesTheValidOnes() {
    CliRun run = CliRun.of("bench", "--quick", "--image-tile", "94");
    assertEquals(Unet4j.USAGE, run.status());
    assertTrue(run.err().startsWith("unet4j bench: --image-tile 94: tile 94 does not fit bench-quick: "), run.err());
    assertTrue(run.err().contains("92, 96"), run.err());

    CliRun empty = CliRun.of("bench", "--quick", "--image-size", "0", "--image-tile", "0");
    assertEquals(Unet4j.USAGE, empty.status());
    assertTrue(empty.err().startsWith("unet4j bench: --image-size 0 --image-tile 0: an image of 0x0 pixels: give a"
        + " positive side"), empty.err());
  }

  /**
   * A 3D recipe at the block --tile and --tile-z give: the depth-1 net takes every even size from
   * 18 on along each axis, and gives n - 16 (see VolumeBenchmarkTest).
   */
  @Test
  void aVolumeRecipeIsMeasuredAtTheBlockAsked() throws Exception {
    Path recipe = dir.resolve("tiny-3d.json");
    Files.writeString(recipe, Recipes.toJson(Recipe.builder("tiny-3d")
        .model(UNet.builder().dimensions(3).depth(1).baseFilters(2).build())
        .training(t -> t.tile(20)).inference(i -> i.tile(20)).build()));
    Path json = dir.resolve("bench-3d.json");
    CliRun run = CliRun.of("bench", "--quick", "--recipe", recipe.toString(), "--tile", "22", "--tile-z", "18",
        "--json", json.toString());
    assertEquals(0, run.status(), run.err());
    JsonNode root = new ObjectMapper().readTree(Files.readString(json));
    assertEquals("18x22x22", root.get("block").asText());
    assertEquals("2x6x6", root.get("outputBlock").asText());
    assertTrue(root.get("peakRssMb").asLong() > 0, root.toString());
    assertEquals(8, root.get("convolutionForms").size(), root.toString());
    assertTrue(run.out().startsWith("unet4j bench: tiny-3d, block 18x22x22 -> 2x6x6 (z, y, x)"), run.out());

    CliRun image = CliRun.of("bench", "--quick", "--recipe", recipe.toString(), "--image-size", "64");
    assertEquals(Unet4j.USAGE, image.status());
    assertTrue(image.err().contains("--image-size 64: tiny-3d is a 3D net; the whole image is measured for 2D nets"),
        image.err());

    CliRun bad = CliRun.of("bench", "--quick", "--recipe", recipe.toString(), "--tile-z", "19");
    assertEquals(Unet4j.USAGE, bad.status());
    assertTrue(bad.err().startsWith("unet4j bench: --tile-z 19 does not fit tiny-3d: training.tileZ: tileZ 19"),
        bad.err());
    assertTrue(bad.err().contains("valid near it: 18, 20"), bad.err());
  }

  @Test
  void tileZIsForVolumes() {
    CliRun run = CliRun.of("bench", "--quick", "--tile-z", "20");
    assertEquals(Unet4j.USAGE, run.status());
    assertTrue(run.err().contains("--tile-z 20: bench-quick is a 2D net; --tile-z is for 3D nets"), run.err());
  }

  @Test
  void invalidTileNamesTheValidOnes() {
    CliRun run = CliRun.of("bench", "--quick", "--tile", "93");
    assertEquals(Unet4j.USAGE, run.status());
    assertTrue(run.err().startsWith("unet4j bench: --tile 93 does not fit bench-quick: "), run.err());
    assertTrue(run.err().contains("92"), run.err());
  }

  @Test
  void negativeThreadsIsAUsageError() {
    CliRun run = CliRun.of("bench", "--quick", "--threads", "-1");
    assertEquals(Unet4j.USAGE, run.status());
    assertTrue(run.err().contains("--threads -1: give 0"), run.err());
  }

  @Test
  void unknownRecipeIsAUsageError() {
    CliRun run = CliRun.of("bench", "--recipe", "no-such-recipe");
    assertEquals(Unet4j.USAGE, run.status());
    assertTrue(run.err().contains("no-such-recipe"), run.err());
  }
}
