package org.unet4j.recipes.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.unet4j.recipes.infer.TinyModels.maxDiff;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.unet4j.dsl.geometry.Tiling;
import org.unet4j.dsl.model.Padding;
import org.unet4j.dsl.model.UNet;
import org.unet4j.dsl.recipe.InferenceSpec;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.dsl.recipe.Recipes;
import org.unet4j.dsl.recipe.TestTimeAugmentation;
import org.unet4j.layers.ConvolutionLowering;
import org.unet4j.layers.ModelCompiler;
import org.unet4j.layers.OneDnn;
import org.unet4j.recipes.data.Image;
import org.unet4j.recipes.data.Normalizer;
import org.unet4j.recipes.data.PixelType;
import org.unet4j.recipes.model.CheckpointException;
import org.unet4j.recipes.model.ExportedModel;
import org.unet4j.recipes.model.ModelExport;
import org.unet4j.recipes.model.ModelMismatchException;
import org.unet4j.recipes.model.ModelSource;

class PredictorTest {
  /** Depth 2 from 4 filters: valid tiles 4k >= 44, output tile - 40, margin 20, period 4. */
  private static final Recipe DEPTH2 = TinyModels.recipe("depth2", UNet.builder().depth(2).baseFilters(4).build(), 60);
  /** Depth 3 from 4 filters: valid tiles 92 + 8k, output tile - 88 (8b - 4, never a multiple of 8), margin 44. */
  private static final Recipe DEPTH3 = TinyModels.recipe("depth3", UNet.builder().depth(3).baseFilters(4).build(),
      108);
  /** Depth 2 with padded convolutions: every multiple of 4 is valid and the output is the input's size. */
  private static final Recipe PADDED = TinyModels.recipe("padded",
      UNet.builder().depth(2).baseFilters(4).padding(Padding.SAME).build(), 120);

  /**
   * Depth 2 from 8 filters: its bottleneck (16 -> 32 -> 32) and first expanding convolution
   * (32 -> 16) are wide enough for Winograd's form, so inference graphs cache transformed kernels.
   */
  private static final Recipe WIDE = TinyModels.recipe("wide", UNet.builder().depth(2).baseFilters(8).build(), 60);

  @TempDir static Path runs;
  @TempDir Path dir;

  @BeforeAll
  static void makeRuns() {
    for (Recipe r : List.of(DEPTH2, DEPTH3, PADDED, WIDE)) {
      TinyModels.untrainedRun(r, run(r));
    }
  }

  private static Path run(Recipe r) {
    return runs.resolve(r.name());
  }

  private static Predictor open(Recipe r, int tile, int batch, TestTimeAugmentation tta) {
    return Predictor.open(ModelSource.of(run(r)), new InferenceSpec(tile, batch, tta, 0.5, 0, false));
  }

  static Stream<Arguments> seamCases() {
    return Stream.of(
        Arguments.of("depth2", 60, 150, 97),
        Arguments.of("depth2", 44, 150, 97),
        Arguments.of("depth3", 108, 150, 97),
        Arguments.of("depth3", 100, 97, 150),
        Arguments.of("depth2", 60, 13, 7),
        Arguments.of("depth2", 60, 1, 1),
        Arguments.of("depth3", 108, 5, 40),
        Arguments.of("padded", 120, 150, 97));
  }

  /**
   * Overlap-tile prediction equals one pass over the whole mirror-extended image: on odd sizes,
   * on an output size that is not a multiple of the period (depth 3: 20 and 12, steps 16 and 8),
   * on many small tiles (depth 2 at 44: 4 output pixels each) and on images smaller than a tile.
   */
  @ParameterizedTest(name = "{0} net, tile {1}, {2}x{3} image")
  @MethodSource("seamCases")
  void tiledPredictionEqualsOneWholeImagePass(String net, int tile, int width, int height) {
    Recipe recipe = switch (net) {
      case "depth2" -> DEPTH2;
      case "depth3" -> DEPTH3;
      default -> PADDED;
    };
    Image image = TinyModels.blobs(width, height, 5);
    try (Predictor predictor = open(recipe, tile, 3, TestTimeAugmentation.NONE)) {
      ProbabilityMap map = predictor.predict(image);
      assertEquals(width, map.width());
      assertEquals(height, map.height());
      assertEquals(2, map.classes());
      float[] expected = TinyModels.wholeImage(recipe, run(recipe),
          Normalizer.apply(image, recipe.data().normalization()), width, height, predictor.tiling().context());
      assertTrue(maxDiff(expected, map.values()) <= 1e-5, "max difference " + maxDiff(expected, map.values()));
      for (int i = 0; i < map.values().length; i += 2) {
        assertEquals(1.0, map.values()[i] + map.values()[i + 1], 1e-5, "soft-max sums to 1");
      }
    }
  }

