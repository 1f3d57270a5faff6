package org.unet4j.recipes.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.unet4j.recipes.infer.TinyModels.maxDiff;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unet4j.dsl.model.UNet;
import org.unet4j.dsl.recipe.InferenceSpec;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.dsl.recipe.TestTimeAugmentation;
import org.unet4j.recipes.data.Image;
import org.unet4j.recipes.data.ImageIo;
import org.unet4j.recipes.data.Normalizer;
import org.unet4j.recipes.data.PixelType;
import org.unet4j.recipes.model.ModelMismatchException;
import org.unet4j.recipes.model.ModelSource;

/** Prediction with a tiny 3-class net of seeded random weights: tiles, test-time copies and files. */
class ClassPredictionTest {
  /** Depth 2 from 4 filters, 3 classes: valid tiles 4k >= 44, output tile - 40. */
  private static final Recipe THREE = TinyModels.recipe("three",
      UNet.builder().depth(2).baseFilters(4).classes(3).build(), 60);

  @TempDir static Path runs;
  @TempDir Path dir;

  @BeforeAll
  static void makeRun() {
    TinyModels.untrainedRun(THREE, runs.resolve("three"));
  }

  private static Predictor open(int tile, TestTimeAugmentation tta, int instanceClass) {
    return Predictor.open(ModelSource.of(runs.resolve("three")), InferenceSpec.builder().tile(tile).batchSize(2)
        .tta(tta).instanceClass(instanceClass).build());
  }

  /** The 3-class net asked for the instances of every class, with hole filling and minimum size as given. */
  private static Predictor perClass(boolean fillHoles, int minObjectSize) {
    return Predictor.open(ModelSource.of(runs.resolve("three")), InferenceSpec.builder().tile(60).batchSize(2)
        .fillHoles(fillHoles).minObjectSize(minObjectSize).instancesPerClass(true).build());
  }

  /**
   * A 7 x 5 map whose most probable classes are, row by row (0.8 for the class drawn, 0.1 for the
   * others): a ring of class 1 around one pixel of class 2, a lone class-1 pixel in the corner, a
   * lone class-2 pixel and a pair of class-2 pixels.
   */
  private static final int[] DRAWN = {
      0, 0, 0, 0, 0, 0, 0,
      0, 1, 1, 1, 0, 2, 0,
      0, 1, 2, 1, 0, 0, 0,
      0, 1, 1, 1, 0, 2, 2,
      0, 0, 0, 0, 0, 0, 1};

  private static ProbabilityMap drawn() {
    float[] values = new float[DRAWN.length * 3];
    for (int i = 0; i < DRAWN.length; i++) {
      for (int k = 0; k < 3; k++) {
        values[i * 3 + k] = DRAWN[i] == k ? 0.8f : 0.1f;
      }
    }
    return new ProbabilityMap(7, 5, 3, values);
  }

  @Test
  void tiledPredictionOfThreeClassesEqualsOneWholeImagePass() {
    Image image = TinyModels.blobs(37, 23, 3);
    try (Predictor predictor = open(44, TestTimeAugmentation.NONE, 0)) {
      ProbabilityMap map = predictor.predict(image);
      assertEquals(3, map.classes());
      float[] expected = TinyModels.wholeImage(THREE, runs.resolve("three"),
          Normalizer.apply(image, THREE.data().normalization()), 37, 23, predictor.tiling().context());
      assertTrue(maxDiff(expected, map.values()) <= 1e-5, "max difference " + maxDiff(expected, map.values()));
    }
  }

