package org.unet4j.spark.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unet4j.dsl.InvalidInputException;
import org.unet4j.dsl.recipe.InstanceMethod;
import org.unet4j.dsl.recipe.TestTimeAugmentation;
import org.unet4j.dsl.recipe.ThinningMethod;
import org.unet4j.recipes.data.Image;
import org.unet4j.recipes.data.ImageIo;
import org.unet4j.recipes.data.PixelType;
import org.unet4j.recipes.infer.Model;
import org.unet4j.recipes.infer.PredictedImage;
import org.unet4j.recipes.model.CheckpointException;
import org.unet4j.recipes.model.ModelSource;
import org.unet4j.spark.InferenceOptions;
import org.unet4j.spark.PredictorCache;
import org.unet4j.spark.TinyRun;

/**
 * The stage on a local[2] Spark, against the files {@code Model.predict} writes for the same images;
 * and the guide's block ({@code docs/guide/interop.md}, fenced {@code ```java spark}), which the
 * docs module cannot run without Spark: {@link #theGuidesPipelineSegmentsAFolder} is a copy of it,
 * checked line by line by {@link #theGuidesBlockIsACopyOfThisFile}.
 */
class UNetSegmenterTest {
  /** The guide's Spark blocks, and the lines of them that set the paths the test sets its own way. */
  private static final Pattern FENCE = Pattern.compile("^```java\\s+spark\\s*$");
  private static final Pattern PATH = Pattern.compile("^String \\w+ = \".*\";.*$");

  private static SparkSession spark;
  /** Single images of odd sizes (a: 3 tile rows of 4, b: 16-bit, 2 tiles) and a 3-page stack. */
  private static Path in;
  /** What Model.predict(file, folder) writes for a and b. */
  private static Map<String, PredictedImage> expected;

  @TempDir static Path dir;

  @BeforeAll
  static void start() {
    // The guide's block builds its session plainly: settings for every session of this JVM.
    System.setProperty("spark.ui.enabled", "false");
    System.setProperty("spark.ui.showConsoleProgress", "false");
    spark = SparkSession.builder().master("local[2]").appName("unet4j-spark ml tests")
        .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false").getOrCreate();
    in = dir.resolve("in");
    ImageIo.writePng(in.resolve("a.png"), TinyRun.discs(70, 45, PixelType.UINT8, 1));
    ImageIo.writeTiff(in.resolve("b.tif"), TinyRun.discs(33, 20, PixelType.UINT16, 2));
    expected = new HashMap<>();
    try (Model model = Model.load(TinyRun.run())) {
      for (String name : List.of("a.png", "b.tif")) {
        PredictedImage done = model.predict(in.resolve(name), dir.resolve("expected"));
        expected.put(done.name(), done);
      }
    }
    ImageIo.writeTiffPages(in.resolve("stack.tif"), List.of(TinyRun.discs(40, 30, PixelType.UINT8, 4),
        TinyRun.discs(40, 30, PixelType.UINT8, 5)));
  }

  @AfterAll
  static void stop() {
    spark.stop();
    PredictorCache.closeAll();
  }

  private static UNetSegmenter segmenter() {
    return new UNetSegmenter().setModelPath(TinyRun.run().toString());
  }

  private static Dataset<Row> paths(String... paths) {
    return spark.createDataset(Arrays.asList(paths), Encoders.STRING()).toDF("path");
  }

  /** The output struct of every row, by the input file's name without extension. */
  private static Map<String, Row> byName(Dataset<Row> result) {
    Map<String, Row> rows = new HashMap<>();
    for (Row row : result.select("path", "segmentation").collectAsList()) {
      String file = Path.of(row.getString(0).replaceFirst("^file:", "")).getFileName().toString();
      rows.put(file.substring(0, file.lastIndexOf('.')), row.getStruct(1));
    }
    return rows;
  }

  /** The struct holds the pixels, count and share of {@code NAME_labels.tif} as Model.predict wrote it. */
  private static void assertSameAsModelPredict(String name, Row s) {
    PredictedImage done = expected.get(name);
    Image labels = ImageIo.read(done.files().labels());
    assertNull(s.getAs("error"), name);
    assertEquals(labels.width(), (int) s.<Integer>getAs("width"), name);
    assertEquals(labels.height(), (int) s.<Integer>getAs("height"), name);
    List<Integer> values = s.getList(s.fieldIndex("labels"));
    float[] actual = new float[values.size()];
    for (int i = 0; i < actual.length; i++) {
      actual[i] = values.get(i);
    }
    assertArrayEquals(labels.pixels(), actual, name);
    assertEquals(done.objects(), (long) s.<Integer>getAs("objects"), name);
    assertEquals(done.foregroundFraction(), s.<Double>getAs("foregroundFraction"), 1e-12, name);
  }

