package org.unet4j.cli;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unet4j.recipes.data.Image;
import org.unet4j.recipes.data.ImageIo;
import org.unet4j.recipes.data.PixelType;

class EvaluateCommandTest {
  @TempDir Path dir;

  /** Two 2x2 cells (255) in a 4x4 membrane image (0). */
  private static final float[] TRUTH = {
      255, 255, 0, 0,
      255, 255, 0, 0,
      0, 0, 255, 255,
      0, 0, 255, 255};

  /**
   * Cell probabilities whose pixel F-score, counted by hand per threshold, peaks at 16/19 at 0.2
   * (tp 8, fp 3, fn 0): pixel error 3/19.
   */
  private static final float[] SOFT = {
      .875f, .75f, .25f, .625f,
      .625f, .375f, .125f, .125f,
      .375f, 0f, .875f, .875f,
      0f, 0f, .5f, .25f};

  private Path png(String name, float[] values, int width) {
    Path file = dir.resolve(name);
    ImageIo.writePng(file, Image.gray(width, values.length / width, PixelType.UINT8, values));
    return file;
  }

  private Path floatTiff(String name, float[] values, int width) {
    Path file = dir.resolve(name);
    ImageIo.writeTiff(file, Image.gray(width, values.length / width, PixelType.FLOAT32, values));
    return file;
  }

  private static float[] perfect() {
    float[] p = new float[TRUTH.length];
    for (int i = 0; i < p.length; i++) {
      p[i] = TRUTH[i] > 0 ? 1 : 0;
    }
    return p;
  }

  @Test
  void scoresOnePairAndWritesJsonAndCsv() throws IOException {
    Path truth = png("t.png", TRUTH, 4);
    Path pred = floatTiff("p.tif", SOFT, 4);
    Path json = dir.resolve("out/results.json");
    CliRun run = CliRun.of("evaluate", "--truth", truth.toString(), "--pred", pred.toString(), "--json",
        json.toString());
    assertEquals(0, run.status(), run.err());
    List<String> lines = run.out().lines().toList();
    assertAll(
        () -> assertEquals("image pages   pixelError    randError warpingError        vRand        vInfo"
            + "          iou         dice     objectF1           ap          seg", lines.get(0)),
        () -> assertTrue(lines.get(1).startsWith("t         1       0.1579 "), lines.get(1)),
        () -> assertEquals("ISBI metrics at their best thresholds; iou, dice, objectF1, ap, seg at 0.5", lines.get(2)),
        () -> assertEquals("wrote " + json + " and " + dir.resolve("out/results.csv"), lines.get(3)));

    JsonNode root = new ObjectMapper().readTree(json.toFile());
    JsonNode image = root.at("/images/0");
    assertAll(
        () -> assertEquals("cells-above-zero", root.at("/labelFormat").asText()),
        () -> assertEquals("t", image.at("/name").asText()),
        () -> assertEquals(3.0 / 19, image.at("/pixelError").asDouble(), 1e-15),
        () -> assertEquals(0.2, image.at("/thresholds/pixelError").asDouble()),
        () -> assertEquals(4, image.at("/width").asInt()),
        () -> assertEquals(1, image.at("/pages").asInt()),
        () -> assertTrue(image.at("/objectF1Sweep/0.95").isNumber()),
        () -> assertTrue(image.at("/apSweep/0.50").isNumber()),
        () -> assertEquals(2, image.at("/objects/truth").asInt()),
        () -> assertEquals(3.0 / 19, root.at("/mean/pixelError").asDouble(), 1e-15),
        () -> assertEquals(1, root.at("/mean/images").asInt()));
    for (String key : List.of("pixelError", "randError", "warpingError", "vRand", "vInfo", "iou", "dice",
        "objectF1", "ap", "seg")) {
      assertTrue(image.has(key) && root.at("/mean").has(key), key);
    }

    List<String> csv = Files.readAllLines(dir.resolve("out/results.csv"));
    assertEquals(3, csv.size(), "header, one image, mean");
    assertTrue(csv.get(0).startsWith("name,truth,pred,pages,width,height,pixelError,pixelErrorThreshold,"),
        csv.get(0));
    assertTrue(csv.get(1).startsWith("t," + truth + "," + pred + ",1,4,4,0.1578947368421052"), csv.get(1));
    assertTrue(csv.get(2).startsWith("mean,,,,,,0.1578947368421052"), csv.get(2));
  }

