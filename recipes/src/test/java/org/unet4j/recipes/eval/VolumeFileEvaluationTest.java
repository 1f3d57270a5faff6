package org.unet4j.recipes.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unet4j.dsl.model.UNet;
import org.unet4j.dsl.recipe.LabelFormat;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.recipes.data.DataException;
import org.unet4j.recipes.data.Image;
import org.unet4j.recipes.data.ImageIo;
import org.unet4j.recipes.data.PixelType;

/**
 * TIFF stacks the test writes, scored page by page and as one volume: one cell of four voxels runs
 * through pages 1 and 2 of a 3-page stack of 5x4 pages ((x1, y1) and (x2, y1) on page 1, (x2, y1)
 * and (x2, y2) on page 2), and the prediction misses (x2, y1) of page 2, where the cell passes
 * from one page to the next.
 */
class VolumeFileEvaluationTest {
  private static final int WIDTH = 5;
  private static final int HEIGHT = 4;

  @TempDir Path dir;

  private static float[][] truthPages() {
    float[][] pages = new float[3][WIDTH * HEIGHT];
    pages[0][WIDTH + 1] = 255;
    pages[0][WIDTH + 2] = 255;
    pages[1][WIDTH + 2] = 255;
    pages[1][2 * WIDTH + 2] = 255;
    return pages;
  }

  private Path write(String name, float[][] pages, PixelType type) {
    List<Image> images = new ArrayList<>();
    for (float[] page : pages) {
      images.add(Image.gray(WIDTH, HEIGHT, type, page));
    }
    Path file = dir.resolve(name);
    ImageIo.writeTiffPages(file, images);
    return file;
  }

  private void writePair() throws Exception {
    Files.createDirectories(dir.resolve("truth"));
    Files.createDirectories(dir.resolve("pred"));
    write("truth/cell.tif", truthPages(), PixelType.UINT8);
    float[][] prob = truthPages();
    for (float[] page : prob) {
      for (int i = 0; i < page.length; i++) {
        page[i] /= 255;
      }
    }
    prob[1][WIDTH + 2] = 0;
    write("pred/cell_prob.tif", prob, PixelType.FLOAT32);
  }

  @Test
  void aStackIsScoredAsOneVolumeOrPageByPage() throws Exception {
    writePair();
    FileEvaluation slices = FileEvaluation.of((LabelFormat) null);
    FileEvaluation volume = slices.stacks(StackScoring.VOLUME);
    assertEquals(StackScoring.SLICES, slices.stacks());
    EvaluationReport bySlices = slices.evaluate(dir.resolve("truth"), dir.resolve("pred"));
    EvaluationReport asVolume = volume.evaluate(dir.resolve("truth"), dir.resolve("pred"));
    // By hand (as in VolumeMetricsTest): Rand F 6/11 in the volume, 6/7 summed over the pages.
    ImageEvaluation v = asVolume.summary().images().get(0);
    assertEquals(5.0 / 11, v.scores().randError(), 1e-12);
    assertEquals(1.0 / 7, bySlices.summary().images().get(0).scores().randError(), 1e-12);
    assertEquals(1.0 / 7, v.scores().pixelError(), 1e-12);
    assertTrue(Double.isNaN(v.scores().warpingError()));
    // Objects at 0.5: two pieces of the one cell in the volume, no match; page by page the piece of
    // page 1 is found (IoU 1) and page 2's single voxel covers half of its piece: 1 match of 2 + 2.
    assertEquals(0.0, v.scores().objectF1());
    assertEquals(0.5, bySlices.summary().images().get(0).scores().objectF1(), 1e-12);
    assertEquals(3, v.pages());
    assertEquals(WIDTH, v.width());
    assertEquals(HEIGHT, v.height());
    assertTrue(asVolume.json().contains("\"stacks\" : \"volume\""), asVolume.json());
    assertTrue(asVolume.isbiNote().contains("one volume"), asVolume.isbiNote());
    String row = asVolume.csv().lines().skip(1).findFirst().orElseThrow();
    // name, truth, pred, pages, width, height, pixelError, its threshold, randError, its threshold,
    // warpingError (empty: not defined), its threshold (empty).
    assertEquals(List.of("", ""), List.of(row.split(",", -1)).subList(10, 12));
  }

