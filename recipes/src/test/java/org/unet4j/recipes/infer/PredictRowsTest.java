package org.unet4j.recipes.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.unet4j.recipes.infer.TinyModels.maxDiff;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.unet4j.dsl.model.UNet;
import org.unet4j.dsl.recipe.InferenceSpec;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.dsl.recipe.TestTimeAugmentation;
import org.unet4j.recipes.data.Image;
import org.unet4j.recipes.data.NormalizationStats;
import org.unet4j.recipes.data.PageSource;
import org.unet4j.recipes.data.PixelType;
import org.unet4j.recipes.model.ModelSource;

/** Predicting bands of rows of a page, as a batch job splits a huge image. */
class PredictRowsTest {
  /** Depth 2 from 4 filters at tile 60: output 20, step 20, mirrored context 20. */
  private static final Recipe DEPTH2 = TinyModels.recipe("depth2", UNet.builder().depth(2).baseFilters(4).build(), 60);

  @TempDir static Path runs;

  @BeforeAll
  static void makeRun() {
    TinyModels.untrainedRun(DEPTH2, runs.resolve("depth2"));
  }

  private static Predictor open(int batch, TestTimeAugmentation tta) {
    return Predictor.open(ModelSource.of(runs.resolve("depth2")), new InferenceSpec(60, batch, tta, 0.5, 0, false));
  }

  /** A page that records the row ranges read from it. */
  private static final class Recording implements PageSource {
    final PageSource page;
    final List<int[]> reads = new ArrayList<>();

    Recording(Image image) {
      this.page = PageSource.of(image);
    }

    @Override
    public int width() {
      return page.width();
    }

    @Override
    public int height() {
      return page.height();
    }

    @Override
    public int channels() {
      return page.channels();
    }

    @Override
    public PixelType type() {
      return page.type();
    }

    @Override
    public Image rows(int fromRow, int toRow) {
      reads.add(new int[] {fromRow, toRow});
      return page.rows(fromRow, toRow);
    }
  }

  /**
   * Bands cut anywhere (on the step grid or not, one row, the whole page) put together give the
   * whole-page prediction, with every test-time augmentation (whose flipped copies count their
   * grid from the bottom, 83 = 4 x 20 + 3).
   */
  @ParameterizedTest
  @EnumSource(TestTimeAugmentation.class)
  void bandsPutTogetherGiveTheWholePagePrediction(TestTimeAugmentation tta) {
    Image image = TinyModels.blobs(70, 83, 6);
    try (Predictor p = open(3, tta)) {
      float[] whole = p.predict(image).values();
      PageSource page = PageSource.of(image);
      NormalizationStats stats = p.normalization(page);
      int[] cuts = {0, 1, 20, 33, 40, 82, 83};
      float[] joined = new float[whole.length];
      for (int c = 0; c + 1 < cuts.length; c++) {
        ProbabilityMap band = p.predictRows(page, stats, cuts[c], cuts[c + 1], TileProgress.NONE);
        assertEquals(70, band.width());
        assertEquals(cuts[c + 1] - cuts[c], band.height());
        System.arraycopy(band.values(), 0, joined, cuts[c] * 70 * 2, band.values().length);
      }
      assertTrue(maxDiff(whole, joined) <= 1e-6, "max difference " + maxDiff(whole, joined));
      assertArrayEquals(whole, p.predictRows(page, stats, 0, 83, TileProgress.NONE).values());
    }
  }

  /**
   * A band on the step grid reads only the rows its tiles see: rows 60..100 of a 200-row page are
   * strips 3 and 4, whose inputs start 20 rows (the context) above their outputs and are 60 rows
   * tall, so rows 40..120. They predict 2 strips of 4 tiles (70 = 3 x 20 + 10), a batch per strip
   * although the batch size is 5: no batch mixes strips.
   */
  @Test
  void aBandReadsItsRowsPlusTheContext() {
    Recording page = new Recording(TinyModels.blobs(70, 200, 2));
    List<long[]> updates = new ArrayList<>();
    try (Predictor p = open(5, TestTimeAugmentation.NONE)) {
      NormalizationStats stats = p.normalization(page);
      page.reads.clear();
      assertEquals(8, p.tileCount(70, 200, 60, 100));
      p.predictRows(page, stats, 60, 100, (done, total) -> updates.add(new long[] {done, total}));
    }
    assertEquals(1, page.reads.size());
    assertArrayEquals(new int[] {40, 120}, page.reads.get(0));
    assertEquals(List.of("4/8", "8/8"), updates.stream().map(u -> u[0] + "/" + u[1]).toList());
  }

  @Test
  void badRowsAndChannelsAreRefused() {
    Image image = TinyModels.blobs(30, 20, 1);
    PageSource page = PageSource.of(image);
    try (Predictor p = open(1, TestTimeAugmentation.NONE)) {
      NormalizationStats stats = p.normalization(page);
      assertEquals("rows 15..21: expected 0 <= from < to <= 20 (the page's height)",
          assertThrows(IllegalArgumentException.class,
              () -> p.predictRows(page, stats, 15, 21, TileProgress.NONE)).getMessage());
      PageSource rgb = PageSource.of(new Image(5, 5, 3, PixelType.UINT8, new float[75]));
      assertEquals("the image has 3 channel(s) but the model reads 1 (model.inputChannels)",
          assertThrows(IllegalArgumentException.class,
              () -> p.predictRows(rgb, stats, 0, 5, TileProgress.NONE)).getMessage());
    }
  }
}
