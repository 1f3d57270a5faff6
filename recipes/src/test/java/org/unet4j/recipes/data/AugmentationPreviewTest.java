package org.unet4j.recipes.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unet4j.augment.Augmenter;
import org.unet4j.augment.Sample;
import org.unet4j.dsl.model.UNet;
import org.unet4j.dsl.recipe.AdamOptimizer;
import org.unet4j.dsl.recipe.AugmentationSpec;
import org.unet4j.dsl.recipe.ConstantSchedule;
import org.unet4j.dsl.recipe.DataSpec;
import org.unet4j.dsl.recipe.InferenceSpec;
import org.unet4j.dsl.recipe.LabelFormat;
import org.unet4j.dsl.recipe.NormalizationSpec;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.dsl.recipe.TestTimeAugmentation;
import org.unet4j.dsl.recipe.TrainingSpec;
import org.unet4j.dsl.recipe.WeightedCrossEntropyLoss;
import org.unet4j.labels.ClassLabels;
import org.unet4j.labels.WeightMapCache;

/** The contact sheet from the library: its rows are training's tiles; the command line's tests check its pixels. */
class AugmentationPreviewTest {
  /** Depth 2 from 4 filters: tile 60 -> 20. */
  private static final int TILE = 60;
  private static final int OUTPUT = 20;
  private static final int BATCH = 2;

  @TempDir Path dir;

  private Recipe recipe() throws IOException {
    TinyData.write(dir, 3, 96, 9);
    return new Recipe("tiny-data", "", UNet.builder().depth(2).baseFilters(4).build(),
        WeightedCrossEntropyLoss.paper(), AugmentationSpec.paper(),
        new TrainingSpec(AdamOptimizer.defaults(), 0.01, new ConstantSchedule(), 0, 6, BATCH, TILE, 5, 3, 3),
        new DataSpec("images", "masks", LabelFormat.COLOR_COMPONENTS, NormalizationSpec.percentile(), 0),
        new InferenceSpec(TILE, 1, TestTimeAugmentation.NONE, 0.5, 0, false));
  }

  @Test
  void rowsAreTrainingsTilesAndTheSheetIsReproducible() throws IOException {
    Recipe recipe = recipe();
    int count = 3;
    AugmentationPreview preview = AugmentationPreview.draw(recipe, dir, 7, count);

    Dataset dataset = Dataset.open(recipe, dir);
    List<Sample> samples = dataset.load(dataset.training(), WeightMapCache.inMemory(1 << 24), 1);
    DatasetTiles tiles = new DatasetTiles(samples, Augmenter.of(recipe.augmentation()), TILE, OUTPUT, BATCH, 7);
    float maxWeight = 0;
    for (int n = 0; n < count; n++) {
      TileDraw draw = TileDraw.nth(7, BATCH, samples.size(), n);
      assertEquals(String.format(Locale.ROOT, "step %d slot %d  %s", n / BATCH, n % BATCH,
          dataset.training().get(draw.sample()).image().getFileName()), preview.rowNames().get(n));
      float[] weights = tiles.batch(n / BATCH).weights();
      for (int i = (n % BATCH) * OUTPUT * OUTPUT; i < (n % BATCH + 1) * OUTPUT * OUTPUT; i++) {
        maxWeight = Math.max(maxWeight, weights[i]);
      }
    }
    assertEquals(maxWeight, preview.maxWeight(), "the largest weight of training's own tiles");
    assertEquals(count, preview.count());
    assertEquals(3, preview.trainingImages());
    assertEquals(OUTPUT, preview.shape().labelHeight());

    BufferedImage sheet = preview.sheet();
    assertEquals(3 * TILE + 4 * AugmentationPreview.GAP, sheet.getWidth());
    assertEquals(count * TILE + (count + 1) * AugmentationPreview.GAP, sheet.getHeight());
    Path written = preview.write(dir.resolve("sheet"));
    assertEquals(dir.resolve("sheet").resolve(AugmentationPreview.SHEET), written);
    assertArrayEquals(pixels(sheet), pixels(ImageIO.read(written.toFile())));
    assertArrayEquals(pixels(sheet), pixels(AugmentationPreview.draw(recipe, dir, 7, count).sheet()), "same seed");
    assertFalse(java.util.Arrays.equals(pixels(sheet), pixels(AugmentationPreview.draw(recipe, dir, 8, count).sheet())),
        "another seed, other tiles");
  }