  /** Mirrored copies are averaged in all three channels: predicting the mirrored image mirrors every class. */
  @Test
  void testTimeMirrorsAverageEveryClass() {
    int width = 29;
    int height = 17;
    Image image = TinyModels.blobs(width, height, 4);
    float[] mirrored = new float[width * height];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        mirrored[y * width + x] = image.pixels()[y * width + width - 1 - x];
      }
    }
    try (Predictor predictor = open(60, TestTimeAugmentation.MIRRORS, 0)) {
      ProbabilityMap map = predictor.predict(image);
      ProbabilityMap flipped = predictor.predict(Image.gray(width, height, image.type(), mirrored));
      double worst = 0;
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          for (int k = 0; k < 3; k++) {
            worst = Math.max(worst, Math.abs(map.get(x, y, k) - flipped.get(width - 1 - x, y, k)));
          }
        }
      }
      assertTrue(worst <= 1e-5, "max difference " + worst);
    }
  }

  @Test
  void aFileGetsItsClassMapClassProbabilitiesAndForeground() throws Exception {
    Image image = TinyModels.blobs(31, 19, 5);
    Path input = dir.resolve("cells.tif");
    ImageIo.writeTiff(input, image);
    Path out = dir.resolve("out");
    try (Predictor predictor = open(60, TestTimeAugmentation.NONE, 1)) {
      PredictedImage done = predictor.predictFile(input, "cells", out, task -> TileProgress.NONE);
      ProbabilityMap map = predictor.predict(image);
      List<Image> classes = ImageIo.readPages(out.resolve("cells_classes.tif"));
      assertEquals(1, classes.size());
      assertEquals(PixelType.UINT8, classes.get(0).type());
      List<Image> probabilities = ImageIo.readPages(out.resolve("cells_class_prob.tif"));
      assertEquals(3, probabilities.size(), "one page per class");
      Image foreground = ImageIo.readPages(out.resolve("cells_prob.tif")).get(0);
      for (int i = 0; i < 31 * 19; i++) {
        int best = 0;
        for (int k = 0; k < 3; k++) {
          assertEquals(map.values()[i * 3 + k], probabilities.get(k).pixels()[i], 1e-6);
          if (map.values()[i * 3 + k] > map.values()[i * 3 + best]) {
            best = k;
          }
        }
        assertEquals(best, (int) classes.get(0).pixels()[i], "pixel " + i);
        assertEquals(1 - map.values()[i * 3], foreground.pixels()[i], 1e-6);
      }
      assertArrayEquals(predictor.labels(map).toArray(), ImageIo.readPages(out.resolve("cells_labels.tif")).get(0)
          .channelAsInts(0), "the objects grown from class 1");
      assertEquals(predictor.labels(map).cellCount(), done.objects());
      assertTrue(Files.isRegularFile(out.resolve("cells_overlay.png")));
    }
  }

  @Test
  void aStackGetsOneClassPagePerPageAndItsClassesPageAfterPage() {
    Image first = TinyModels.blobs(15, 9, 7);
    Image second = TinyModels.blobs(15, 9, 8);
    Path input = dir.resolve("stack.tif");
    ImageIo.writeTiffPages(input, List.of(first, second));
    Path out = dir.resolve("out");
    try (Predictor predictor = open(60, TestTimeAugmentation.NONE, 0)) {
      PredictedImage done = predictor.predictFile(input, "stack", out, task -> TileProgress.NONE);
      assertEquals(2, done.pages());
      assertEquals(2, ImageIo.readPages(out.resolve("stack_classes.tif")).size());
      List<Image> probabilities = ImageIo.readPages(out.resolve("stack_class_prob.tif"));
      assertEquals(6, probabilities.size());
      ProbabilityMap map = predictor.predict(second);
      for (int k = 0; k < 3; k++) {
        assertArrayEquals(map.channel(k), probabilities.get(3 + k).pixels(), 1e-6f, "page 2, class " + k);
      }
      assertTrue(Files.isRegularFile(out.resolve("stack_overlay_p002.png")));
    }
  }

  @Test
  void aTwoClassNetWritesNoClassFiles() throws Exception {
    Recipe two = TinyModels.recipe("two", UNet.builder().depth(2).baseFilters(4).build(), 60);
    TinyModels.untrainedRun(two, dir.resolve("two"));
    Path input = dir.resolve("cells.tif");
    ImageIo.writeTiff(input, TinyModels.blobs(13, 11, 6));
    try (Predictor predictor = Predictor.open(dir.resolve("two"))) {
      predictor.predictFile(input, "cells", dir.resolve("out"), task -> TileProgress.NONE);
    }
    assertTrue(Files.isRegularFile(dir.resolve("out/cells_prob.tif")));
    assertFalse(Files.exists(dir.resolve("out/cells_classes.tif")));
    assertFalse(Files.exists(dir.resolve("out/cells_class_prob.tif")));
  }

  @Test
  void anInstanceClassBeyondTheModelsClassesIsRefused() {
    ModelMismatchException e = assertThrows(ModelMismatchException.class, () -> open(60, TestTimeAugmentation.NONE,
        3));
    assertTrue(e.getMessage().contains("inference.instanceClass 3: the model of three has 3 classes, 0..2"),
        e.getMessage());
  }

  /** Each class's components apart, numbered in raster order of their first pixel; by hand from DRAWN. */
  @Test
  void instancesPerClassAreEachClasssComponents() {
    try (Predictor predictor = perClass(false, 0)) {
      List<org.unet4j.labels.InstanceLabels> perClass = predictor.classInstances(drawn());
      assertEquals(2, perClass.size(), "classes 1 and 2");
      assertArrayEquals(new int[] {
          0, 0, 0, 0, 0, 0, 0,
          0, 1, 1, 1, 0, 0, 0,
          0, 1, 0, 1, 0, 0, 0,
          0, 1, 1, 1, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 2}, perClass.get(0).toArray());
      assertArrayEquals(new int[] {
          0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 1, 0,
          0, 0, 2, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 3, 3,
          0, 0, 0, 0, 0, 0, 0}, perClass.get(1).toArray());
    }
  }

  /** Hole filling gives the ring its enclosed pixel; the minimum size drops the lone pixels of both classes. */
  @Test
  void instancesPerClassFillHolesAndDropSmallObjects() {
    try (Predictor predictor = perClass(true, 2)) {
      List<org.unet4j.labels.InstanceLabels> perClass = predictor.classInstances(drawn());
      assertArrayEquals(new int[] {
          0, 0, 0, 0, 0, 0, 0,
          0, 1, 1, 1, 0, 0, 0,
          0, 1, 1, 1, 0, 0, 0,
          0, 1, 1, 1, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0}, perClass.get(0).toArray());
      assertEquals(1, perClass.get(0).cellCount());
      assertArrayEquals(new int[] {
          0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 1, 1,
          0, 0, 0, 0, 0, 0, 0}, perClass.get(1).toArray());
    }
  }

  @Test
  void noInstancesPerClassUnlessAsked() {
    try (Predictor predictor = open(60, TestTimeAugmentation.NONE, 0)) {
      assertEquals(List.of(), predictor.classInstances(drawn()));
    }
  }

  /** A stack's NAME_class_labels.tif holds classes 1 and 2 of page 1, then of page 2; Model gives the same. */
  @Test
  void aFileGetsOneInstancePagePerClassAndPage() {
    Image first = TinyModels.blobs(15, 9, 7);
    Image second = TinyModels.blobs(15, 9, 8);
    Path input = dir.resolve("stack.tif");
    ImageIo.writeTiffPages(input, List.of(first, second));
    Path out = dir.resolve("out");
    try (Predictor predictor = perClass(false, 0)) {
      predictor.predictFile(input, "stack", out, task -> TileProgress.NONE);
      List<Image> pages = ImageIo.readPages(out.resolve("stack_class_labels.tif"));
      assertEquals(4, pages.size(), "2 classes x 2 pages");
      assertEquals(PixelType.UINT16, pages.get(0).type());
      List<Image> inputs = List.of(first, second);
      for (int page = 0; page < 2; page++) {
        ProbabilityMap map = predictor.predict(inputs.get(page));
        int[] classes = map.classMap();
        for (int k = 1; k <= 2; k++) {
          int[] labels = pages.get(page * 2 + k - 1).channelAsInts(0);
          for (int i = 0; i < labels.length; i++) {
            assertEquals(classes[i] == k, labels[i] != 0, "page " + (page + 1) + " class " + k + " pixel " + i);
          }
          assertArrayEquals(predictor.classLabels(map, k).toArray(), labels, "page " + (page + 1) + " class " + k);
        }
      }
    }
    try (Model model = Model.load(runs.resolve("three"), InferenceSpec.builder().tile(60).instancesPerClass(true)
        .build())) {
      Segmentation s = model.predict(second);
      assertEquals(2, s.classInstances().size());
      assertArrayEquals(ImageIo.readPages(out.resolve("stack_class_labels.tif")).get(3).channelAsInts(0),
          s.classInstances().get(1).toArray(), "page 2, class 2");
    }
  }

  @Test
  void aFileWithoutInstancesPerClassGetsNoClassLabels() {
    Path input = dir.resolve("cells.tif");
    ImageIo.writeTiff(input, TinyModels.blobs(13, 11, 6));
    try (Predictor predictor = open(60, TestTimeAugmentation.NONE, 0)) {
      predictor.predictFile(input, "cells", dir.resolve("out"), task -> TileProgress.NONE);
    }
    assertTrue(Files.isRegularFile(dir.resolve("out/cells_classes.tif")));
    assertFalse(Files.exists(dir.resolve("out/cells_class_labels.tif")));
  }

  @Test
  void instancesPerClassOfATwoClassNetAreRefused() {
    Recipe two = TinyModels.recipe("two", UNet.builder().depth(2).baseFilters(4).build(), 60);
    TinyModels.untrainedRun(two, dir.resolve("two"));
    ModelMismatchException e = assertThrows(ModelMismatchException.class, () -> Predictor.open(
        ModelSource.of(dir.resolve("two")), two.inference().toBuilder().instancesPerClass(true).build()));
    assertTrue(e.getMessage().startsWith("inference.instancesPerClass: the model of two has 2 classes, but instances"
        + " per class need a net of 3 or more"), e.getMessage());
  }

  @Test
  void classLabelsAreTheComponentsOfOneClass() {
    ProbabilityMap map = new ProbabilityMap(5, 1, 3, new float[] {
        0.1f, 0.8f, 0.1f, 0.1f, 0.8f, 0.1f, 0.8f, 0.1f, 0.1f, 0.1f, 0.8f, 0.1f, 0.1f, 0.1f, 0.8f});
    try (Predictor predictor = open(60, TestTimeAugmentation.NONE, 0)) {
      assertArrayEquals(new int[] {1, 1, 0, 2, 0}, predictor.classLabels(map, 1).toArray());
      assertArrayEquals(new int[] {0, 0, 0, 0, 1}, predictor.classLabels(map, 2).toArray());
    }
  }
}