  /**
   * Paths, plain or as file: URIs, give the labels Model.predict wrote; a null path gives a null
   * segmentation, and a path on a file system the executors cannot read as files gives an error row.
   */
  @Test
  void aPipelineOverPathsGivesTheLabelsOfModelPredictWithOneModelPerJvm() {
    int loadsBefore = PredictorCache.loads();
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {segmenter().setInputCol("path")});
    Dataset<Row> images = paths(in.resolve("a.png").toString(), in.resolve("b.tif").toUri().toString(), null,
        "hdfs://namenode/plate/c.tif");
    List<Row> rows = pipeline.fit(images).transform(images).collectAsList();
    assertTrue(PredictorCache.loads() - loadsBefore <= 1, "the model is opened once per JVM");
    assertEquals(4, rows.size());
    assertSameAsModelPredict("a", rows.get(0).getStruct(1));
    assertSameAsModelPredict("b", rows.get(1).getStruct(1));
    assertTrue(rows.get(0).getStruct(1).<Integer>getAs("objects") > 0, "the net finds discs");
    assertNull(rows.get(0).getStruct(1).getAs("probabilities"), "probabilities only when asked for");
    assertTrue(rows.get(2).isNullAt(1), "a null path gives a null segmentation");
    assertEquals("hdfs://namenode/plate/c.tif is not on a local file system (hdfs); read such images with"
        + " spark.read().format(\"binaryFile\") and give the stage their content column",
        rows.get(3).getStruct(1).getAs("error"));
  }

  /**
   * binaryFile rows (any file system) give the same labels as paths; the stack and the broken file
   * fill their rows' error and the others are segmented.
   */
  @Test
  void binaryFileRowsGiveTheSameLabelsAndBadImagesTheirRowsError() throws IOException {
    Path broken = Files.writeString(Files.createDirectories(dir.resolve("broken")).resolve("broken.png"),
        "this is no image\n");
    Dataset<Row> files = spark.read().format("binaryFile").load(in.toString(), broken.toString());
    Dataset<Row> result = segmenter().setProbabilities(true).transform(files);
    assertEquals(UNetSegmenter.outputType(), result.schema().apply("segmentation").dataType());
    Map<String, Row> rows = byName(result);
    assertEquals(4, rows.size());
    assertSameAsModelPredict("a", rows.get("a"));
    assertSameAsModelPredict("b", rows.get("b"));
    try (Model model = Model.load(TinyRun.run())) {
      float[] foreground = model.predict(ImageIo.read(in.resolve("a.png"))).probabilities().foreground();
      List<Float> probabilities = rows.get("a").getList(rows.get("a").fieldIndex("probabilities"));
      assertEquals(foreground.length, probabilities.size());
      for (int i = 0; i < foreground.length; i++) {
        assertEquals(foreground[i], probabilities.get(i), "pixel " + i);
      }
    }
    assertEquals("content has 2 pages; the stage segments one image per row: give one page per row, or predict"
        + " stacks with SparkPrediction", rows.get("stack").getAs("error"));
    assertNull(rows.get("stack").getAs("labels"));
    assertEquals("content: is not a TIFF or PNG image: it holds text (starting \"this is no image\")",
        rows.get("broken").getAs("error"));
  }

  /**
   * The thinBoundaries param reaches the executors: a's probabilities are those Model.predict writes with the
   * boundaries thinned along the ridge, which differ from the net's own.
   */
  @Test
  void thinBoundariesGivesTheThinnedMapOfModelPredict() {
    Row a = segmenter().setInputCol("path").setProbabilities(true).setThinBoundaries(ThinningMethod.RIDGE)
        .transform(paths(in.resolve("a.png").toString())).select("segmentation.probabilities").first();
    ModelSource source = ModelSource.of(TinyRun.run());
    InferenceOptions ridge = new InferenceOptions(null, null, null, null, null, null, null, ThinningMethod.RIDGE);
    try (Model thinned = Model.load(source, ridge.checkedFor(source))) {
      float[] expectedMap = thinned.predict(ImageIo.read(in.resolve("a.png"))).probabilities().foreground();
      List<Float> actual = a.getList(0);
      assertEquals(expectedMap.length, actual.size());
      for (int i = 0; i < expectedMap.length; i++) {
        assertEquals(expectedMap[i], actual.get(i), "pixel " + i);
      }
      float[] net = ImageIo.read(expected.get("a").files().probabilities()).pixels();
      assertFalse(Arrays.equals(expectedMap, net), "thinning changes the probabilities of a");
    }
  }

  /** The stage alone and inside a fitted PipelineModel keeps its uid and every param through save and load. */
  @Test
  void saveAndLoadKeepEveryParam() throws IOException {
    UNetSegmenter stage = segmenter().setInputCol("file").setOutputCol("cells").setProbabilities(true).setTile(76)
        .setBatchSize(3).setTta(TestTimeAugmentation.DIHEDRAL).setThreshold(0.4)
        .setInstances(InstanceMethod.WATERSHED).setSeedThreshold(0.8).setThinBoundaries(ThinningMethod.RIDGE);
    InferenceOptions options = new InferenceOptions(76, 3, TestTimeAugmentation.DIHEDRAL, 0.4,
        InstanceMethod.WATERSHED, 0.8, null, ThinningMethod.RIDGE);
    assertEquals(options, stage.inferenceOptions());
    stage.write().overwrite().save(dir.resolve("stage").toString());
    UNetSegmenter loaded = UNetSegmenter.load(dir.resolve("stage").toString());
    assertEquals(stage.uid(), loaded.uid());
    assertEquals(stage.extractParamMap().toString(), loaded.extractParamMap().toString());
    assertEquals(options, loaded.inferenceOptions());
    assertEquals("cells", loaded.getOutputCol());

    Dataset<Row> files = paths(in.resolve("a.png").toString()).withColumnRenamed("path", "file");
    PipelineModel fitted = new Pipeline().setStages(new PipelineStage[] {stage}).fit(files);
    fitted.write().overwrite().save(dir.resolve("pipeline").toString());
    UNetSegmenter inPipeline = (UNetSegmenter) PipelineModel.load(dir.resolve("pipeline").toString()).stages()[0];
    assertEquals(stage.extractParamMap().toString(), inPipeline.extractParamMap().toString());
    assertEquals(options, inPipeline.inferenceOptions());

    UNetSegmenter plain = UNetSegmenter.load(saveFresh());
    assertEquals(InferenceOptions.none(), plain.inferenceOptions(), "unset params stay unset");
    assertEquals("content", plain.getInputCol());
  }

  private static String saveFresh() throws IOException {
    String path = dir.resolve("fresh").toString();
    segmenter().write().overwrite().save(path);
    return path;
  }

  @Test
  void aColumnOfAnotherTypeIsRefusedWithWhatTheStageReads() {
    Dataset<Row> files = spark.read().format("binaryFile").load(in.resolve("a.png").toString());
    UNetSegmenter stage = segmenter().setInputCol("length");
    StageInputException e = assertThrows(StageInputException.class, () -> stage.transform(files));
    assertEquals(stage.uid() + ": the input column \"length\" holds bigint; the stage reads image paths (string) or"
        + " image file content (binary, the column content of spark.read().format(\"binaryFile\"))", e.getMessage());
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {stage});
    assertThrows(StageInputException.class, () -> pipeline.fit(files), "a pipeline checks it before any work");

    StageInputException missing = assertThrows(StageInputException.class,
        () -> segmenter().setInputCol("image").transformSchema(files.schema()));
    assertTrue(missing.getMessage().endsWith(": the input column \"image\" is not in the data; its columns: path,"
        + " modificationTime, length, content"), missing.getMessage());
    StageInputException taken = assertThrows(StageInputException.class,
        () -> segmenter().setOutputCol("path").transformSchema(files.schema()));
    assertTrue(taken.getMessage().endsWith(": the output column \"path\" is in the data already; choose another"
        + " outputCol"), taken.getMessage());
    StageInputException noModel = assertThrows(StageInputException.class,
        () -> new UNetSegmenter().transformSchema(files.schema()));
    assertTrue(noModel.getMessage().endsWith(": modelPath is not set; give the model's run directory, checkpoint or"
        + " export"), noModel.getMessage());
  }

  /** The driver checks the model and the inference params before any executor work. */
  @Test
  void aWrongModelOrTileFailsOnTheDriver() {
    Dataset<Row> images = paths(in.resolve("a.png").toString());
    InvalidInputException tile = assertThrows(InvalidInputException.class,
        () -> segmenter().setInputCol("path").setTile(61).transform(images));
    assertTrue(tile.getMessage().contains("61"), tile.getMessage());
    assertNotEquals(StageInputException.class, tile.getClass());
    CheckpointException notAModel = assertThrows(CheckpointException.class,
        () -> segmenter().setModelPath(dir.resolve("nothing").toString()).setInputCol("path").transform(images));
    assertTrue(notAModel.getMessage().contains(dir.resolve("nothing").toString()), notAModel.getMessage());
    IllegalArgumentException threshold = assertThrows(IllegalArgumentException.class,
        () -> segmenter().setThreshold(1.5));
    assertTrue(threshold.getMessage().contains("threshold given invalid value 1.5"), threshold.getMessage());
  }

  /** The block of docs/guide/interop.md: its code lines, in order, but the three paths, which are the test's. */
  @Test
  void theGuidesPipelineSegmentsAFolder() throws IOException {
    String run = TinyRun.run().toString();
    String plate = in.toString();
    String saved = dir.resolve("pipelines/nuclei").toString();
    SparkSession spark = SparkSession.builder().master("local[2]").getOrCreate();
    Dataset<Row> images = spark.read().format("binaryFile").load(plate);
    UNetSegmenter segmenter = new UNetSegmenter()
        .setModelPath(run)
        .setInputCol("content")                         // the files' bytes; or a column of paths
        .setTta(TestTimeAugmentation.MIRRORS);          // unset params keep the recipe's inference.*
    PipelineModel pipeline = new Pipeline().setStages(new PipelineStage[] {segmenter}).fit(images);
    pipeline.write().overwrite().save(saved);           // the stage's params, not the model's weights
    Dataset<Row> cells = PipelineModel.load(saved).transform(images)
        .select("path", "segmentation.objects", "segmentation.foregroundFraction", "segmentation.error");
    cells.show(false);

    Map<String, Row> rows = new HashMap<>();
    for (Row row : cells.collectAsList()) {
      rows.put(Path.of(row.getString(0).replaceFirst("^file:", "")).getFileName().toString(), row);
    }
    assertEquals(3, rows.size());
    ModelSource source = ModelSource.of(Path.of(run));
    try (Model mirrored = Model.load(source, new InferenceOptions(null, null, TestTimeAugmentation.MIRRORS, null,
        null, null).checkedFor(source))) {
      for (String name : List.of("a.png", "b.tif")) {
        assertEquals(mirrored.predict(ImageIo.read(in.resolve(name))).objects(), rows.get(name).getInt(1), name);
        assertTrue(rows.get(name).isNullAt(3), name);
      }
      // The tta param reaches the executors: b's probabilities are the mirrored model's, not the plain one's.
      Row b = segmenter.setProbabilities(true).transform(images).where("path LIKE '%/b.tif'")
          .select("segmentation.probabilities").first();
      float[] averaged = mirrored.predict(ImageIo.read(in.resolve("b.tif"))).probabilities().foreground();
      List<Float> actual = b.getList(0);
      assertEquals(averaged.length, actual.size());
      for (int i = 0; i < averaged.length; i++) {
        assertEquals(averaged[i], actual.get(i), "pixel " + i);
      }
      float[] plain = ImageIo.read(expected.get("b").files().probabilities()).pixels();
      assertEquals(averaged.length, plain.length);
      assertFalse(Arrays.equals(averaged, plain), "mirroring changes the probabilities of b");
    }
    assertTrue(rows.get("stack.tif").getString(3).contains("has 2 pages"));
    String plan = cells.queryExecution().optimizedPlan().toString();
    assertEquals(1, plan.split("UDF\\(", -1).length - 1, "selecting 3 fields predicts each image once: " + plan);
  }

  @Test
  void theGuidesBlockIsACopyOfThisFile() throws IOException {
    Path base = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    List<String> guide = Files.readAllLines(base.resolveSibling("docs").resolve("guide/interop.md"));
    String here = Files.readString(base.resolve("src/test/java/org/unet4j/spark/ml/UNetSegmenterTest.java"));
    List<String> code = new ArrayList<>();
    for (String line : here.split("\n")) {
      code.add(normalized(line));
    }
    int blocks = 0;
    int at = 0;
    for (int i = 0; i < guide.size(); i++) {
      if (!FENCE.matcher(guide.get(i)).matches()) {
        continue;
      }
      blocks++;
      for (i++; !guide.get(i).startsWith("```"); i++) {
        String line = normalized(guide.get(i));
        if (line.isEmpty() || PATH.matcher(line).matches()) {
          continue;
        }
        if (line.startsWith("import ")) {
          // The stage's own import is the one this file, in its package, does without.
          assertTrue(code.contains(line) || line.equals("import " + UNetSegmenter.class.getName() + ";"),
              "docs/guide/interop.md:" + (i + 1) + ": this import is not in this file");
          continue;
        }
        int found = code.subList(at, code.size()).indexOf(line);
        assertTrue(found >= 0, "docs/guide/interop.md:" + (i + 1) + ": this line is not in this file after the"
            + " block's previous line: " + line);
        at += found + 1;
      }
    }
    assertEquals(1, blocks, "the Spark ML block of docs/guide/interop.md");
  }

  private static String normalized(String line) {
    return line.strip().replaceAll("\\s+", " ");
  }
}