  @Test
  void aCountOutsideOneToSixtyFourIsRefused() throws IOException {
    Recipe recipe = recipe();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> AugmentationPreview.draw(recipe, dir, 7, AugmentationPreview.MAX_COUNT + 1));
    assertEquals("a contact sheet holds 1 to 64 tiles, got 65", e.getMessage());
  }

  /**
   * A net with fewer expanding than contracting stages (stride 2: tile 60 -> 12, margin 18): the
   * sheet shows the targets of its output pixels over their 2x2 blocks, the centred 24 x 24 of the
   * tile, with the weights training takes (the largest of each block).
   */
  @Test
  void aNetWithACoarserOutputShowsItsTargetsOverTheirBlocks() throws IOException {
    Recipe recipe = recipe().toBuilder().name("tiny-stride")
        .model(UNet.builder().depth(2).baseFilters(4).expanding(e -> e.stage(8)).build()).build();
    AugmentationPreview preview = AugmentationPreview.draw(recipe, dir, 7, 2);
    assertEquals(24, preview.shape().labelHeight());
    Dataset dataset = Dataset.open(recipe, dir);
    List<Sample> samples = dataset.load(dataset.training(), WeightMapCache.inMemory(1 << 24), 1);
    Batch first = new DatasetTiles(samples, Augmenter.of(recipe.augmentation()), OutputGrid.of(recipe.model(), TILE),
        BATCH, 7).batch(0);
    assertEquals(12, first.output());
    float maxWeight = 0;
    for (float w : first.weights()) {
      maxWeight = Math.max(maxWeight, w);
    }
    assertEquals(maxWeight, preview.maxWeight(), "the largest weight of training's own targets");
    assertEquals(2 * TILE + 3 * AugmentationPreview.GAP, preview.sheet().getHeight());
  }

  /**
   * Index labels with the left half of every image ignored (255): in the labels and weights
   * panels, an ignored pixel is hatched, white where (x + y) / 2 is even in its crop and grey where
   * it is odd, and every other pixel keeps its class colour (0 black, 1 orange) or its weight's.
   */
  @Test
  void ignoredPixelsAreHatchedInTheLabelsAndWeightsPanels() throws IOException {
    Recipe recipe = recipe().toBuilder().name("tiny-ignored").augmentation(AugmentationSpec.none())
        .data(DataSpec.builder().images("images").labels("masks").labelFormat(LabelFormat.INDEX).ignoreLabel(255)
            .validationFraction(0).build()).build();
    for (int i = 0; i < 3; i++) {
      Path mask = dir.resolve("masks/img" + i + ".png");
      Image cells = ImageIo.read(mask);
      float[] index = new float[96 * 96];
      for (int p = 0; p < index.length; p++) {
        index[p] = p % 96 < 48 ? 255 : cells.pixels()[p] > 0 ? 1 : 0;
      }
      ImageIo.writePng(mask, Image.gray(96, 96, PixelType.UINT8, index));
    }
    int count = 4;
    BufferedImage sheet = AugmentationPreview.draw(recipe, dir, 7, count).sheet();
    Dataset dataset = Dataset.open(recipe, dir);
    List<Sample> samples = dataset.load(dataset.training(), WeightMapCache.inMemory(1 << 24), 1);
    DatasetTiles tiles = new DatasetTiles(samples, Augmenter.of(recipe.augmentation()), TILE, OUTPUT, BATCH, 7);
    int margin = (TILE - OUTPUT) / 2;
    int ignored = 0;
    int labelled = 0;
    for (int n = 0; n < count; n++) {
      Batch batch = tiles.batch(n / BATCH);
      int top = AugmentationPreview.GAP + n * (TILE + AugmentationPreview.GAP) + margin;
      int labelsLeft = 2 * AugmentationPreview.GAP + TILE + margin;
      int weightsLeft = 3 * AugmentationPreview.GAP + 2 * TILE + margin;
      for (int y = 0; y < OUTPUT; y++) {
        for (int x = 0; x < OUTPUT; x++) {
          int label = batch.labels()[(n % BATCH) * OUTPUT * OUTPUT + y * OUTPUT + x];
          int labelRgb = sheet.getRGB(labelsLeft + x, top + y) & 0xFFFFFF;
          int weightRgb = sheet.getRGB(weightsLeft + x, top + y) & 0xFFFFFF;
          String where = "row " + n + " (" + x + ", " + y + ")";
          if (label == ClassLabels.IGNORED) {
            int hatch = (x + y) / 2 % 2 == 0 ? 0xFFFFFF : 0x808080;
            assertEquals(hatch, labelRgb, where);
            assertEquals(hatch, weightRgb, where);
            ignored++;
          } else {
            assertEquals(label == 0 ? 0x000000 : 0xE69F00, labelRgb, where);
            assertFalse(weightRgb == 0xFFFFFF || weightRgb == 0x808080, where);
            labelled++;
          }
        }
      }
    }
    assertTrue(ignored > 0 && labelled > 0, ignored + " ignored and " + labelled + " labelled pixels");
  }

  private static int[] pixels(BufferedImage picture) {
    return picture.getRGB(0, 0, picture.getWidth(), picture.getHeight(), null, 0, picture.getWidth());
  }
}
