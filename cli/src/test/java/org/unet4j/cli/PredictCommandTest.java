package org.unet4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unet4j.dsl.model.UNet;
import org.unet4j.dsl.recipe.AdamOptimizer;
import org.unet4j.dsl.recipe.AugmentationSpec;
import org.unet4j.dsl.recipe.ConstantSchedule;
import org.unet4j.dsl.recipe.DataSpec;
import org.unet4j.dsl.recipe.InferenceSpec;
import org.unet4j.dsl.recipe.InstanceMethod;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.dsl.recipe.TestTimeAugmentation;
import org.unet4j.dsl.recipe.ThinningMethod;
import org.unet4j.dsl.recipe.TrainingSpec;
import org.unet4j.dsl.recipe.WeightedCrossEntropyLoss;
import org.unet4j.recipes.data.Image;
import org.unet4j.recipes.data.ImageIo;
import org.unet4j.recipes.data.PixelType;
import org.unet4j.recipes.data.SyntheticTiles;
import org.unet4j.recipes.infer.BoundaryThinning;
import org.unet4j.recipes.infer.InstanceSegmentation;
import org.unet4j.recipes.infer.ProbabilityMap;
import org.unet4j.recipes.model.ModelExport;
import org.unet4j.recipes.train.Trainer;

class PredictCommandTest {
  /** Depth 2 from 4 filters: 60 -> 20, valid tiles 44, 48, ..., every 4 px. */
  private static final Recipe TINY = new Recipe("tiny", "a tiny net for tests",
      UNet.builder().depth(2).baseFilters(4).build(), WeightedCrossEntropyLoss.paper(), AugmentationSpec.none(),
      new TrainingSpec(AdamOptimizer.defaults(), 1e-2, new ConstantSchedule(), 0, 4, 2, 60, 7, 2, 0),
      DataSpec.none(), new InferenceSpec(60, 2, TestTimeAugmentation.NONE, 0.5, 0, false));

  @TempDir static Path shared;
  @TempDir Path dir;

  @BeforeAll
  static void trainAndExport() {
    Trainer.of(TINY, shared.resolve("run"), new SyntheticTiles(TINY.model(), 60, 2, 7)).train();
    ModelExport.export(shared.resolve("run"), shared.resolve("export"), OptionalInt.empty());
  }

  private static String run() {
    return shared.resolve("run").toString();
  }

