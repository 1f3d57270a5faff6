package org.unet4j.recipes.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unet4j.augment.Augmenter;
import org.unet4j.augment.Sample;
import org.unet4j.dsl.model.UNet;
import org.unet4j.dsl.recipe.AugmentationSpec;
import org.unet4j.dsl.recipe.ConstantSchedule;
import org.unet4j.dsl.recipe.CrossEntropyLoss;
import org.unet4j.dsl.recipe.DataSpec;
import org.unet4j.dsl.recipe.InferenceSpec;
import org.unet4j.dsl.recipe.IntensityScaling;
import org.unet4j.dsl.recipe.LabelFormat;
import org.unet4j.dsl.recipe.NormalizationSpec;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.dsl.recipe.Recipes;
import org.unet4j.dsl.recipe.SgdOptimizer;
import org.unet4j.dsl.recipe.TestTimeAugmentation;
import org.unet4j.dsl.recipe.TrainingSpec;
import org.unet4j.dsl.recipe.WeightedCrossEntropyLoss;
import org.unet4j.labels.WeightMapCache;

class DatasetTest {
  @TempDir Path dir;

  private Recipe recipe;

  @BeforeEach
  void data() throws IOException {
    TinyData.write(dir, 5, 80, 3);
    recipe = new Recipe("tiny-data", "", UNet.builder().depth(2).baseFilters(4).build(),
        WeightedCrossEntropyLoss.paper(), AugmentationSpec.paper(),
        new TrainingSpec(SgdOptimizer.paper(), 0.01, new ConstantSchedule(), 0, 10, 2, 60, 5, 10, 0),
        new DataSpec("images", "masks", LabelFormat.COLOR_COMPONENTS, NormalizationSpec.percentile(), 0.2),
        new InferenceSpec(60, 1, TestTimeAugmentation.NONE, 0.5, 0, false));
  }

  @Test
  void pairsByNameAndSplitsBySeed() {
    Dataset dataset = Dataset.open(recipe, dir);
    assertEquals(4, dataset.training().size());
    assertEquals(1, dataset.validation().size(), "round(5 x 0.2) = 1 held out");
    Dataset again = Dataset.open(recipe, dir);
    assertEquals(dataset.validation(), again.validation(), "the same seed gives the same split");
    for (ImagePair pair : dataset.training()) {
      assertEquals(FilePattern.stem(pair.image()), FilePattern.stem(pair.labels()));
    }
  }

  /**
   * dataset-frequency: w_c from the class counts of all training samples (counted here from their
   * labels), the same for every image, validation included; w0 = 0 leaves w = w_c.
   */
  @Test
  void aDatasetFrequencyBalanceWeighsEveryImageByTheTrainingSetsCounts() {
    Recipe balanced = Recipes.withOverrides(recipe,
        List.of("loss.classBalance=\"dataset-frequency\"", "loss.w0=0"));
    Dataset dataset = Dataset.open(balanced, dir).balancedOverTraining();
    WeightMapCache cache = WeightMapCache.inMemory(1 << 26);
    List<Sample> training = dataset.load(dataset.training(), cache, 2);
    long background = 0;
    long cells = 0;
    for (Sample s : training) {
      for (int label : s.labels()) {
        if (label > 0) {
          cells++;
        } else {
          background++;
        }
      }
    }
    double n = background + cells;
    float expectedBackground = (float) (n / (2 * background));
    float expectedCell = (float) (n / (2 * cells));
    List<Sample> all = new java.util.ArrayList<>(training);
    all.addAll(dataset.load(dataset.validation(), cache, 2));
    for (Sample s : all) {
      for (int i = 0; i < s.labels().length; i++) {
        assertEquals(s.labels()[i] > 0 ? expectedCell : expectedBackground, s.weights()[i]);
      }
    }
    // The recipe the dataset weighs with gives the weights; the one it was opened with is unchanged.
    assertTrue(Dataset.balancesOverTrainingSet(balanced));
  }