  @Test
  void foldersPairByNameAndPreferTheProbabilityFile() {
    Path truths = dir.resolve("truth");
    Path preds = dir.resolve("pred");
    ImageIo.writePng(truths.resolve("a.png"), Image.gray(4, 4, PixelType.UINT8, TRUTH));
    ImageIo.writePng(truths.resolve("b.png"), Image.gray(4, 4, PixelType.UINT8, TRUTH));
    ImageIo.writeTiff(preds.resolve("a_prob.tif"), Image.gray(4, 4, PixelType.FLOAT32, perfect()));
    // a.tif is the raw image, not a prediction: a_prob.tif wins. a_labels.tif is ignored (--objects threshold).
    ImageIo.writeTiff(preds.resolve("a.tif"), Image.gray(4, 4, PixelType.FLOAT32, new float[16]));
    ImageIo.writeTiff(preds.resolve("a_labels.tif"), Image.gray(4, 4, PixelType.FLOAT32, new float[16]));
    // An 8-bit prediction is read as v / 255.
    float[] eightBit = perfect();
    for (int i = 0; i < eightBit.length; i++) {
      eightBit[i] *= 255;
    }
    ImageIo.writePng(preds.resolve("b.png"), Image.gray(4, 4, PixelType.UINT8, eightBit));
    CliRun run = CliRun.of("evaluate", "--truth", truths.toString(), "--pred", preds.toString(), "--objects",
        "threshold");
    assertEquals(0, run.status(), run.err());
    List<String> lines = run.out().lines().toList();
    assertEquals(5, lines.size(), run.out());
    String perfectRow = "    1       0.0000       0.0000     0.000000       1.0000       1.0000       1.0000"
        + "       1.0000       1.0000       1.0000       1.0000";
    assertEquals("a     " + perfectRow, lines.get(1));
    assertEquals("b     " + perfectRow, lines.get(2));
    assertEquals("mean  " + perfectRow.replaceFirst(" {4}1", "     "), lines.get(3));
  }

  /**
   * The perfect probabilities, but predicted instances that split the first cell into two columns
   * (IoU 2/4 each: no match) and miss the second: object F1 = 0 / (2 + 2) = 0, AP 0 / (0 + 2 + 2)
   * = 0 at every IoU threshold, SEG 0 (each half covers exactly, not more than, half of the cell);
   * foreground IoU of the instances 4/8 = 0.5, Dice 8/12. The ISBI metrics still read the
   * probabilities (perfect).
   */
  @Test
  void objectScoresComeFromThePredictedInstancesWherePresent() throws IOException {
    Path truths = dir.resolve("truth");
    Path preds = dir.resolve("pred");
    ImageIo.writePng(truths.resolve("a.png"), Image.gray(4, 4, PixelType.UINT8, TRUTH));
    ImageIo.writeTiff(preds.resolve("a_prob.tif"), Image.gray(4, 4, PixelType.FLOAT32, perfect()));
    float[] split = {
        1, 2, 0, 0,
        1, 2, 0, 0,
        0, 0, 0, 0,
        0, 0, 0, 0};
    ImageIo.writeTiff(preds.resolve("a_labels.tif"), Image.gray(4, 4, PixelType.UINT16, split));
    Path json = dir.resolve("scores.json");
    CliRun run = CliRun.of("evaluate", "--truth", truths.toString(), "--pred", preds.toString(), "--json",
        json.toString());
    assertEquals(0, run.status(), run.err());
    List<String> lines = run.out().lines().toList();
    assertEquals("a         1       0.0000       0.0000     0.000000       1.0000       1.0000       0.5000"
        + "       0.6667       0.0000       0.0000       0.0000", lines.get(1));
    assertEquals("ISBI metrics at their best thresholds; iou, dice, objectF1, ap, seg of the predicted instances"
        + " (NAME_labels)", lines.get(2));
    JsonNode image = new ObjectMapper().readTree(json.toFile()).at("/images/0");
    assertEquals(preds.resolve("a_labels.tif").toString(), image.at("/instances").asText());
    assertEquals(2, image.at("/objects/predicted").asInt());
    assertTrue(image.at("/thresholds/objects").isNull());

    CliRun thresholded = CliRun.of("evaluate", "--truth", truths.toString(), "--pred", preds.toString(),
        "--objects", "threshold");
    assertTrue(thresholded.out().lines().toList().get(1).endsWith("1.0000       1.0000       1.0000"),
        thresholded.out());
  }