  /** The layout by hand: step = largest multiple of the period within the usable output. */
  @Test
  void tilingArithmetic() {
    // 60 -> 20 (20 = 5 x 4), margin 20.
    assertEquals(new Tiling(60, 20, 20, 20, 0, 4, 1), Tiling.of(DEPTH2.model(), 60));
    // 108 -> 20 = 2 x 8 + 4: step 16, so output tiles overlap by 4 px.
    Tiling depth3 = Tiling.of(DEPTH3.model(), 108);
    assertEquals(new Tiling(108, 20, 16, 44, 0, 8, 1), depth3);
    assertEquals(10, depth3.tilesAlong(150));
    assertEquals(9 * 16 + 108, depth3.extendedSize(150));
    assertTrue(DEPTH3.model().geometry().isValidInput(depth3.extendedSize(150)));
    assertEquals(1, depth3.tilesAlong(1));
    // The paper's net: 572 -> 388 = 24 x 16 + 4, step 384, margin 92.
    assertEquals(new Tiling(572, 388, 384, 92, 0, 16, 1), Tiling.of(UNet.paper(), 572));
    // Padded: the receptive field is 44 wide, so 43 px per side see the tile border's zeros.
    assertEquals(new Tiling(120, 120, 32, 43, 43, 4, 1), Tiling.of(PADDED.model(), 120));
  }