  @Test
  void globPatternsSelectFiles() {
    Recipe glob = Recipes.withOverrides(recipe, List.of("data.images=images/img[0-2].tif", "data.labels=masks/*.png"));
    assertEquals(3, Dataset.pairs(glob.data(), dir).size());
  }

  @Test
  void samplesCarryNormalisedImagesSeparatedLabelsAndWeightMaps() {
    Dataset dataset = Dataset.open(recipe, dir);
    List<Sample> samples = dataset.load(dataset.training(), WeightMapCache.inMemory(1 << 26), 2);
    assertEquals(4, samples.size());
    for (Sample s : samples) {
      assertEquals(80, s.width());
      float max = 0;
      for (float w : s.weights()) {
        max = Math.max(max, w);
      }
      // Weight maps (eq. 2) are above the class-balance term somewhere near cells.
      assertTrue(max > 1, "weights up to " + max);
      for (int label : s.labels()) {
        assertTrue(label == 0 || label == 1, "class labels are 0 or 1, got " + label);
      }
    }
  }

  @Test
  void unweightedLossesGetUnitWeights() {
    Recipe plain = new Recipe(recipe.name(), "", recipe.model(), new CrossEntropyLoss(), recipe.augmentation(),
        recipe.training(), recipe.data(), recipe.inference());
    Dataset dataset = Dataset.open(plain, dir);
    Sample s = dataset.load(dataset.training().get(0), WeightMapCache.inMemory(1 << 26)).get(0);
    for (float w : s.weights()) {
      assertEquals(1f, w);
    }
  }

  @Test
  void tilesAreAFunctionOfTheStep() {
    Dataset dataset = Dataset.open(recipe, dir);
    List<Sample> samples = dataset.load(dataset.training(), WeightMapCache.inMemory(1 << 26), 1);
    int output = recipe.model().geometry().outputSize(60);
    DatasetTiles tiles = new DatasetTiles(samples, Augmenter.of(recipe.augmentation()), 60, output, 2, 5);
    Batch a = tiles.batch(3);
    try (PrefetchingTiles prefetched = new PrefetchingTiles(tiles, 2, 4)) {
      prefetched.batch(0);
      Batch b = prefetched.batch(3);
      assertArrayEquals(a.images(), b.images());
      assertArrayEquals(a.labels(), b.labels());
      assertArrayEquals(a.weights(), b.weights());
    }
    assertEquals(2 * 60 * 60, a.images().length);
    assertEquals(2 * output * output, a.labels().length);
  }