  @Test
  void objectsFromLabelsNeedTheLabelsFile() {
    Path t = png("t.png", TRUTH, 4);
    Path p = floatTiff("a_prob.tif", perfect(), 4);
    assertUserError(CliRun.of("evaluate", "--truth", t.toString(), "--pred", p.toString(), "--objects", "labels"),
        "--objects labels: no a_labels.tif beside the prediction in " + dir + "; predict with unet4j predict, which"
            + " writes it, or score objects with --objects threshold");
    assertUserError(CliRun.of("evaluate", "--truth", t.toString(), "--pred", p.toString(), "--objects", "best"),
        "--objects best: expected auto, labels, threshold");
  }

  @Test
  void stacksAreScoredSliceBySlice() {
    Path truth = dir.resolve("t.tif");
    ImageIo.writeTiffPages(truth, List.of(Image.gray(4, 4, PixelType.UINT8, TRUTH),
        Image.gray(4, 4, PixelType.UINT8, TRUTH)));
    Path pred = dir.resolve("p.tif");
    ImageIo.writeTiffPages(pred, List.of(Image.gray(4, 4, PixelType.FLOAT32, perfect()),
        Image.gray(4, 4, PixelType.FLOAT32, SOFT)));
    CliRun run = CliRun.of("evaluate", "--truth", truth.toString(), "--pred", pred.toString());
    assertEquals(0, run.status(), run.err());
    // Summed counts (hand-counted): best F 32/35 at 0.2, pixel error 3/35 = 0.0857.
    assertTrue(run.out().lines().toList().get(1).startsWith("t         2       0.0857 "), run.out());
  }

  @Test
  void withVolumeAStackIsOneVolume() {
    Path truth = dir.resolve("t.tif");
    ImageIo.writeTiffPages(truth, List.of(Image.gray(4, 4, PixelType.UINT8, TRUTH),
        Image.gray(4, 4, PixelType.UINT8, TRUTH)));
    Path pred = dir.resolve("p.tif");
    ImageIo.writeTiffPages(pred, List.of(Image.gray(4, 4, PixelType.FLOAT32, perfect()),
        Image.gray(4, 4, PixelType.FLOAT32, perfect())));
    CliRun run = CliRun.of("evaluate", "--truth", truth.toString(), "--pred", pred.toString(), "--volume");
    assertEquals(0, run.status(), run.err());
    List<String> lines = run.out().lines().toList();
    // A perfect prediction: errors 0, scores 1, and no warping error for a volume.
    assertTrue(lines.get(1).startsWith("t         2       0.0000       0.0000          n/a       1.0000"), run.out());
    assertTrue(lines.get(2).endsWith("; each stack scored as one volume (6-connected objects); the warping error is"
        + " not defined for volumes"), run.out());
  }

