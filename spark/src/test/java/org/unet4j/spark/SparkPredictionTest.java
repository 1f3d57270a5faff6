package org.unet4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unet4j.cli.Unet4j;
import org.unet4j.dsl.model.Size3;
import org.unet4j.dsl.recipe.InstanceMethod;
import org.unet4j.dsl.recipe.ThinningMethod;
import org.unet4j.recipes.data.Calibration;
import org.unet4j.recipes.data.Image;
import org.unet4j.recipes.data.ImageIo;
import org.unet4j.recipes.data.PixelType;
import org.unet4j.recipes.data.Volume;
import org.unet4j.recipes.infer.Model;
import org.unet4j.recipes.infer.ObjectOutput;
import org.unet4j.recipes.infer.PredictionInputs;
import org.unet4j.recipes.model.ModelMismatchException;
import org.unet4j.recipes.model.ModelSource;

/** The job on a local[2] Spark against {@code unet4j predict} and {@code unet4j evaluate} on the same images. */
class SparkPredictionTest {
  private static SparkSession spark;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    TinyRun.run();
    spark = SparkSession.builder().master("local[2]").appName("unet4j-spark tests")
        .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false").getOrCreate();
  }

  @AfterAll
  static void stop() {
    spark.stop();
    PredictorCache.closeAll();
  }

  private static BatchResult predict(Path out, long unitTiles, boolean overwrite, @Nullable Path truth,
      String... images) {
    return predict(out, unitTiles, overwrite, truth, Set.of(), images);
  }

  private static BatchResult predict(Path out, long unitTiles, boolean overwrite, @Nullable Path truth,
      Set<ObjectOutput> objects, String... images) {
    return predict(InferenceOptions.none(), out, unitTiles, overwrite, truth, objects, images);
  }

  private static BatchResult predict(InferenceOptions inference, Path out, long unitTiles, boolean overwrite,
      @Nullable Path truth, Set<ObjectOutput> objects, String... images) {
    BatchSettings settings = new BatchSettings(TinyRun.run().toString(), inference, out.toString(),
        truth == null ? null : truth.toString(), truth == null ? null : BatchSettings.CELLS_ABOVE_ZERO, overwrite,
        unitTiles, objects);
    List<InputImage> inputs = InputImage.of(PredictionInputs.resolve("IMAGES", List.of(images), Path.of(""), out));
    return SparkPrediction.prepare(settings, inputs).run(spark, new PrintWriter(new StringWriter()), 60_000);
  }

  private static String unet4j(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = Unet4j.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    assertEquals(0, status, err.toString());
    return out.toString();
  }

  /** The outputs of unet4j predict: every file but the table and hidden ones. */
  private static Set<String> outputs(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      Set<String> names = new TreeSet<>();
      files.map(f -> f.getFileName().toString())
          .filter(n -> !n.startsWith(".") && !n.startsWith("predictions."))
          .forEach(names::add);
      return names;
    }
  }

  private static void assertSameFiles(Path expected, Path actual, Set<String> names) throws IOException {
    for (String name : names) {
      assertEquals(-1, Files.mismatch(expected.resolve(name), actual.resolve(name)), name + " differs");
    }
  }

  /**
   * The same images in the same files: page for page the same size, sample type and values. Split
   * images are assembled with the JDK's TIFF writer while unet4j predict streams stacks in strips,
   * so their bytes differ where their pixels do not.
   */
  private static void assertSameImages(Path expected, Path actual, Set<String> names) {
    for (String name : names) {
      assertEquals(ImageIo.readPages(expected.resolve(name)), ImageIo.readPages(actual.resolve(name)), name);
    }
  }

  private static Map<String, ImageRow> byName(BatchResult result) {
    Map<String, ImageRow> rows = new HashMap<>();
    result.rows().forEach(r -> rows.put(r.name(), r));
    return rows;
  }

  /**
   * ROIs and measurements, asked for, are written for split images (assembled) and whole ones, and
   * hold what unet4j predict writes for the same images; a re-run that asks for them where an
   * earlier run did not predicts the images again.
   */
  @Test
  void objectOutputsAreThoseOfUnet4jPredict() throws IOException {
    Path in = TinyRun.inputs(dir);
    Set<ObjectOutput> both = Set.of(ObjectOutput.ROIS, ObjectOutput.MEASUREMENTS);
    predict(dir.resolve("spark"), 1000, false, null, in.toString());
    assertFalse(Files.exists(dir.resolve("spark/a_rois.zip")), "only on request");
    BatchResult result = predict(dir.resolve("spark"), 4, false, null, both, in.toString());
    assertEquals(4, result.count(ImageRow.Status.PREDICTED), "outputs without the asked-for ROIs are incomplete");
    unet4j("predict", "--model", TinyRun.run().toString(), "--out", dir.resolve("single").toString(), "--rois",
        "--measurements", in.toString());
    for (String image : List.of("a", "b", "c", "stack")) {
      assertEquals(zipEntries(dir.resolve("single").resolve(image + "_rois.zip")),
          zipEntries(dir.resolve("spark").resolve(image + "_rois.zip")), image);
      List<String> table = Files.readAllLines(dir.resolve("single").resolve(image + "_objects.csv"));
      assertTrue(table.size() > 1, image + " has objects");
      assertEquals(table, Files.readAllLines(dir.resolve("spark").resolve(image + "_objects.csv")), image);
    }
    assertEquals(4, predict(dir.resolve("spark"), 4, false, null, both, in.toString())
        .count(ImageRow.Status.SKIPPED), "complete with its object outputs");
  }

  /** Each entry's name and bytes, in order: a zip's content without its entries' times. */
  private static List<String> zipEntries(Path zip) throws IOException {
    List<String> entries = new ArrayList<>();
    try (ZipInputStream zipped = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry e; (e = zipped.getNextEntry()) != null; ) {
        entries.add(e.getName() + " " + HexFormat.of().formatHex(zipped.readAllBytes()));
      }
    }
    return entries;
  }

  /**
   * A budget of 4 tiles cuts a (70x45: 3 tile rows of 4 tiles) into 3 row bands, c (97x131: 7 rows
   * of 5; batches of 2 need bands of 2 rows) into 4, the stack (3 pages of 4 tiles) into its 3
   * pages and leaves b (2 tiles) whole: every kind of unit gives the images unet4j predict writes,
   * to the bit, and the model is opened once for all 11 units on 2 task slots. Whole-image units
   * write the very same files.
   */
  @Test
  void everyKindOfUnitWritesTheFilesOfUnet4jPredict() throws IOException {
    Path in = TinyRun.inputs(dir);
    int loadsBefore = PredictorCache.loads();
    BatchResult result = predict(dir.resolve("spark"), 4, false, null, in.toString());
    assertTrue(PredictorCache.loads() - loadsBefore <= 1, "the model is loaded once per JVM");
    assertEquals(3 + 1 + 4 + 3, result.units());
    assertEquals(4, result.count(ImageRow.Status.PREDICTED));
    unet4j("predict", "--model", TinyRun.run().toString(), "--out", dir.resolve("single").toString(), in.toString());
    Set<String> expected = outputs(dir.resolve("single"));
    assertEquals(Set.of("a_prob.tif", "a_labels.tif", "a_overlay.png", "b_prob.tif", "b_labels.tif", "b_overlay.png",
        "c_prob.tif", "c_labels.tif", "c_overlay.png", "stack_prob.tif", "stack_labels.tif", "stack_overlay_p001.png",
        "stack_overlay_p002.png", "stack_overlay_p003.png"), expected);
    assertEquals(expected, outputs(dir.resolve("spark")));
    assertSameImages(dir.resolve("single"), dir.resolve("spark"), expected);
    assertSameFiles(dir.resolve("single"), dir.resolve("spark"), Set.of("b_prob.tif", "b_labels.tif",
        "b_overlay.png"));
    assertFalse(Files.exists(dir.resolve("spark").resolve(PartFiles.WORK_FOLDER)), "the part files are removed");
    // Whole-image units give the same files.
    BatchResult whole = predict(dir.resolve("whole"), 1000, false, null, in.toString());
    assertEquals(4, whole.units());
    assertSameFiles(dir.resolve("single"), dir.resolve("whole"), expected);
  }

  /**
   * With thinned boundaries, split images (their row bands thinned as one page once put together), stack pages
   * and whole images give the images unet4j predict --thin-boundaries ridge writes, which differ from the net's
   * own.
   */
  @Test
  void thinnedBoundariesAreThoseOfUnet4jPredict() throws IOException {
    Path in = TinyRun.inputs(dir);
    InferenceOptions thin = new InferenceOptions(null, null, null, null, null, null, null, ThinningMethod.RIDGE);
    BatchResult result = predict(thin, dir.resolve("spark-thin"), 4, false, null, Set.of(), in.toString());
    assertEquals(3 + 1 + 4 + 3, result.units());
    unet4j("predict", "--model", TinyRun.run().toString(), "--out", dir.resolve("single-thin").toString(),
        "--thin-boundaries", "ridge", in.toString());
    unet4j("predict", "--model", TinyRun.run().toString(), "--out", dir.resolve("single-net").toString(),
        in.toString());
    Set<String> expected = outputs(dir.resolve("single-thin"));
    assertEquals(expected, outputs(dir.resolve("spark-thin")));
    assertSameImages(dir.resolve("single-thin"), dir.resolve("spark-thin"), expected);
    for (String image : List.of("a", "c")) {
      assertNotEquals(ImageIo.readPages(dir.resolve("single-net").resolve(image + "_prob.tif")),
          ImageIo.readPages(dir.resolve("single-thin").resolve(image + "_prob.tif")), image + " is thinned");
    }
  }

  /**
   * After an interrupted run (an output deleted, another truncated, a temporary file and part files
   * left behind) a re-run predicts exactly the damaged images again, leaves the complete ones
   * untouched and removes the leftovers; --overwrite predicts everything.
   */
  @Test
  void aRerunRedoesOnlyImagesWhoseOutputsAreIncomplete() throws IOException {
    Path in = TinyRun.inputs(dir);
    Path out = dir.resolve("out");
    predict(out, 1000, false, null, in.toString());
    Path first = Files.createDirectories(dir.resolve("first"));
    Set<String> files = outputs(out);
    for (String name : files) {
      Files.copy(out.resolve(name), first.resolve(name));
    }
    FileTime old = FileTime.fromMillis(1_000_000_000_000L);
    for (String name : files) {
      Files.setLastModifiedTime(out.resolve(name), old);
    }
    Files.delete(out.resolve("a_labels.tif"));
    byte[] prob = Files.readAllBytes(out.resolve("b_prob.tif"));
    Files.write(out.resolve("b_prob.tif"), java.util.Arrays.copyOf(prob, prob.length / 2));
    Path stale = Files.writeString(out.resolve(".c_prob.tif.5eed1e.tmp"), "half a file");
    Path parts = Files.createDirectories(out.resolve(PartFiles.WORK_FOLDER).resolve("parts/stack"));
    Files.writeString(parts.resolve("page-00002.tif"), "a part of a killed task");

    BatchResult again = predict(out, 1000, false, null, in.toString());
    Map<String, ImageRow> rows = byName(again);
    assertEquals(ImageRow.Status.PREDICTED, rows.get("a").status());
    assertEquals(ImageRow.Status.PREDICTED, rows.get("b").status());
    assertEquals(ImageRow.Status.SKIPPED, rows.get("c").status());
    assertEquals(ImageRow.Status.SKIPPED, rows.get("stack").status());
    assertEquals(2, again.units());
    assertFalse(Files.exists(stale));
    assertFalse(Files.exists(out.resolve(PartFiles.WORK_FOLDER)));
    assertEquals(files, outputs(out));
    assertSameFiles(first, out, files);
    for (String name : List.of("c_prob.tif", "c_labels.tif", "c_overlay.png", "stack_prob.tif",
        "stack_overlay_p003.png")) {
      assertEquals(old, Files.getLastModifiedTime(out.resolve(name)), name + " was not rewritten");
    }
    // A skipped image's row still has its numbers, read from its outputs.
    assertEquals(rows.get("c").objects(), countObjects(out.resolve("c_labels.tif")));

    BatchResult all = predict(out, 0, true, null, in.toString());
    assertEquals(4, all.count(ImageRow.Status.PREDICTED));
  }

  /**
   * A damaged or missing image fails its own row with the reason, written in the table, and the
   * others are predicted; a list file names images relative to itself.
   */
  @Test
  void unreadableImagesFailTheirRowsAndTheOthersAreDone() throws IOException {
    Path in = Files.createDirectories(dir.resolve("mixed"));
    ImageIo.writePng(in.resolve("good.png"), TinyRun.discs(50, 41, PixelType.UINT8, 8));
    Files.writeString(in.resolve("broken.png"), "this is no image\n");
    ImageIo.writeTiff(dir.resolve("whole.tif"), TinyRun.discs(64, 64, PixelType.UINT8, 9));
    byte[] tiff = Files.readAllBytes(dir.resolve("whole.tif"));
    Files.write(in.resolve("truncated.tif"), java.util.Arrays.copyOf(tiff, tiff.length / 3));
    Path list = Files.writeString(in.resolve("images.txt"), "# the plate\ngood.png\nbroken.png\n\ntruncated.tif\n"
        + "missing.tif\n");
    Path out = dir.resolve("out");

    BatchResult result = predict(out, 0, false, null, list.toString());
    Map<String, ImageRow> rows = byName(result);
    assertEquals(List.of("good", "broken", "truncated", "missing"),
        result.rows().stream().map(ImageRow::name).toList());
    assertEquals(ImageRow.Status.PREDICTED, rows.get("good").status());
    assertTrue(Files.isRegularFile(out.resolve("good_labels.tif")));
    ImageRow broken = rows.get("broken");
    assertEquals(ImageRow.Status.FAILED, broken.status());
    assertEquals(in.resolve("broken.png").toAbsolutePath() + ": is not a PNG file: it holds text (starting \"this is"
        + " no image\")", broken.error());
    assertNull(broken.objects());
    assertNull(broken.width());
    ImageRow truncated = rows.get("truncated");
    assertEquals(ImageRow.Status.FAILED, truncated.status());
    assertTrue(truncated.error().startsWith(in.resolve("truncated.tif").toAbsolutePath() + ": "), truncated.error());
    assertEquals(in.resolve("missing.tif").toAbsolutePath() + ": no such file", rows.get("missing").error());
    for (String name : List.of("broken", "truncated", "missing")) {
      assertFalse(Files.exists(out.resolve(name + "_prob.tif")), name);
      assertFalse(Files.exists(out.resolve(name + "_overlay.png")), name);
    }
    List<String> csv = Files.readAllLines(out.resolve(ResultTable.CSV), StandardCharsets.UTF_8);
    assertEquals(5, csv.size());
    assertTrue(csv.get(2).startsWith("broken," + in.resolve("broken.png").toAbsolutePath() + ",,,,,,"), csv.get(2));
    assertTrue(csv.get(2).endsWith(",failed," + ResultTable.quote(broken.error())), csv.get(2));
  }

  /**
   * The table, read back from CSV and Parquet: one row per image with its size, pages, the objects
   * and foreground counted here from NAME_labels.tif, and the scores unet4j evaluate gives for the
   * same predictions and truth.
   */
  @Test
  void theTableHoldsEachImagesCountsAndTheScoresOfUnet4jEvaluate() throws IOException {
    Path in = TinyRun.inputs(dir);
    Path truth = dir.resolve("truth");
    Path out = dir.resolve("out");
    predict(out, 4, false, truth, in.toString());

    List<String> csv = Files.readAllLines(out.resolve(ResultTable.CSV), StandardCharsets.UTF_8);
    assertEquals("name,input,width,height,pages,objects,foregroundFraction,seconds,status,error,pixelError,randError,"
        + "warpingError,vRand,vInfo,iou,dice,objectF1,ap,seg", csv.get(0));
    assertEquals(5, csv.size());
    Map<String, String[]> cells = new HashMap<>();
    for (String line : csv.subList(1, csv.size())) {
      String[] c = line.split(",", -1);
      assertEquals(ResultTable.COLUMNS.size() + ImageScores.COLUMNS.size(), c.length, line);
      cells.put(c[0], c);
    }
    Map<String, int[]> sizes = Map.of("a", new int[] {70, 45, 1}, "b", new int[] {33, 20, 1}, "c",
        new int[] {97, 131, 1}, "stack", new int[] {40, 30, 3});
    for (Map.Entry<String, int[]> e : sizes.entrySet()) {
      String[] c = cells.get(e.getKey());
      assertEquals(in.resolve(e.getKey() + (e.getKey().equals("b") || e.getKey().equals("stack") ? ".tif" : ".png"))
          .toAbsolutePath().toString(), c[1]);
      assertEquals(e.getValue()[0], Integer.parseInt(c[2]));
      assertEquals(e.getValue()[1], Integer.parseInt(c[3]));
      assertEquals(e.getValue()[2], Integer.parseInt(c[4]));
      Path labels = out.resolve(e.getKey() + "_labels.tif");
      assertEquals(countObjects(labels), Long.parseLong(c[5]), e.getKey());
      assertEquals(foreground(labels), Double.parseDouble(c[6]), 1e-12, e.getKey());
      assertTrue(Double.parseDouble(c[7]) >= 0);
      assertEquals("predicted", c[8]);
      assertEquals("", c[9]);
    }
    assertTrue(Long.parseLong(cells.get("c")[5]) > 0, "the net finds discs");

    Path json = dir.resolve("scores.json");
    unet4j("evaluate", "--truth", truth.toString(), "--pred", out.toString(), "--labels",
        BatchSettings.CELLS_ABOVE_ZERO, "--json", json.toString());
    JsonNode evaluated = new ObjectMapper().readTree(json.toFile()).get("images");
    assertEquals(4, evaluated.size());
    for (JsonNode image : evaluated) {
      String[] c = cells.get(image.get("name").asText());
      for (int i = 0; i < ImageScores.COLUMNS.size(); i++) {
        JsonNode expected = image.get(ImageScores.COLUMNS.get(i));
        String actual = c[10 + i];
        if (expected.isNull()) {
          assertEquals("", actual, ImageScores.COLUMNS.get(i));
        } else {
          assertEquals(expected.asDouble(), Double.parseDouble(actual), 1e-12, ImageScores.COLUMNS.get(i));
        }
      }
    }

    List<Row> parquet = spark.read().parquet(out.resolve(ResultTable.PARQUET).toString()).collectAsList();
    assertEquals(4, parquet.size());
    assertEquals(ResultTable.columns(true), List.of(parquet.get(0).schema().fieldNames()));
    Set<String> names = new HashSet<>();
    for (Row row : parquet) {
      String[] c = cells.get(row.getString(0));
      assertNotNull(c);
      names.add(row.getString(0));
      assertEquals(Integer.parseInt(c[2]), row.getInt(2));
      assertEquals(Long.parseLong(c[5]), row.getLong(5));
      assertEquals(Double.parseDouble(c[6]), row.getDouble(6));
      assertEquals("predicted", row.getString(8));
      assertTrue(row.isNullAt(9));
      assertEquals(c[10].isEmpty() ? null : Double.parseDouble(c[10]), row.isNullAt(10) ? null : row.getDouble(10));
    }
    assertEquals(sizes.keySet(), names);
  }

  /** Distinct non-zero labels of each page, added up. */
  private static long countObjects(Path labels) {
    long objects = 0;
    for (Image page : ImageIo.readPages(labels)) {
      Set<Float> seen = new HashSet<>();
      for (float v : page.pixels()) {
        if (v != 0) {
          seen.add(v);
        }
      }
      objects += seen.size();
    }
    return objects;
  }

  private static double foreground(Path labels) {
    long inside = 0;
    long all = 0;
    List<Image> pages = new ArrayList<>(ImageIo.readPages(labels));
    for (Image page : pages) {
      for (float v : page.pixels()) {
        inside += v != 0 ? 1 : 0;
      }
      all += page.pixels().length;
    }
    return (double) inside / all;
  }

  @Test
  void volumesAreCutIntoSlabsAndAssembledExactlyAsTheLibraryPredictsThem() throws IOException {
    assertSlabsAssembleAsTheLibrary(InferenceOptions.none(), "slabs");
  }

  /** A volume cut into slabs and thinned once put together equals the library's volume thinned whole. */
  @Test
  void thinnedVolumesAreThinnedWholeWhenTheirSlabsArePutTogether() throws IOException {
    assertSlabsAssembleAsTheLibrary(new InferenceOptions(null, null, null, null, null, null, null,
        ThinningMethod.RIDGE), "thinned-slabs");
  }

  private void assertSlabsAssembleAsTheLibrary(InferenceOptions options, String name) throws IOException {
    Path run = TinyRun.volumeRun(dir);
    Size3 size = new Size3(11, 9, 8);
    SplittableRandom random = new SplittableRandom(3);
    float[] voxels = new float[(int) size.voxels()];
    for (int i = 0; i < voxels.length; i++) {
      voxels[i] = random.nextInt(256);
    }
    Path stack = Files.createDirectories(dir.resolve(name)).resolve("stack.tif");
    new Volume(size, 1, voxels, new Calibration(0.2, 0.2, 0.6, "micron")).write(stack);
    Path library = dir.resolve(name + "-library");
    ModelSource source = ModelSource.of(run);
    try (Model model = Model.load(source, options.checkedFor(source))) {
      model.predict(stack, library, Set.of(ObjectOutput.MEASUREMENTS));
    }
    if (options.thinBoundaries() != null) {
      Path plain = dir.resolve(name + "-plain");
      try (Model model = Model.load(run)) {
        model.predict(stack, plain, Set.of());
      }
      assertFalse(Arrays.equals(Volume.read(plain.resolve("stack_prob.tif")).voxels(),
          Volume.read(library.resolve("stack_prob.tif")).voxels()), "the volume is thinned");
    }
    Path out = dir.resolve(name + "-spark");
    // 11 planes at a step of 4: 3 slabs of 2 x 2 tiles; a budget of 4 tiles makes each slab a unit.
    BatchSettings settings = new BatchSettings(run.toString(), options, out.toString(), null, null,
        false, 4, Set.of(ObjectOutput.MEASUREMENTS));
    List<InputImage> inputs = InputImage.of(PredictionInputs.resolve("IMAGES", List.of(stack.toString()),
        Path.of(""), out));
    BatchResult result = SparkPrediction.prepare(settings, inputs).run(spark, new PrintWriter(new StringWriter()),
        60_000);
    assertEquals(3, result.units());
    assertEquals(ImageRow.Status.PREDICTED, result.rows().get(0).status(), String.valueOf(result.rows().get(0)));
    Set<String> names = outputs(library);
    assertEquals(Set.of("stack_prob.tif", "stack_labels.tif"), names.stream().filter(n -> n.endsWith(".tif"))
        .collect(Collectors.toSet()));
    assertTrue(names.contains("stack_objects.csv"), names.toString());
    assertEquals(names, outputs(out));
    assertSameFiles(library, out, names);
    assertFalse(Files.exists(out.resolve(PartFiles.WORK_FOLDER)), "the part files are removed");
  }

  /** What volumes do not have fails on the driver, before any unit runs, with the message the library gives. */
  @Test
  void aVolumeNetRefusesWatershedsOnTheDriver() throws IOException {
    Path run = TinyRun.volumeRun(dir);
    Path stack = dir.resolve("refused.tif");
    new Volume(new Size3(5, 9, 8), 1, new float[5 * 9 * 8], Calibration.NONE).write(stack);
    Path out = dir.resolve("refused");
    List<InputImage> inputs = InputImage.of(PredictionInputs.resolve("IMAGES", List.of(stack.toString()),
        Path.of(""), out));
    InferenceOptions watershed = new InferenceOptions(null, null, null, null, InstanceMethod.WATERSHED, null);
    ModelMismatchException e = assertThrows(ModelMismatchException.class, () -> SparkPrediction.prepare(
        new BatchSettings(run.toString(), watershed, out.toString(), null, null, false, 4, Set.of()), inputs));
    assertTrue(e.getMessage().startsWith("inference.instances watershed: volumes of "), e.getMessage());
    assertFalse(Files.exists(out), "nothing was written");
  }
}
