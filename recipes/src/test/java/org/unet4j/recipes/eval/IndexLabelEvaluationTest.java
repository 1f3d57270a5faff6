package org.unet4j.recipes.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.unet4j.dsl.recipe.DataSpec;
import org.unet4j.dsl.recipe.LabelFormat;
import org.junit.jupiter.api.io.TempDir;
import org.unet4j.recipes.data.Image;
import org.unet4j.recipes.data.ImageIo;
import org.unet4j.recipes.data.PixelType;

/** {@link FileEvaluation#ofClasses} on files: where the predicted classes come from, and bad truths. */
class IndexLabelEvaluationTest {
  @TempDir Path dir;

  @Test
  void withoutAClassMapTheProbabilityAboveTheThresholdIsClassOne() {
    Path truth = dir.resolve("a.png");
    ImageIo.writePng(truth, Image.gray(5, 1, PixelType.UINT8, new float[] {0, 1, 1, 255, 1}));
    Path prediction = dir.resolve("a_prob.tif");
    ImageIo.writeTiff(prediction, Image.gray(5, 1, PixelType.FLOAT32, new float[] {0.6f, 0.9f, 0.2f, 0.9f, 0.7f}));
    EvaluationReport report = FileEvaluation.ofClasses(255).evaluate(truth, prediction);
    ClassEvaluation classes = report.summary().images().get(0).classes();
    // Class 1: true {1, 2, 4}, predicted {0, 1, 4} (x=3 ignored): 2 shared of 4.
    assertEquals(2.0 / 4, classes.classes().get(1).iou(), 1e-12);
    assertEquals(1, classes.ignoredPixels());
    assertEquals("index", report.evaluation().truthFormatName());
    assertTrue(report.json().contains("\"ignoreLabel\" : 255"), report.json());
    assertTrue(report.csv().lines().findFirst().orElseThrow().endsWith(
        "meanClassIou,meanClassDice,meanClassObjectF1,iou@class0,dice@class0,objectF1@class0,iou@class1,dice@class1,"
            + "objectF1@class1"), report.csv());
  }

  @Test
  void theClassMapBesideThePredictionIsPreferred() {
    Path truth = dir.resolve("a.png");
    ImageIo.writePng(truth, Image.gray(3, 1, PixelType.UINT8, new float[] {0, 1, 2}));
    Path prediction = dir.resolve("a_prob.tif");
    ImageIo.writeTiff(prediction, Image.gray(3, 1, PixelType.FLOAT32, new float[] {0, 0, 0}));
    ImageIo.writeTiff(dir.resolve("a_classes.tif"), Image.gray(3, 1, PixelType.UINT8, new float[] {0, 1, 1}));
    ClassEvaluation classes = FileEvaluation.ofClasses(-1).evaluate(truth, prediction).summary().images().get(0)
        .classes();
    assertEquals(1.0 / 2, classes.classes().get(1).iou(), 1e-12);
    assertEquals(0.0, classes.classes().get(2).iou());
    assertEquals(-1, classes.ignoreLabel());
  }

  @Test
  void aTruthThatIsNoIndexLabelIsRefusedNamingTheFormat() {
    Path truth = dir.resolve("a.tif");
    ImageIo.writeTiff(truth, Image.gray(2, 1, PixelType.FLOAT32, new float[] {0, 0.5f}));
    Path prediction = dir.resolve("a_prob.tif");
    ImageIo.writeTiff(prediction, Image.gray(2, 1, PixelType.FLOAT32, new float[] {0, 1}));
    FileEvaluation.TruthFormatException e = assertThrows(FileEvaluation.TruthFormatException.class,
        () -> FileEvaluation.ofClasses(-1).evaluate(truth, prediction));
    assertTrue(e.getMessage().contains("0.5") && e.getMessage().endsWith("(label format index)"), e.getMessage());
  }
  @Test
  void aRecipesDataSpecGivesItsIgnoreLabelToIndexLabelsAndItsFormatToOthers() {
    Path truth = dir.resolve("a.png");
    ImageIo.writePng(truth, Image.gray(4, 1, PixelType.UINT8, new float[] {0, 1, 7, 1}));
    Path prediction = dir.resolve("a_prob.tif");
    ImageIo.writeTiff(prediction, Image.gray(4, 1, PixelType.FLOAT32, new float[] {0.1f, 0.9f, 0.9f, 0.2f}));
    DataSpec index = DataSpec.builder().labelFormat(LabelFormat.INDEX).ignoreLabel(7).build();
    ClassEvaluation classes = FileEvaluation.of(index).evaluate(truth, prediction).summary().images().get(0)
        .classes();
    // x=2 (label 7) is left out: class 1 is true at {1, 3} and predicted at {1}, so 1 shared of 2.
    assertEquals(7, classes.ignoreLabel());
    assertEquals(1, classes.ignoredPixels());
    assertEquals(1.0 / 2, classes.classes().get(1).iou(), 1e-12);
    DataSpec binary = DataSpec.builder().labelFormat(LabelFormat.BINARY).build();
    assertEquals("binary", FileEvaluation.of(binary).truthFormatName());
  }
}