  @Test
  void indexLabelStacksAreScoredPerClassAsVolumesLeavingOutTheIgnoreLabel() {
    // Truth 1 1 0 / 1 2 9 against the classes 1 1 2 / 1 2 1, 9 ignored (VolumeMetricsTest's hand case):
    // class 1 exact (IoU 1), class 2 IoU 1/2, class 0 IoU 0; means over classes 1..2: 0.75.
    Path truth = dir.resolve("v.tif");
    ImageIo.writeTiffPages(truth, List.of(Image.gray(3, 1, PixelType.UINT8, new float[] {1, 1, 0}),
        Image.gray(3, 1, PixelType.UINT8, new float[] {1, 2, 9})));
    ImageIo.writeTiffPages(dir.resolve("v_classes.tif"), List.of(Image.gray(3, 1, PixelType.UINT8,
        new float[] {1, 1, 2}), Image.gray(3, 1, PixelType.UINT8, new float[] {1, 2, 1})));
    Path pred = dir.resolve("v_prob.tif");
    ImageIo.writeTiffPages(pred, List.of(Image.gray(3, 1, PixelType.FLOAT32, new float[3]),
        Image.gray(3, 1, PixelType.FLOAT32, new float[3])));
    CliRun run = CliRun.of("evaluate", "--truth", truth.toString(), "--pred", pred.toString(), "--volume", "--labels",
        "index", "--ignore-label", "9");
    assertEquals(0, run.status(), run.err());
    assertTrue(run.out().contains("1        1.0000   1.0000    1.0000"), run.out());
    assertTrue(run.out().contains("mean     0.7500   0.8333    0.8333   (classes 1..2)"), run.out());
    assertTrue(run.out().contains("each stack scored as one volume"), run.out());
    assertUserError(CliRun.of("evaluate", "--truth", truth.toString(), "--pred", pred.toString(), "--recipe",
        "paper/isbi2012", "--ignore-label", "9"), "--ignore-label 9: the --recipe's data.ignoreLabel is the ignore"
        + " value; give one of them");
  }

  @Test
  void colourCodedTruthNeedsItsLabelFormat() {
    // Two touching cells of values 1 and 2, predicted as one blob: one object under cells-above-zero
    // (F1 1, SEG 1), two under color-components (F1 0: the blob matches neither with IoU > 0.5;
    // SEG 0.5: the blob covers all of each cell, so it is each one's SEG match with Jaccard 2/4).
    float[] truth = {1, 1, 2, 2, 0, 0, 0, 0};
    float[] pred = {1, 1, 1, 1, 0, 0, 0, 0};
    Path t = png("t.png", truth, 4);
    Path p = floatTiff("p.tif", pred, 4);
    CliRun plain = CliRun.of("evaluate", "--truth", t.toString(), "--pred", p.toString());
    CliRun coded = CliRun.of("evaluate", "--truth", t.toString(), "--pred", p.toString(), "--labels",
        "color-components");
    assertEquals(0, plain.status(), plain.err());
    assertEquals(0, coded.status(), coded.err());
    assertTrue(plain.out().lines().toList().get(1).endsWith("1.0000"), plain.out());
    assertTrue(coded.out().lines().toList().get(1).endsWith("0.0000       0.5000"), coded.out());
    // The recipe's data.labelFormat does the same.
    CliRun recipe = CliRun.of("evaluate", "--truth", t.toString(), "--pred", p.toString(), "--recipe",
        "nuclei-demo");
    assertEquals(coded.out(), recipe.out());
  }