  @Test
  void predictedInstancesOfAVolumeAreTakenAsThey() throws Exception {
    writePair();
    // The cell as one instance through both pages: a perfect match, object F1 1.
    float[][] labels = truthPages();
    for (float[] page : labels) {
      for (int i = 0; i < page.length; i++) {
        page[i] = page[i] > 0 ? 7 : 0;
      }
    }
    write("pred/cell_labels.tif", labels, PixelType.UINT16);
    EvaluationReport report = FileEvaluation.of(LabelFormat.BINARY).stacks(StackScoring.VOLUME)
        .evaluate(dir.resolve("truth"), dir.resolve("pred"));
    ObjectScores objects = report.summary().images().get(0).objects();
    assertEquals(1.0, objects.objectF1());
    assertEquals(1, objects.truthObjects());
    assertTrue(Double.isNaN(objects.threshold()));
  }

  @Test
  void aRecipeOfA3dNetScoresVolumes() {
    Recipe flat = Recipe.builder("flat").model(UNet.builder().depth(1).baseFilters(2).build()).build();
    Recipe deep = flat.toBuilder().model(UNet.builder().dimensions(3).depth(1).baseFilters(2).build()).build();
    assertEquals(StackScoring.SLICES, FileEvaluation.of(flat).stacks());
    assertEquals(StackScoring.VOLUME, FileEvaluation.of(deep).stacks());
  }

  @Test
  void stacksOfDifferentDepthsAreRefused() throws Exception {
    writePair();
    write("pred/cell_prob.tif", new float[2][WIDTH * HEIGHT], PixelType.FLOAT32);
    DataException e = assertThrows(DataException.class, () -> FileEvaluation.of((LabelFormat) null)
        .stacks(StackScoring.VOLUME).evaluate(dir.resolve("truth"), dir.resolve("pred")));
    assertTrue(e.getMessage().contains("has 3 pages but prediction"), e.getMessage());
  }

  @Test
  void aTruthValueTheFormatRefusesNamesTheFile() throws Exception {
    writePair();
    float[][] twoValues = truthPages();
    twoValues[2][0] = 3;
    write("truth/cell.tif", twoValues, PixelType.UINT8);
    FileEvaluation.TruthFormatException e = assertThrows(FileEvaluation.TruthFormatException.class,
        () -> FileEvaluation.of(LabelFormat.BINARY).stacks(StackScoring.VOLUME)
            .evaluate(dir.resolve("truth"), dir.resolve("pred")));
    assertTrue(e.getMessage().contains("cell.tif: BINARY labels hold 0 (background) and one foreground value"),
        e.getMessage());
    assertTrue(e.getMessage().endsWith("(label format binary)"), e.getMessage());
  }

  @Test
  void aTruthVoxelOfTheIgnoreLabelIsLeftOut() throws Exception {
    writePair();
    // The voxel the prediction misses, where the cell passes from page 1 to page 2, not annotated.
    float[][] sparse = truthPages();
    sparse[1][WIDTH + 2] = 7;
    write("truth/cell.tif", sparse, PixelType.UINT8);
    ImageEvaluation e = FileEvaluation.of(LabelFormat.BINARY).stacks(StackScoring.VOLUME).ignoreLabel(7)
        .evaluate(dir.resolve("truth"), dir.resolve("pred")).summary().images().get(0);
    // Without it the cell's two found pieces split one cell (Rand error 5/11); ignored, the cell is
    // two pieces, both found: every error 0 and both objects matched.
    assertEquals(0.0, e.scores().pixelError());
    assertEquals(0.0, e.scores().randError());
    assertEquals(1.0, e.scores().objectF1());
    assertEquals(2, e.objects().truthObjects());
    // The same truth read without the ignore label holds two foreground values.
    assertThrows(FileEvaluation.TruthFormatException.class, () -> FileEvaluation.of(LabelFormat.BINARY)
        .stacks(StackScoring.VOLUME).evaluate(dir.resolve("truth"), dir.resolve("pred")));
  }

