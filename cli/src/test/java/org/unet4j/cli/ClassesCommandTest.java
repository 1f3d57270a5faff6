package org.unet4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
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
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.dsl.recipe.TrainingSpec;
import org.unet4j.dsl.recipe.WeightedCrossEntropyLoss;
import org.unet4j.recipes.data.Image;
import org.unet4j.recipes.data.ImageIo;
import org.unet4j.recipes.data.PixelType;
import org.unet4j.recipes.data.SyntheticTiles;
import org.unet4j.recipes.train.Trainer;

/** {@code predict} and {@code evaluate --labels index} with a tiny 3-class net. */
class ClassesCommandTest {
  private static final Recipe THREE = new Recipe("three", "a tiny 3-class net for tests",
      UNet.builder().depth(2).baseFilters(4).classes(3).build(), WeightedCrossEntropyLoss.paper(),
      AugmentationSpec.none(), new TrainingSpec(AdamOptimizer.defaults(), 1e-2, new ConstantSchedule(), 0, 2, 2, 60,
      7, 2, 0), DataSpec.none(), InferenceSpec.builder().tile(60).batchSize(2).instanceClass(1).build());

  private static final int WIDTH = 23;
  private static final int HEIGHT = 17;

  @TempDir static Path shared;
  @TempDir Path dir;

  @BeforeAll
  static void trainAndPredict() {
    Trainer.of(THREE, shared.resolve("run"), new SyntheticTiles(THREE.model(), 60, 2, 7)).train();
    SplittableRandom random = new SplittableRandom(3);
    float[] pixels = new float[WIDTH * HEIGHT];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (float) Math.rint(255 * random.nextDouble());
    }
    ImageIo.writeTiff(shared.resolve("in/cells.tif"), Image.gray(WIDTH, HEIGHT, PixelType.UINT8, pixels));
  }

  @Test
  void predictWritesTheClassFilesAndEvaluateScoresEachClass() throws Exception {
    Path out = dir.resolve("out");
    CliRun predicted = CliRun.of("predict", "--model", shared.resolve("run").toString(), "--out", out.toString(),
        shared.resolve("in/cells.tif").toString());
    assertEquals(0, predicted.status(), predicted.err());
    assertEquals(3, ImageIo.readPages(out.resolve("cells_class_prob.tif")).size());
    int[] classes = ImageIo.readPages(out.resolve("cells_classes.tif")).get(0).channelAsInts(0);
    // The truth: class (x + y) % 3, with the left column ignored (255).
    float[] truth = new float[WIDTH * HEIGHT];
    for (int y = 0; y < HEIGHT; y++) {
      for (int x = 0; x < WIDTH; x++) {
        truth[y * WIDTH + x] = x == 0 ? 255 : (x + y) % 3;
      }
    }
    Path truthFolder = dir.resolve("truth");
    ImageIo.writePng(truthFolder.resolve("cells.png"), Image.gray(WIDTH, HEIGHT, PixelType.UINT8, truth));
    Path json = dir.resolve("scores.json");
    CliRun evaluated = CliRun.of("evaluate", "--truth", truthFolder.toString(), "--pred", out.toString(), "--labels",
        "index", "--ignore-label", "255", "--json", json.toString());
    assertEquals(0, evaluated.status(), evaluated.err());
    assertTrue(evaluated.out().contains("per class:"), evaluated.out());
    assertTrue(evaluated.out().contains("the ISBI metrics score binary cell/membrane maps"), evaluated.out());
    JsonNode perClass = new ObjectMapper().readTree(json.toFile()).at("/images/0/classes/perClass");
    assertEquals(3, perClass.size());
    for (int k = 0; k < 3; k++) {
      // Brute force: the pixels of class k on each side, the ignored column left out.
      long both = 0;
      long union = 0;
      for (int i = 0; i < truth.length; i++) {
        if (truth[i] == 255) {
          continue;
        }
        boolean t = truth[i] == k;
        boolean p = classes[i] == k;
        both += t && p ? 1 : 0;
        union += t || p ? 1 : 0;
      }
      assertEquals((double) both / union, perClass.get(k).get("iou").asDouble(), 1e-12, "class " + k);
    }
  }

  @Test
  void instancesPerClassWriteOnePageOfLabelsPerClass() {
    Path out = dir.resolve("out");
    CliRun predicted = CliRun.of("predict", "--model", shared.resolve("run").toString(), "--out", out.toString(),
        "--instances-per-class", shared.resolve("in/cells.tif").toString());
    assertEquals(0, predicted.status(), predicted.err());
    List<Image> pages = ImageIo.readPages(out.resolve("cells_class_labels.tif"));
    assertEquals(2, pages.size(), "classes 1 and 2");
    int[] classes = ImageIo.readPages(out.resolve("cells_classes.tif")).get(0).channelAsInts(0);
    for (int k = 1; k <= 2; k++) {
      int[] labels = pages.get(k - 1).channelAsInts(0);
      for (int i = 0; i < labels.length; i++) {
        assertEquals(classes[i] == k, labels[i] != 0, "class " + k + " pixel " + i);
      }
    }
  }

  @Test
  void anIgnoreLabelNeedsIndexLabelsOrVolumes() {
    Path t = dir.resolve("t.png");
    ImageIo.writePng(t, Image.gray(3, 1, PixelType.UINT8, new float[] {0, 1, 2}));
    CliRun r = CliRun.of("evaluate", "--truth", t.toString(), "--pred", t.toString(), "--ignore-label", "255");
    assertEquals(Unet4j.USAGE, r.status(), r.err());
    assertTrue(r.err().contains("--ignore-label 255: only index labels and volumes have an ignore value (stacks of cells scored"
        + " page by page count every pixel); add --labels index or --volume"),
        r.err());
    assertTrue(r.out().isEmpty(), r.out());
  }
}