  @Test
  void anAllBlackPredictionOfAnAllWhiteTruthFailsThePixelAndRandScores() throws IOException {
    // 4x3, truth all cell (255), prediction all 0: by the definitions (see DegenerateCasesTest)
    // pixel error 1, Rand error 1 - 2/13, V_rand 1 and warping error 0 (one basin covers an empty
    // proposal; deleting a whole object is no merge or split), V_info 0, IoU, Dice, F1 0.
    float[] white = new float[12];
    java.util.Arrays.fill(white, 255);
    Path t = png("white.png", white, 4);
    Path p = png("black.png", new float[12], 4);
    Path json = dir.resolve("degenerate.json");
    CliRun run = CliRun.of("evaluate", "--truth", t.toString(), "--pred", p.toString(), "--json", json.toString());
    assertEquals(0, run.status(), run.err());
    JsonNode image = new ObjectMapper().readTree(json.toFile()).at("/images/0");
    assertAll(
        () -> assertEquals(1.0, image.at("/pixelError").asDouble()),
        () -> assertEquals(11.0 / 13, image.at("/randError").asDouble(), 1e-15),
        () -> assertEquals(0.0, image.at("/warpingError").asDouble()),
        () -> assertEquals(1.0, image.at("/vRand").asDouble()),
        () -> assertEquals(0.0, image.at("/vInfo").asDouble()),
        () -> assertEquals(0.0, image.at("/iou").asDouble()),
        () -> assertEquals(0.0, image.at("/dice").asDouble()),
        () -> assertEquals(0.0, image.at("/objectF1").asDouble()),
        () -> assertEquals(0.0, image.at("/ap").asDouble()),
        () -> assertEquals(0.0, image.at("/seg").asDouble()),
        () -> assertEquals(1, image.at("/objects/truth").asInt()),
        () -> assertEquals(0, image.at("/objects/predicted").asInt()));
    // A one-pixel image: a wrong pixel is an object deletion, not a merge or split.
    Path t1 = png("one.png", new float[] {255}, 1);
    Path p1 = png("none.png", new float[] {0}, 1);
    Path json1 = dir.resolve("one.json");
    assertEquals(0, CliRun.of("evaluate", "--truth", t1.toString(), "--pred", p1.toString(), "--json",
        json1.toString()).status());
    JsonNode one = new ObjectMapper().readTree(json1.toFile()).at("/images/0");
    assertAll(
        () -> assertEquals(1.0, one.at("/pixelError").asDouble()),
        () -> assertEquals(0.0, one.at("/warpingError").asDouble()));
  }

  @Test
  void anAllNanPredictionIsRefused() {
    Path t = png("t.png", TRUTH, 4);
    float[] nan = new float[16];
    java.util.Arrays.fill(nan, Float.NaN);
    Path p = floatTiff("nan.tif", nan, 4);
    assertUserError(CliRun.of("evaluate", "--truth", t.toString(), "--pred", p.toString()),
        p + ": the probability at (x=0, y=0) is NaN; a prediction that holds NaN cannot be thresholded"
            + " (did the model diverge?)");
  }

  /**
   * A membrane map (1 - SOFT, exact in float) scored with the ISBI recipe, which says its
   * predictions hold membrane probability, or with --probability-of: the pixel error of SOFT itself
   * (3/19, counted by hand above); read as cell probability it scores worse.
   */
  @Test
  void aMembraneMapIsScoredAsTheRecipeOrTheOptionSays() throws IOException {
    Path truth = png("t.png", TRUTH, 4);
    float[] membrane = new float[SOFT.length];
    for (int i = 0; i < membrane.length; i++) {
      membrane[i] = 1 - SOFT[i];
    }
    Path pred = floatTiff("membrane.tif", membrane, 4);
    for (List<String> how : List.of(List.of("--recipe", "paper/isbi2012"),
        List.of("--labels", "isbi-membrane", "--probability-of", "background"))) {
      Path json = dir.resolve("scores.json");
      List<String> args = new java.util.ArrayList<>(List.of("evaluate", "--truth", truth.toString(), "--pred",
          pred.toString(), "--json", json.toString()));
      args.addAll(how);
      CliRun run = CliRun.of(args.toArray(new String[0]));
      assertEquals(0, run.status(), run.err());
      assertEquals(3.0 / 19, new ObjectMapper().readTree(json.toFile()).at("/mean/pixelError").asDouble(), 1e-15,
          how.toString());
    }
    Path json = dir.resolve("inverted.json");
    assertEquals(0, CliRun.of("evaluate", "--truth", truth.toString(), "--pred", pred.toString(), "--labels",
        "isbi-membrane", "--json", json.toString()).status());
    assertTrue(new ObjectMapper().readTree(json.toFile()).at("/mean/pixelError").asDouble() > 3.0 / 19);
    assertUserError(CliRun.of("evaluate", "--truth", truth.toString(), "--pred", pred.toString(),
        "--probability-of", "membrane"), "--probability-of membrane: expected foreground or background");
  }

  private void assertUserError(CliRun run, String message) {
    assertEquals(Unet4j.USAGE, run.status(), run.out() + run.err());
    assertEquals("unet4j evaluate: " + message + "\n", run.err());
    assertFalse(run.err().contains("Exception"), run.err());
  }