  @Test
  void imageWithoutLabelsIsNamed() throws IOException {
    Files.copy(dir.resolve("images/img0.tif"), dir.resolve("images/orphan.tif"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Dataset.open(recipe, dir));
    assertEquals("data.labels: 1 of 6 images have no label file of the same name in \"masks\": orphan.tif",
        e.getMessage());
  }

  @Test
  void patternThatMatchesNothingIsNamed() {
    Recipe wrong = Recipes.withOverrides(recipe, List.of("data.images=images/*.jpg"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Dataset.open(wrong, dir));
    assertTrue(e.getMessage().startsWith("data.images: \"images/*.jpg\" matches no image file (.png, .tif, .tiff)"),
        e.getMessage());
    Recipe missing = Recipes.withOverrides(recipe, List.of("data.labels=labels"));
    IllegalArgumentException m = assertThrows(IllegalArgumentException.class, () -> Dataset.open(missing, dir));
    assertTrue(m.getMessage().startsWith("data.labels: \"labels\" does not exist"), m.getMessage());
    Recipe empty = Recipes.withOverrides(recipe, List.of("data.images="));
    IllegalArgumentException n = assertThrows(IllegalArgumentException.class, () -> Dataset.open(empty, dir));
    assertTrue(n.getMessage().startsWith("data.images: empty"), n.getMessage());
  }

  @Test
  void imageAndLabelsOfDifferentSizesNameBothFiles() throws IOException {
    ImageIo.writePng(dir.resolve("masks/img1.png"), Image.gray(70, 80, PixelType.UINT8, new float[70 * 80]));
    Dataset dataset = Dataset.open(recipe, dir);
    ImagePair pair = new ImagePair("img1", dir.resolve("images/img1.tif"), dir.resolve("masks/img1.png"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> dataset.load(pair, WeightMapCache.inMemory(1 << 20)));
    assertEquals(dir.resolve("images/img1.tif") + " is 80x80 but its labels " + dir.resolve("masks/img1.png")
        + " are 70x80; image and labels must have the same size", e.getMessage());
  }

  /** A NaN in a float training image is refused at load, naming the file and the pixel. */
  @Test
  void nonFiniteTrainingPixelsNameTheFileAndPixel() {
    float[] pixels = new float[80 * 80];
    pixels[7 * 80 + 3] = Float.NaN;
    Path image = dir.resolve("images/img0.tif");
    ImageIo.writeTiff(image, Image.gray(80, 80, PixelType.FLOAT32, pixels));
    Dataset dataset = Dataset.open(recipe, dir);
    ImagePair pair = java.util.stream.Stream.concat(dataset.training().stream(), dataset.validation().stream())
        .filter(p -> p.image().equals(image)).findFirst().orElseThrow();
    ImageReadException e = assertThrows(ImageReadException.class,
        () -> dataset.load(pair, WeightMapCache.inMemory(1 << 26)));
    assertEquals(image + ": pixel (3, 7) is NaN; unet4j reads finite float samples only: replace NaN and infinite"
        + " values (by 0, say) before use", e.getMessage());
  }

  @Test
  void labelValuesTheFormatForbidsNameTheFile() {
    Recipe isbi = Recipes.withOverrides(recipe, List.of("data.labelFormat=isbi-membrane"));
    Dataset dataset = Dataset.open(isbi, dir);
    ImagePair pair = dataset.training().get(0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> dataset.load(pair, WeightMapCache.inMemory(1 << 20)));
    assertTrue(e.getMessage().startsWith(pair.labels() + ": "), e.getMessage());
  }

  @Test
  void moreClassesThanTheLabelsGiveAreRefused() {
    Recipe three = Recipes.withOverrides(recipe, List.of("model.classes=3"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Dataset.open(three, dir));
    assertTrue(e.getMessage().startsWith("model.classes: the label formats give 2 classes"), e.getMessage());
  }

  @Test
  void normalisations() {
    // Values 0..100 in steps of 1: the 1st and 99th percentiles are exactly 1 and 99.
    float[] ramp = new float[101];
    for (int i = 0; i < ramp.length; i++) {
      ramp[i] = i;
    }
    Image image = Image.gray(101, 1, PixelType.UINT16, ramp);
    float[] p = Normalizer.apply(image, new NormalizationSpec(IntensityScaling.PERCENTILE, 1, 99));
    assertEquals(0f, p[1], 1e-6);
    assertEquals(1f, p[99], 1e-6);
    assertEquals(0.5f, p[50], 1e-6);
    float[] m = Normalizer.apply(image, new NormalizationSpec(IntensityScaling.MIN_MAX, 1, 99.8));
    assertEquals(0.25f, m[25], 1e-6);
    float[] t = Normalizer.apply(image, new NormalizationSpec(IntensityScaling.TYPE_RANGE, 1, 99.8));
    assertEquals(100f / 65535, t[100], 1e-9);
    float[] z = Normalizer.apply(image, new NormalizationSpec(IntensityScaling.Z_SCORE, 1, 99.8));
    // Mean 50; population std of 0..100 is sqrt((101^2 - 1) / 12) = sqrt(850).
    assertEquals(0f, z[50], 1e-6);
    assertEquals(50 / Math.sqrt(850), z[100], 1e-5);
  }
}