  @Test
  void tilesTooSmallForThePeriodAndInvalidTilesAreRefused() {
    IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
        () -> Tiling.of(DEPTH3.model(), 92));
    assertEquals("tile 92 leaves 4 usable output pixels, fewer than the pooling period 8; tiles must step by a"
        + " multiple of 8 for a seamless result, so use a larger tile (the smallest that works is 100)",
        small.getMessage());
    IllegalArgumentException invalid = assertThrows(IllegalArgumentException.class,
        () -> open(DEPTH2, 61, 1, TestTimeAugmentation.NONE));
    assertTrue(invalid.getMessage().startsWith("tile 61 does not fit depth2: "), invalid.getMessage());
    assertTrue(invalid.getMessage().endsWith("Received: input 61; valid near it: 60, 64"), invalid.getMessage());
  }

  @Test
  void batchSizeDoesNotChangeTheResult() {
    Image image = TinyModels.blobs(70, 45, 8);
    float[] one;
    try (Predictor p = open(DEPTH2, 60, 1, TestTimeAugmentation.NONE)) {
      one = p.predict(image).values();
    }
    try (Predictor p = open(DEPTH2, 60, 5, TestTimeAugmentation.NONE)) {
      assertTrue(maxDiff(one, p.predict(image).values()) <= 1e-6);
    }
  }

  /**
   * Dihedral TTA averages over the whole group, so it commutes with a quarter turn: predicting the
   * turned image gives the turned prediction. The net alone does not (checked, so the test could
   * fail).
   */
  @Test
  void dihedralAugmentationIsRotationEquivariant() {
    int w = 150;
    int h = 97;
    Image image = TinyModels.blobs(w, h, 9);
    Image turned = Image.gray(h, w, PixelType.UINT8, quarterTurn(image.pixels(), w, h, 1));
    try (Predictor p = open(DEPTH2, 60, 8, TestTimeAugmentation.DIHEDRAL)) {
      ProbabilityMap map = p.predict(image);
      ProbabilityMap turnedMap = p.predict(turned);
      assertEquals(h, turnedMap.width());
      assertEquals(w, turnedMap.height());
      float[] expected = quarterTurn(map.values(), w, h, 2);
      assertTrue(maxDiff(expected, turnedMap.values()) <= 1e-5, "max difference "
          + maxDiff(expected, turnedMap.values()));
    }
    try (Predictor p = open(DEPTH2, 60, 8, TestTimeAugmentation.NONE)) {
      float[] expected = quarterTurn(p.predict(image).values(), w, h, 2);
      assertTrue(maxDiff(expected, p.predict(turned).values()) > 1e-3, "the bare net is not equivariant");
    }
  }

  /**
   * Mirror and dihedral TTA give the mean of the 4 or 8 transformed predictions, each transformed
   * back (computed here by hand, one copy at a time, with transposes for copies 4 to 7), although
   * the copies of a tile run through the net as one batch; on a page whose transposed copies have
   * another grid.
   */
  @ParameterizedTest
  @EnumSource(value = TestTimeAugmentation.class, names = {"MIRRORS", "DIHEDRAL"})
  void copiesPredictedTogetherAverageTheTransformedPredictions(TestTimeAugmentation tta) {
    int w = 53;
    int h = 38;
    int copies = tta == TestTimeAugmentation.MIRRORS ? 4 : 8;
    Image image = TinyModels.blobs(w, h, 14);
    float[] expected = new float[w * h * 2];
    try (Predictor plain = open(DEPTH2, 60, 1, TestTimeAugmentation.NONE)) {
      assertEquals(1, plain.tilesPerBatch());
      for (int t = 0; t < copies; t++) {
        boolean transposes = (t & 4) != 0;
        boolean fx = (t & 1) != 0;
        boolean fy = (t & 2) != 0;
        int tw = transposes ? h : w;
        int th = transposes ? w : h;
        float[] pixels = flip(transposes ? transpose(image.pixels(), w, h, 1) : image.pixels(), tw, th, 1, fx, fy);
        float[] back = flip(plain.predict(Image.gray(tw, th, PixelType.UINT8, pixels)).values(), tw, th, 2, fx, fy);
        if (transposes) {
          back = transpose(back, tw, th, 2);
        }
        for (int i = 0; i < expected.length; i++) {
          expected[i] += back[i] / copies;
        }
      }
    }
    try (Predictor together = open(DEPTH2, 60, 1, tta)) {
      assertEquals(copies, together.tilesPerBatch(), "the copies of a tile share a batch");
      float[] actual = together.predict(image).values();
      assertTrue(maxDiff(expected, actual) <= 1e-5, "max difference " + maxDiff(expected, actual));
    }
  }

  /**
   * The recipe's percentile normalisation is applied: it maps an affine change of intensities
   * away, so a float image of 3 x pixels + 10 gives the same prediction.
   */
  @Test
  void imagesAreNormalisedAsInTraining() {
    Image image = TinyModels.blobs(64, 64, 3);
    float[] brighter = image.pixels().clone();
    for (int i = 0; i < brighter.length; i++) {
      brighter[i] = 3 * brighter[i] + 10;
    }
    try (Predictor p = open(DEPTH2, 60, 2, TestTimeAugmentation.NONE)) {
      float[] a = p.predict(image).values();
      float[] b = p.predict(Image.gray(64, 64, PixelType.FLOAT32, brighter)).values();
      assertTrue(maxDiff(a, b) <= 1e-5, "max difference " + maxDiff(a, b));
    }
  }

  @Test
  void progressCountsEveryTileOfEveryTransformedCopy() {
    List<long[]> updates = new ArrayList<>();
    try (Predictor p = open(DEPTH2, 60, 2, TestTimeAugmentation.MIRRORS)) {
      // 45 / 20 -> 3 columns, 30 / 20 -> 2 rows, 4 copies: 24 tiles. Batch size 2 with its copies:
      // 8 tiles a batch; batches never mix rounds (a strip of each copy, 12 tiles), so 8 + 4 twice.
      assertEquals(24, p.tileCount(45, 30));
      assertEquals(8, p.tilesPerBatch());
      p.predict(TinyModels.blobs(45, 30, 1), (done, total) -> updates.add(new long[] {done, total}));
    }
    assertEquals(List.of(8L, 12L, 20L, 24L), updates.stream().map(u -> u[0]).toList());
    assertArrayEquals(new long[] {24, 24}, updates.get(3));
  }

  @Test
  void anImageWithOtherChannelsIsRefused() {
    Image rgb = new Image(20, 20, 3, PixelType.UINT8, new float[20 * 20 * 3]);
    try (Predictor p = open(DEPTH2, 60, 1, TestTimeAugmentation.NONE)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.predict(rgb));
      assertEquals("the image has 3 channel(s) but the model reads 1 (model.inputChannels)", e.getMessage());
    }
  }

  /** A run, one of its checkpoint folders and an export of it predict the same map. */
  @Test
  void runCheckpointAndExportPredictTheSame() {
    Path export = dir.resolve("export");
    ModelExport.export(run(DEPTH2), export, OptionalInt.empty());
    Image image = TinyModels.blobs(90, 71, 4);
    float[] fromRun;
    try (Predictor p = Predictor.open(run(DEPTH2))) {
      assertEquals(ModelSource.Kind.RUN, p.source().kind());
      fromRun = p.predict(image).values();
    }
    try (Predictor p = Predictor.open(run(DEPTH2).resolve("checkpoints/ckpt-000000000"))) {
      assertEquals(ModelSource.Kind.CHECKPOINT, p.source().kind());
      assertTrue(maxDiff(fromRun, p.predict(image).values()) <= 1e-6);
    }
    try (Predictor p = Predictor.open(export)) {
      assertEquals(ModelSource.Kind.EXPORT, p.source().kind());
      assertEquals(OptionalInt.of(60), p.source().fixedTile());
      assertTrue(maxDiff(fromRun, p.predict(image).values()) <= 1e-6);
    }
    ModelMismatchException other = assertThrows(ModelMismatchException.class,
        () -> Predictor.open(ModelSource.of(export), new InferenceSpec(64, 1, TestTimeAugmentation.NONE, 0.5, 0,
            false)));
    assertEquals("tile 64: the export " + export.toAbsolutePath() + " is compiled for tile 60; predict with that"
        + " tile, or export the run again with tile 64", other.getMessage());
    assertEquals(OptionalInt.of(64), other.tile());
    assertEquals(OptionalInt.of(60), other.compiledTile());
  }

  /**
   * A checkpoint and an export predict through inference graphs (Winograd kernels transformed once
   * per session) what a graph that transforms them on every run computes in one whole-image pass.
   */
  @Test
  void inferenceGraphsPredictWhatTheTrainingFormComputes() {
    Path export = dir.resolve("wide-export");
    ModelExport.export(run(WIDE), export, OptionalInt.empty());
    Image image = TinyModels.blobs(90, 71, 6);
    float[] expected;
    try (Predictor p = Predictor.open(run(WIDE))) {
      expected = TinyModels.wholeImage(WIDE, run(WIDE), Normalizer.apply(image, WIDE.data().normalization()), 90, 71,
          p.tiling().context());
      float[] fromRun = p.predict(image).values();
      assertTrue(maxDiff(expected, fromRun) <= 1e-5, "run: " + maxDiff(expected, fromRun));
      // Twice through one session: the second pass reads the kept kernels.
      assertArrayEquals(fromRun, p.predict(image).values());
    }
    try (Predictor p = Predictor.open(export)) {
      float[] fromExport = p.predict(image).values();
      assertTrue(maxDiff(expected, fromExport) <= 1e-5, "export: " + maxDiff(expected, fromExport));
    }
    try (ExportedModel model = ExportedModel.load(export)) {
      // Where TensorFlow runs on oneDNN the rule transforms layers of any size (ModelCompiler.WinogradRule);
      // a process that forces the native or matrix lowering has no Winograd layer at all.
      boolean winograd = OneDnn.enabled() && ModelCompiler.defaultLowering() == ConvolutionLowering.WINOGRAD;
      assertEquals(winograd, model.bundle().graph().operation("bottleneck/conv1/winograd_kernel") != null,
          "the export holds the inference graph");
    }
  }

  @Test
  void modelSourceErrorsSayWhatWasExpected() throws IOException {
    Path missing = dir.resolve("nothing");
    assertEquals("no such model: " + missing + "; give a run directory, a checkpoint folder"
        + " (RUN/checkpoints/ckpt-NNNNNNNNN) or a model export (unet4j export)",
        assertThrows(IllegalArgumentException.class, () -> ModelSource.of(missing)).getMessage());
    Path file = Files.writeString(dir.resolve("model.txt"), "x");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ModelSource.of(file)).getMessage()
        .startsWith(file + " is a file; "));
    Path photos = Files.createDirectories(dir.resolve("photos"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ModelSource.of(photos)).getMessage()
        .contains("is not a model: it is neither a run directory (no recipe.json)"));
    Path fresh = Files.createDirectories(dir.resolve("fresh"));
    Files.writeString(fresh.resolve("recipe.json"), Recipes.toJson(DEPTH2), StandardCharsets.UTF_8);
    assertEquals("no checkpoint in " + fresh.toAbsolutePath().resolve("checkpoints")
        + "; the run has not saved one yet",
        assertThrows(CheckpointException.class, () -> ModelSource.of(fresh)).getMessage());
  }

  /**
   * A quarter turn clockwise of a row-major {@code w x h} map with {@code c} values per pixel: turned(x', y') = map(y', h - 1 - x'), and the result is {@code h x w}.
   */
  static float[] quarterTurn(float[] map, int w, int h, int c) {
    float[] out = new float[map.length];
    for (int y2 = 0; y2 < w; y2++) {
      for (int x2 = 0; x2 < h; x2++) {
        int sx = y2;
        int sy = h - 1 - x2;
        System.arraycopy(map, (sy * w + sx) * c, out, (y2 * h + x2) * c, c);
      }
    }
    return out;
  }

  /** The {@code h x w} map whose pixel (y, x) is pixel (x, y) of the {@code w x h} map. */
  static float[] transpose(float[] map, int w, int h, int c) {
    float[] out = new float[map.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        System.arraycopy(map, (y * w + x) * c, out, (x * h + y) * c, c);
      }
    }
    return out;
  }

  static float[] flip(float[] map, int w, int h, int c, boolean fx, boolean fy) {
    float[] out = new float[map.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int sx = fx ? w - 1 - x : x;
        int sy = fy ? h - 1 - y : y;
        System.arraycopy(map, (sy * w + sx) * c, out, (y * w + x) * c, c);
      }
    }
    return out;
  }
}