  @Test
  void indexLabelStacksAreScoredPerClassAsVolumes() throws Exception {
    Files.createDirectories(dir.resolve("truth"));
    Files.createDirectories(dir.resolve("pred"));
    // Truth 1 1 0 / 1 2 9 (9 ignored) against the classes 1 1 2 / 1 2 1 (as VolumeMetricsTest's hand case).
    float[][] truth = {{1, 1, 0}, {1, 2, 9}};
    float[][] classes = {{1, 1, 2}, {1, 2, 1}};
    writeRows("truth/v.tif", truth, PixelType.UINT8);
    writeRows("pred/v_classes.tif", classes, PixelType.UINT8);
    writeRows("pred/v_prob.tif", new float[2][3], PixelType.FLOAT32);
    FileEvaluation evaluation = FileEvaluation.ofClasses(9).stacks(StackScoring.VOLUME);
    EvaluationReport report = evaluation.evaluate(dir.resolve("truth"), dir.resolve("pred"));
    ClassEvaluation scores = report.summary().images().get(0).classes();
    assertEquals(VolumeMetrics.classes(List.of(ClassMap.of(new int[] {1, 1, 0}, 3, 1),
        ClassMap.of(new int[] {1, 2, 9}, 3, 1)), List.of(ClassMap.of(new int[] {1, 1, 2}, 3, 1),
        ClassMap.of(new int[] {1, 2, 1}, 3, 1)), 9), scores);
    assertEquals(1, scores.classes().get(1).truthObjects());
    assertEquals(0.75, scores.meanIou(), 1e-12);
    assertTrue(report.isbiNote().contains("not computed for index labels")
        && report.isbiNote().contains("one volume"), report.isbiNote());
    assertTrue(report.json().contains("\"ignoreLabel\" : 9"), report.json());
    // Page by page the class-1 object is two.
    ClassEvaluation pages = FileEvaluation.ofClasses(9).evaluate(dir.resolve("truth"), dir.resolve("pred"))
        .summary().images().get(0).classes();
    assertEquals(2, pages.classes().get(1).truthObjects());
  }

  private void writeRows(String name, float[][] rows, PixelType type) {
    List<Image> images = new ArrayList<>();
    for (float[] row : rows) {
      images.add(Image.gray(row.length, 1, type, row));
    }
    ImageIo.writeTiffPages(dir.resolve(name), images);
  }

  @Test
  void aRecipeOfA3dNetLeavesOutItsIgnoreLabel() {
    Recipe flat = Recipe.builder("flat").model(UNet.builder().depth(1).baseFilters(2).build())
        .data(d -> d.labelFormat(LabelFormat.BINARY).ignoreLabel(255)).build();
    Recipe deep = flat.toBuilder().model(UNet.builder().dimensions(3).depth(1).baseFilters(2).build()).build();
    assertEquals(-1, FileEvaluation.of(flat).ignoreLabel());
    assertEquals(255, FileEvaluation.of(deep).ignoreLabel());
    Recipe classes = deep.toBuilder().model(UNet.builder().dimensions(3).classes(3).depth(1).baseFilters(2).build())
        .data(d -> d.labelFormat(LabelFormat.INDEX).ignoreLabel(9)).build();
    FileEvaluation perClass = FileEvaluation.of(classes);
    assertTrue(perClass.indexLabels());
    assertEquals(StackScoring.VOLUME, perClass.stacks());
    assertEquals(9, perClass.ignoreLabel());
  }

  @Test
  void anIgnoreLabelOfCellsScoredPageByPageIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> FileEvaluation.of(LabelFormat.BINARY).ignoreLabel(255));
    assertTrue(e.getMessage().contains("ignore label 255: the page-by-page scores of a cell or instance truth count"
        + " every pixel"), e.getMessage());
    assertEquals(255, FileEvaluation.of(LabelFormat.BINARY).stacks(StackScoring.VOLUME).ignoreLabel(255)
        .ignoreLabel());
    assertThrows(IllegalArgumentException.class, () -> FileEvaluation.of(LabelFormat.BINARY)
        .stacks(StackScoring.VOLUME).ignoreLabel(255).stacks(StackScoring.SLICES));
  }
}
