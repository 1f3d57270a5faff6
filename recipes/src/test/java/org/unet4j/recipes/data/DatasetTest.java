package org.unet4j.recipes.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
import org.unet4j.labels.ClassLabels;
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
    assertEquals("data.labels: 1 of 6 images have no label file of the same name in " + dir.resolve("masks")
        + ": orphan.tif; images and labels pair by file name (to pair files whatever their names, such as a stack"
        + " with its label stack, use data.pairs)", e.getMessage());
  }

  /** The ISBI 2012 layout: one image stack and one label stack, named differently. */
  private Recipe stacks(int labelPages) throws IOException {
    List<Image> images = new ArrayList<>();
    List<Image> masks = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      images.add(ImageIo.read(dir.resolve("images/img" + i + ".tif")));
      if (i < labelPages) {
        masks.add(ImageIo.read(dir.resolve("masks/img" + i + ".png")));
      }
    }
    Files.createDirectories(dir.resolve("em"));
    ImageIo.writeTiffPages(dir.resolve("em/train-volume.tif"), images);
    ImageIo.writeTiffPages(dir.resolve("em/train-labels.tif"), masks);
    return recipe.toBuilder().data(d -> d.images("").labels("").pair("em/train-volume.tif", "em/train-labels.tif"))
        .build();
  }

  @Test
  void aStackPairsWithItsLabelStackPageByPageWhateverTheirNames() throws IOException {
    Recipe stacked = stacks(3);
    List<ImagePair> pairs = Dataset.pairs(stacked.data(), dir);
    assertEquals(List.of(new ImagePair("train-volume", dir.resolve("em/train-volume.tif"),
        dir.resolve("em/train-labels.tif"))), pairs);
    WeightMapCache cache = WeightMapCache.inMemory(1 << 26);
    List<Sample> pages = Dataset.open(stacked, dir).load(pairs.get(0), cache);
    assertEquals(3, pages.size());
    Dataset single = Dataset.open(recipe, dir);
    for (int i = 0; i < 3; i++) {
      // Page i is the same sample as the single files img<i>.tif and img<i>.png.
      Sample alone = single.load(new ImagePair("img" + i, dir.resolve("images/img" + i + ".tif"),
          dir.resolve("masks/img" + i + ".png")), cache).get(0);
      assertArrayEquals(alone.image(), pages.get(i).image(), "page " + i);
      assertArrayEquals(alone.labels(), pages.get(i).labels(), "page " + i);
    }
  }

  @Test
  void stacksOfDifferentPageCountsNameBothFilesAndCounts() throws IOException {
    Recipe stacked = stacks(2);
    Dataset dataset = Dataset.open(stacked, dir);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> dataset.load(dataset.training().get(0), WeightMapCache.inMemory(1 << 20)));
    assertEquals(dir.resolve("em/train-volume.tif") + " has 3 pages but its labels " + dir.resolve("em/train-labels.tif")
        + " have 2; pages pair in order, so image and label stacks need the same number", e.getMessage());
  }

  @Test
  void pairedGlobsMatchInSortedOrderAndMustAgreeInCount() {
    Recipe globs = recipe.toBuilder().data(d -> d.images("").labels("").pair("images/img[0-2].tif", "masks/*.png"))
        .build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Dataset.pairs(globs.data(), dir));
    assertEquals("data.pairs[0]: 3 files of images in " + dir.resolve("images/img[0-2].tif") + " but 5 files of"
        + " labels in " + dir.resolve("masks/*.png") + "; a pair matches its files in sorted order, so the counts must"
        + " agree", e.getMessage());
    Recipe two = recipe.toBuilder().data(d -> d.images("").labels("").pair("images/img[34].tif", "masks/img[34].png")
        .pair("images/img0.tif", "masks/img0.png")).build();
    assertEquals(List.of("img3", "img4", "img0"), Dataset.pairs(two.data(), dir).stream().map(ImagePair::name).toList());
    for (ImagePair p : Dataset.pairs(two.data(), dir)) {
      assertEquals(FilePattern.stem(p.image()), FilePattern.stem(p.labels()));
    }
  }

  @Test
  void aMissingStackNamesItsResolvedPath() throws IOException {
    Recipe missing = recipe.toBuilder().data(d -> d.images("").labels("").pair("em/train-volume.tif", "em/x.tif"))
        .build();
    stacks(3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Dataset.pairs(missing.data(), dir));
    assertEquals("data.pairs[0].labels: \"em/x.tif\" does not exist (looked for " + dir.resolve("em/x.tif") + ")",
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
    assertEquals("model.classes: the labels (data.labelFormat color-components) give 2 classes (background, cell)"
        + " but the model has 3; use classes 2 (soft-max) or 1 (sigmoid), or another label format", e.getMessage());
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

  /**
   * A partly annotated binary mask: 255 marks the unannotated region. With it as the ignore label
   * those pixels are class -1 and weight 0, for the weighted and the plain cross-entropy alike.
   */
  @Test
  void ignoredLabelsGetWeightZeroInEverySample() {
    Recipe ignoring = recipe.toBuilder().data(d -> d.labelFormat(LabelFormat.BINARY).ignoreLabel(255)).build();
    Image label = Image.gray(4, 2, PixelType.UINT8, new float[] {1, 1, 0, 255, 1, 1, 0, 255});
    Image image = Image.gray(4, 2, PixelType.UINT8, new float[] {9, 8, 1, 5, 9, 7, 2, 5});
    Sample weighted = Dataset.sample(ignoring, image, Dataset.classLabels(label, ignoring),
        WeightMapCache.inMemory(1 << 20));
    assertArrayEquals(new int[] {1, 1, 0, -1, 1, 1, 0, -1}, weighted.labels());
    // Counted: 4 cells, 2 background: w_c = 6 / (2 * 4) and 6 / (2 * 2); one cell, so no border term.
    assertArrayEquals(new float[] {0.75f, 0.75f, 1.5f, 0, 0.75f, 0.75f, 1.5f, 0}, weighted.weights());
    Recipe plain = ignoring.toBuilder().loss(new CrossEntropyLoss()).build();
    Sample unweighted = Dataset.sample(plain, image, Dataset.classLabels(label, plain), WeightMapCache.inMemory(0));
    assertArrayEquals(new float[] {1, 1, 1, 0, 1, 1, 1, 0}, unweighted.weights());
  }

  /**
   * A net of output stride 2 is trained on the majority classes of 2x2 blocks, so its per-image
   * class balance counts those: in the 5 x 4 binary mask below (the fifth column lies outside every
   * block) the pixels are 3 cell and 17 background but the four blocks 1 cell and 3 background, so
   * w_c = 4 / (2 * 3) = 2/3 for background and 4 / (2 * 1) = 2 for cells (the pixels' would be
   * 20 / 34 and 20 / 6); one cell, so no border term.
   */
  @Test
  void aStridedNetsClassBalanceCountsItsDownsampledTargets() {
    Recipe strided = recipe.toBuilder().model(UNet.builder().depth(2).baseFilters(4).expanding(e -> e.stage(8)).build())
        .data(d -> d.labelFormat(LabelFormat.BINARY)).build();
    float[] mask = {
        1, 1, 0, 0, 0,
        1, 0, 0, 0, 0,
        0, 0, 0, 0, 0,
        0, 0, 0, 0, 0};
    Image label = Image.gray(5, 4, PixelType.UINT8, mask);
    Image image = Image.gray(5, 4, PixelType.UINT8, new float[20]);
    ClassLabels classes = Dataset.classLabels(label, strided);
    assertEquals(List.of(3L, 1L), Dataset.targetFrequencies(strided, classes).counts());
    float[] weights = Dataset.sample(strided, image, classes, WeightMapCache.inMemory(1 << 20)).weights();
    for (int i = 0; i < 20; i++) {
      assertEquals(mask[i] == 1 ? 2f : 2f / 3, weights[i], 1e-6, "pixel " + i);
    }
    assertArrayEquals(weights, WeightMapPicture.of(label, "mask", strided).weights().pixels(),
        "the weight-map picture shows training's weights");
    float[] full = Dataset.sample(recipe.toBuilder().data(d -> d.labelFormat(LabelFormat.BINARY)).build(), image,
        classes, WeightMapCache.inMemory(1 << 20)).weights();
    assertEquals(20f / 6, full[0], 1e-6, "stride 1 counts the pixels");
    assertEquals(20f / 34, full[2], 1e-6);
  }
}