  private static Image discs(int w, int h, PixelType type, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] pixels = new float[w * h];
    double cx = w * 0.4;
    double cy = h * 0.5;
    double r = Math.min(w, h) / 4.0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        boolean inside = (x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r;
        pixels[y * w + x] = (float) Math.rint((inside ? 180 : 60) + 30 * random.nextDouble())
            * (type == PixelType.UINT16 ? 100 : 1);
      }
    }
    return Image.gray(w, h, type, pixels);
  }

  @Test
  void predictsFilesFoldersAndStacks() {
    Path in = dir.resolve("in");
    ImageIo.writePng(in.resolve("a.png"), discs(70, 45, PixelType.UINT8, 1));
    ImageIo.writeTiff(in.resolve("b.tif"), discs(33, 20, PixelType.UINT16, 2));
    Path stack = dir.resolve("stack.tif");
    ImageIo.writeTiffPages(stack, List.of(discs(40, 30, PixelType.UINT8, 3), discs(40, 30, PixelType.UINT8, 4),
        discs(40, 30, PixelType.UINT8, 5)));
    Path out = dir.resolve("out");

    CliRun r = CliRun.of("predict", "--model", run(), "--out", out.toString(), in.toString(), stack.toString());
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains("model   tiny at step 4 (run directory " + shared.resolve("run").toAbsolutePath()),
        r.out());
    assertTrue(r.out().contains("tiles   60 -> 20, step 20, mirrored context 20 px; tta none; threshold 0.5"),
        r.out());
    // 70 x 45: 4 x 3 tiles; the stack: 2 x 2 tiles per page.
    assertTrue(r.out().matches("(?s).*\\na  70x45  \\d+ objects?  12 tiles  .*"), r.out());
    assertTrue(r.out().matches("(?s).*\\nstack  40x30 x 3 pages  \\d+ objects?  12 tiles  .*"), r.out());
    assertTrue(r.out().contains("predicted 3 images in "), r.out());

    Image prob = ImageIo.read(out.resolve("a_prob.tif"));
    assertEquals(PixelType.FLOAT32, prob.type());
    assertEquals(70, prob.width());
    assertEquals(45, prob.height());
    Image labels = ImageIo.read(out.resolve("b_labels.tif"));
    assertEquals(PixelType.UINT16, labels.type());
    assertEquals(33, labels.width());
    Image overlay = ImageIo.read(out.resolve("a_overlay.png"));
    assertEquals(3, overlay.channels());
    assertEquals(70, overlay.width());
    assertEquals(3, ImageIo.pageCount(out.resolve("stack_prob.tif")));
    assertEquals(3, ImageIo.pageCount(out.resolve("stack_labels.tif")));
    assertTrue(Files.isRegularFile(out.resolve("stack_overlay_p003.png")));
    assertFalse(Files.exists(out.resolve("stack_overlay.png")));
    assertFalse(Files.exists(out.resolve("a_rois.zip")), "ROIs only on request");
    assertFalse(Files.exists(out.resolve("a_objects.csv")), "measurements only on request");
  }

  @Test
  void roisAndMeasurementsOnRequest() throws java.io.IOException {
    Path image = dir.resolve("cells.tif");
    ImageIo.writeTiff(image, discs(70, 45, PixelType.UINT8, 6));
    Path out = dir.resolve("fiji");
    CliRun r = CliRun.of("predict", "--model", run(), "--out", out.toString(), "--threshold", "0.3", "--rois",
        "--measurements", image.toString());
    assertEquals(0, r.status(), r.err());
    int objects = java.util.Arrays.stream(ImageIo.read(out.resolve("cells_labels.tif")).channelAsInts(0)).max()
        .orElse(0);
    assertTrue(objects > 0, "objects found");
    assertTrue(r.out().contains("cells  70x45  " + objects + " object"), r.out());
    assertEquals(objects, org.unet4j.recipes.data.ImageJRoisTest.decode(out.resolve("cells_rois.zip")).size());
    List<String> table = Files.readAllLines(out.resolve("cells_objects.csv"));
    assertEquals(objects + 1, table.size());
    assertTrue(table.get(0).startsWith("page,label,area[px],area[pixel^2]"), table.get(0));
  }

  /** A BigTIFF input predicts as the same image stored as classic TIFF, ROIs and measurements included. */
  @Test
  void bigTiffInputPredictsAsItsClassicTwin() throws java.io.IOException {
    Image cells = discs(70, 45, PixelType.UINT8, 6);
    Path classic = dir.resolve("in/classic.tif");
    Path big = dir.resolve("in/big.tif");
    ImageIo.writeTiff(classic, cells);
    try (org.unet4j.recipes.data.StripTiffWriter writer = org.unet4j.recipes.data.StripTiffWriter.create(big,
        org.unet4j.recipes.data.Calibration.NONE, org.unet4j.recipes.data.TiffVariant.BIG)) {
      writer.beginPage(cells.width(), cells.height(), cells.type());
      writer.writeRows(cells.pixels(), 0, cells.height());
      writer.endPage();
      writer.commit();
    }
    Path out = dir.resolve("out");
    CliRun r = CliRun.of("predict", "--model", run(), "--out", out.toString(), "--threshold", "0.3", "--rois",
        "--measurements", classic.toString(), big.toString());
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains("big  70x45  "), r.out());
    assertArrayEquals(ImageIo.read(out.resolve("classic_prob.tif")).pixels(),
        ImageIo.read(out.resolve("big_prob.tif")).pixels());
    assertEquals(Files.readAllLines(out.resolve("classic_objects.csv")),
        Files.readAllLines(out.resolve("big_objects.csv")));
    assertEquals(zipEntries(out.resolve("classic_rois.zip")), zipEntries(out.resolve("big_rois.zip")));
  }

  /** Each entry's name and bytes, in order: a zip's content without its entries' times. */
  static List<String> zipEntries(Path zip) throws java.io.IOException {
    List<String> entries = new ArrayList<>();
    try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(Files.newInputStream(zip))) {
      for (java.util.zip.ZipEntry e; (e = in.getNextEntry()) != null; ) {
        entries.add(e.getName() + " " + java.util.HexFormat.of().formatHex(in.readAllBytes()));
      }
    }
    return entries;
  }

  /** A run that keeps a best checkpoint (here step 2; the newest is step 4) predicts with it and says so. */
  @Test
  void aRunsBestCheckpointIsTheModelAndPredictSaysWhichItTook() throws IOException {
    Path copy = BestCheckpointCopy.of(shared.resolve("run"), dir.resolve("run"), 2);
    Path in = dir.resolve("a.png");
    ImageIo.writePng(in, discs(30, 20, PixelType.UINT8, 1));

    CliRun r = CliRun.of("predict", "--model", copy.toString(), "--out", dir.resolve("out").toString(), in.toString());
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains("model   tiny at step 2 (run directory " + copy.toAbsolutePath() + ")\n"
        + "using   the best checkpoint (step 2, validation iou 0.5000) of " + copy.toAbsolutePath()
        + "; the newest is step 4\n"), r.out());
  }

  @Test
  void runAndExportGiveEqualMaps() {
    Path image = dir.resolve("cells.png");
    ImageIo.writePng(image, discs(83, 61, PixelType.UINT8, 9));
    List<float[]> maps = new ArrayList<>();
    for (Path model : List.of(shared.resolve("run"), shared.resolve("export"))) {
      Path out = dir.resolve(model.getFileName().toString());
      CliRun r = CliRun.of("predict", "--model", model.toString(), "--out", out.toString(), "--tta", "dihedral",
          image.toString());
      assertEquals(0, r.status(), r.err());
      maps.add(ImageIo.read(out.resolve("cells_prob.tif")).pixels());
    }
    double max = 0;
    for (int i = 0; i < maps.get(0).length; i++) {
      max = Math.max(max, Math.abs(maps.get(0)[i] - maps.get(1)[i]));
    }
    assertTrue(max <= 1e-6, "max difference " + max);
  }

  @Test
  void optionsOverrideTheRecipe() {
    Path image = dir.resolve("x.png");
    ImageIo.writePng(image, discs(50, 50, PixelType.UINT8, 3));
    CliRun r = CliRun.of("predict", "--model", run(), "--out", dir.resolve("out").toString(), "--tile", "76",
        "--tta", "MIRRORS", "--threshold", "0.3", "--batch-size", "3", image.toString());
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains("tiles   76 -> 36, step 36, mirrored context 20 px; tta mirrors; threshold 0.3"),
        r.out());
    // 50 / 36 -> 2 x 2 tiles, 4 mirrored copies.
    assertTrue(r.out().contains("  16 tiles  "), r.out());
  }

  /** --instances watershed reaches the labels: they are the watershed of the written probabilities. */
  @Test
  void watershedInstancesFromTheCommandLine() {
    Path image = dir.resolve("w.png");
    ImageIo.writePng(image, discs(64, 48, PixelType.UINT8, 5));
    Path out = dir.resolve("ws");
    CliRun r = CliRun.of("predict", "--model", run(), "--out", out.toString(), "--instances", "Watershed",
        "--seed-threshold", "0.7", image.toString());
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains("tta none; threshold 0.5; watershed from cores above 0.7"), r.out());
    Image prob = ImageIo.read(out.resolve("w_prob.tif"));
    InferenceSpec spec = new InferenceSpec(60, 2, TestTimeAugmentation.NONE, 0.5, 0, false, InstanceMethod.WATERSHED,
        0.7);
    assertArrayEquals(InstanceSegmentation.labels(prob.pixels(), 64, 48, spec).toArray(),
        ImageIo.read(out.resolve("w_labels.tif")).channelAsInts(0));
  }

  @Test
  void missingModel() {
    Path missing = dir.resolve("no-model");
    CliRun r = CliRun.of("predict", "--model", missing.toString(), "--out", dir.resolve("out").toString(), "a.png");
    assertUserError(r, "unet4j predict: no such model: " + missing + "; give a run directory, a checkpoint folder");
  }

  @Test
  void invalidTileNamesTheNearestValidTiles() {
    Path image = dir.resolve("x.png");
    ImageIo.writePng(image, discs(20, 20, PixelType.UINT8, 3));
    CliRun r = CliRun.of("predict", "--model", run(), "--out", dir.resolve("out").toString(), "--tile", "61",
        image.toString());
    assertUserError(r, "unet4j predict: tile 61 does not fit tiny: ");
    assertTrue(r.err().contains("Received: input 61; valid near it: 60, 64"), r.err());
  }

  @Test
  void anExportOnlyTakesItsTile() {
    Path image = dir.resolve("x.png");
    ImageIo.writePng(image, discs(20, 20, PixelType.UINT8, 3));
    CliRun r = CliRun.of("predict", "--model", shared.resolve("export").toString(), "--out",
        dir.resolve("out").toString(), "--tile", "64", image.toString());
    assertUserError(r, "unet4j predict: tile 64: the export " + shared.resolve("export").toAbsolutePath()
        + " is compiled for tile 60; predict with that tile, or export the run again with");
  }

  @Test
  void instancesPerClassNeedThreeClasses() {
    Path image = dir.resolve("x.png");
    ImageIo.writePng(image, discs(20, 20, PixelType.UINT8, 3));
    CliRun r = CliRun.of("predict", "--model", run(), "--out", dir.resolve("out").toString(), "--instances-per-class",
        image.toString());
    assertUserError(r, "unet4j predict: inference.instancesPerClass: the model of tiny has 2 classes, but instances"
        + " per class need a net of 3 or more");
  }

  /**
   * --thin-boundaries METHOD (in any case) writes the map the library thins by that method at the threshold
   * given, and its labels are the thinned regions; --no-thin-boundaries keeps the net's map.
   */
  @Test
  void thinBoundariesWritesTheThinnedMap() {
    Path image = dir.resolve("x.png");
    ImageIo.writePng(image, discs(40, 40, PixelType.UINT8, 5));
    CliRun plain = CliRun.of("predict", "--model", run(), "--out", dir.resolve("plain").toString(), "--threshold",
        "0.3", "--no-thin-boundaries", image.toString());
    assertEquals(0, plain.status(), plain.err());
    CliRun thin = CliRun.of("predict", "--model", run(), "--out", dir.resolve("thin").toString(), "--threshold", "0.3",
        "--thin-boundaries", "ridge", image.toString());
    assertEquals(0, thin.status(), thin.err());
    float[] net = ImageIo.read(dir.resolve("plain/x_prob.tif")).pixels();
    float[] written = ImageIo.read(dir.resolve("thin/x_prob.tif")).pixels();
    assertArrayEquals(BoundaryThinning.thin(new ProbabilityMap(40, 40, 1, net), 0.3, ThinningMethod.RIDGE, 0)
        .foreground(), written);
    CliRun border = CliRun.of("predict", "--model", run(), "--out", dir.resolve("border").toString(), "--threshold",
        "0.3", "--thin-boundaries", "BORDER", image.toString());
    assertEquals(0, border.status(), border.err());
    assertArrayEquals(BoundaryThinning.thin(new ProbabilityMap(40, 40, 1, net), 0.3, ThinningMethod.BORDER, 0)
        .foreground(), ImageIo.read(dir.resolve("border/x_prob.tif")).pixels());
    int[] labels = ImageIo.read(dir.resolve("thin/x_labels.tif")).channelAsInts(0);
    for (int i = 0; i < labels.length; i++) {
      assertEquals(written[i] > 0.3, labels[i] != 0, "pixel " + i);
    }
  }

  @Test
  void badOptionValues() {
    Path image = dir.resolve("x.png");
    ImageIo.writePng(image, discs(20, 20, PixelType.UINT8, 3));
    String out = dir.resolve("out").toString();
    assertUserError(CliRun.of("predict", "--model", run(), "--out", out, "--tta", "sideways", image.toString()),
        "unet4j predict: --tta: expected none, mirrors or dihedral, got \"sideways\"");
    assertUserError(CliRun.of("predict", "--model", run(), "--out", out, "--threshold", "1.5", image.toString()),
        "unet4j predict: --threshold: expected a probability 0..1, got 1.5");
    assertUserError(CliRun.of("predict", "--model", run(), "--out", out, "--batch-size", "0", image.toString()),
        "unet4j predict: --batch-size: expected at least 1 tile, got 0");
    assertUserError(CliRun.of("predict", "--model", run(), "--out", out, "--instances", "voronoi", image.toString()),
        "unet4j predict: --instances: expected components, watershed or distance-watershed, got \"voronoi\"");
    assertUserError(CliRun.of("predict", "--model", run(), "--out", out, "--seed-threshold", "-1", image.toString()),
        "unet4j predict: --seed-threshold: expected a probability 0..1, got -1.0");
    assertUserError(CliRun.of("predict", "--model", run(), "--out", out, "--thin-boundaries", "skeleton",
        image.toString()), "unet4j predict: --thin-boundaries: expected none, border or ridge, got \"skeleton\"");
    assertUserError(CliRun.of("predict", "--model", run(), "--out", out, "--thin-boundaries", "ridge",
        "--no-thin-boundaries", image.toString()),
        "unet4j predict: --no-thin-boundaries and --thin-boundaries ridge contradict each other; give one of them");
  }

  @Test
  void inputProblems() throws Exception {
    String out = dir.resolve("out").toString();
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertUserError(CliRun.of("predict", "--model", run(), "--out", out, empty.toString()),
        "unet4j predict: IMAGES: \"" + empty + "\" matches no image file (.png, .tif, .tiff) in " + empty);
    ImageIo.writePng(dir.resolve("one/cells.png"), discs(20, 20, PixelType.UINT8, 1));
    ImageIo.writePng(dir.resolve("two/cells.png"), discs(20, 20, PixelType.UINT8, 2));
    assertUserError(CliRun.of("predict", "--model", run(), "--out", out, dir.resolve("one").toString(),
        dir.resolve("two").toString()), "unet4j predict: two inputs are named cells (");
    Path rgb = dir.resolve("rgb.png");
    ImageIo.writePng(rgb, new Image(20, 20, 3, PixelType.UINT8, new float[20 * 20 * 3]));
    CliRun r = CliRun.of("predict", "--model", run(), "--out", out, rgb.toString());
    assertEquals(Unet4j.USAGE, r.status());
    assertEquals("unet4j predict: " + rgb + " has 3 channel(s) but the model reads 1 (model.inputChannels)",
        r.err().strip());
  }

  /**
   * A folder holding a.tif and a_prob.tif, predicted into itself: a_prob.tif (what predicting a.tif
   * writes) is skipped with a warning instead of being replaced and then predicted as an input; a
   * rerun skips all three earlier outputs and predicts a.tif alone again.
   */
  @Test
  void outputsNeverReplaceInputs() {
    Path in = dir.resolve("same");
    ImageIo.writeTiff(in.resolve("a.tif"), discs(40, 30, PixelType.UINT8, 1));
    ImageIo.writeTiff(in.resolve("a_prob.tif"), discs(40, 30, PixelType.UINT8, 2));
    CliRun first = CliRun.of("predict", "--model", run(), "--out", in.toString(), in.toString());
    assertEquals(0, first.status(), first.err());
    assertTrue(first.err().contains("unet4j predict: warning: skipped " + in.resolve("a_prob.tif").toAbsolutePath()
        + ": named as predict's output for the input a, so not predicted"), first.err());
    assertTrue(first.out().contains("predicted 1 image in "), first.out());
    assertFalse(first.out().contains("a_prob_prob.tif"), first.out());
    assertEquals(PixelType.FLOAT32, ImageIo.read(in.resolve("a_prob.tif")).type(), "a.tif's map, as promised");
    CliRun again = CliRun.of("predict", "--model", run(), "--out", in.toString(), in.toString());
    assertEquals(0, again.status(), again.err());
    assertEquals(3, again.err().lines().filter(l -> l.contains("warning: skipped")).count(), again.err());
    assertTrue(again.out().contains("predicted 1 image in "), again.out());
    assertFalse(Files.exists(in.resolve("a_labels_prob.tif")));
  }

  @Test
  void modelAndOutAreRequired() {
    CliRun r = CliRun.of("predict", "a.png");
    assertEquals(Unet4j.USAGE, r.status());
    assertTrue(r.err().contains("Missing required options: '--model=MODEL', '--out=DIR'"), r.err());
  }

  /** Exit status 2 and one line on standard error containing {@code expected}, nothing on standard output. */
  private static void assertUserError(CliRun r, String expected) {
    assertEquals(Unet4j.USAGE, r.status(), r.err());
    assertTrue(r.err().contains(expected), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.out().isEmpty(), r.out());
  }
}