  @Test
  void sizeMismatchNamesBothFilesAndSizes() {
    Path t = png("t.png", TRUTH, 4);
    Path p = floatTiff("p.tif", new float[12], 3);
    assertUserError(CliRun.of("evaluate", "--truth", t.toString(), "--pred", p.toString()),
        "truth " + t + " is 4x4 but prediction " + p + " is 3x4");
  }

  @Test
  void pageCountMismatchIsNamed() {
    Path t = png("t.png", TRUTH, 4);
    Path p = dir.resolve("p.tif");
    ImageIo.writeTiffPages(p, List.of(Image.gray(4, 4, PixelType.FLOAT32, SOFT),
        Image.gray(4, 4, PixelType.FLOAT32, SOFT)));
    assertUserError(CliRun.of("evaluate", "--truth", t.toString(), "--pred", p.toString()),
        "truth " + t + " has 1 page but prediction " + p + " has 2 pages");
  }

  @Test
  void missingFilesAreOneLine() {
    Path t = png("t.png", TRUTH, 4);
    Path missing = dir.resolve("nope.tif");
    assertUserError(CliRun.of("evaluate", "--truth", missing.toString(), "--pred", t.toString()),
        "--truth " + missing + ": no such file or folder");
    assertUserError(CliRun.of("evaluate", "--truth", t.toString(), "--pred", missing.toString()),
        "--pred " + missing + ": no such file or folder");
  }

  @Test
  void truthWithoutPredictionIsAnError() throws IOException {
    Path truths = dir.resolve("truth");
    Path preds = Files.createDirectories(dir.resolve("pred"));
    ImageIo.writePng(truths.resolve("a.png"), Image.gray(4, 4, PixelType.UINT8, TRUTH));
    assertUserError(CliRun.of("evaluate", "--truth", truths.toString(), "--pred", preds.toString()),
        "--pred " + preds + " has no prediction for 1 truth image (a.png); for a truth NAME.ext it looks for"
            + " NAME_prob.tif or NAME.tif/.tiff/.png");
  }

  @Test
  void badOptionsAreExplained() {
    Path t = png("t.png", TRUTH, 4);
    Path p = floatTiff("p.tif", SOFT, 4);
    assertUserError(CliRun.of("evaluate", "--truth", t.toString(), "--pred", p.toString(), "--labels", "colour"),
        "--labels colour: unknown label format; known: cells-above-zero, instance, color-components, binary,"
            + " isbi-membrane, index, class-colors, three-class");
    assertUserError(CliRun.of("evaluate", "--truth", t.toString(), "--pred", p.toString(), "--labels",
        "instanse"), "--labels instanse: unknown label format (did you mean instance?); known: cells-above-zero,"
            + " instance, color-components, binary, isbi-membrane, index, class-colors, three-class");
    assertUserError(CliRun.of("evaluate", "--truth", t.toString(), "--pred", p.toString(), "--json", "r.txt"),
        "--json r.txt: name it .json (the CSV goes beside it as .csv)");
    assertUserError(CliRun.of("evaluate", "--truth", t.toString(), "--pred", p.toString(), "--threshold", "2"),
        "--threshold 2.0: a probability threshold lies in 0..1");
    assertUserError(CliRun.of("evaluate", "--truth", t.toString(), "--pred", p.toString(), "--channel", "1"),
        p + ": channel 1: the image has 1 channel(s), 0..0");
  }

  @Test
  void truthValuesTheFormatRefusesAreExplained() {
    Path t = png("t.png", new float[] {0, 7, 255, 0}, 4);
    Path p = floatTiff("p.tif", new float[4], 4);
    CliRun run = CliRun.of("evaluate", "--truth", t.toString(), "--pred", p.toString(), "--labels", "isbi-membrane");
    assertEquals(Unet4j.USAGE, run.status());
    assertTrue(run.err().startsWith("unet4j evaluate: " + t + ": ISBI_MEMBRANE labels hold only 0 (membrane) and 255"),
        run.err());
    assertTrue(run.err().strip().endsWith("(label format isbi-membrane; choose another with --labels)"), run.err());
  }
}
