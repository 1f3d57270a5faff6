package org.unet4j.recipes.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.unet4j.augment.Tile;
import org.unet4j.augment.TileShape;
import org.unet4j.dsl.model.ModelSpec;
import org.unet4j.dsl.model.UNet;
import org.unet4j.labels.ClassLabels;
import org.unet4j.labels.Downsampling;

/** {@link OutputGrid}: where a stride-2 net's targets come from in a training tile. */
class OutputGridTest {
  /** Depth 2, one expanding stage: tile 60 -> 12 output pixels of stride 2, origin 18. */
  private static final ModelSpec STRIDE2 = UNet.builder().depth(2).baseFilters(4).expanding(e -> e.stage(8)).build();

  @Test
  void theLabelCropIsTheBlocksOfTheOutputPixels() {
    OutputGrid grid = OutputGrid.of(STRIDE2, 60);
    assertEquals(12, grid.output());
    assertEquals(2, grid.stride());
    TileShape crop = grid.labelCrop();
    assertEquals(24, crop.labelHeight());
    assertEquals(STRIDE2.geometry().outputOrigin(), crop.labelTop());
    assertEquals(18, crop.labelLeft());
  }

  /**
   * Block (i, j) of the 24 x 24 crop has its first (i + j) % 5 pixels (in reading order) labelled
   * 1: the target is 1 for 3 or 4 of them, 0 for a tie of 2 or fewer; the weights of its pixels
   * are 1, 2, 3, 4 times (i + 1), so the target weight is 4 (i + 1).
   */
  @Test
  void targetsAreBlockMajoritiesAndBlockMaxima() {
    OutputGrid grid = OutputGrid.of(STRIDE2, 60);
    int[] labels = new int[24 * 24];
    float[] weights = new float[24 * 24];
    for (int y = 0; y < 24; y++) {
      for (int x = 0; x < 24; x++) {
        int i = y / 2;
        int j = x / 2;
        int inBlock = (y % 2) * 2 + x % 2;
        labels[y * 24 + x] = inBlock < (i + j) % 5 ? 1 : 0;
        weights[y * 24 + x] = (inBlock + 1) * (i + 1);
      }
    }
    Tile tile = new Tile(grid.labelCrop(), 1, new float[60 * 60], labels, weights);
    int[] classes = grid.classes(tile);
    float[] targetWeights = grid.weights(tile);
    for (int i = 0; i < 12; i++) {
      for (int j = 0; j < 12; j++) {
        assertEquals((i + j) % 5 >= 3 ? 1 : 0, classes[i * 12 + j], "block (" + j + ", " + i + ")");
        assertEquals(4f * (i + 1), targetWeights[i * 12 + j], "block (" + j + ", " + i + ")");
      }
    }
  }

  /**
   * Ignored pixels ({@link ClassLabels#IGNORED}, weight 0) do not vote: in every block of the crop,
   * pixel 0 is class 1 (weight 2), pixel 1 class 0 (weight 1) and pixels 2, 3 ignored, except in
   * the blocks of row 0 (pixel 1 ignored too: class 1) and row 1 (all ignored: ignored, weight 0).
   * Blocks with a labelled pixel take their largest weight, 2; ties of 1 and 0 go to 0.
   */
  @Test
  void ignoredPixelsDoNotVoteAndABlockOfThemStaysIgnored() {
    OutputGrid grid = OutputGrid.of(STRIDE2, 60);
    int[] labels = new int[24 * 24];
    float[] weights = new float[24 * 24];
    for (int y = 0; y < 24; y++) {
      for (int x = 0; x < 24; x++) {
        int i = y / 2;
        int inBlock = (y % 2) * 2 + x % 2;
        boolean labelled = i != 1 && (inBlock == 0 || (inBlock == 1 && i != 0));
        labels[y * 24 + x] = !labelled ? ClassLabels.IGNORED : inBlock == 0 ? 1 : 0;
        weights[y * 24 + x] = !labelled ? 0 : inBlock == 0 ? 2 : 1;
      }
    }
    Tile tile = new Tile(grid.labelCrop(), 1, new float[60 * 60], labels, weights);
    int[] classes = grid.classes(tile);
    float[] targetWeights = grid.weights(tile);
    for (int i = 0; i < 12; i++) {
      for (int j = 0; j < 12; j++) {
        String block = "block (" + j + ", " + i + ")";
        assertEquals(i == 0 ? 1 : i == 1 ? ClassLabels.IGNORED : 0, classes[i * 12 + j], block);
        assertEquals(i == 1 ? 0f : 2f, targetWeights[i * 12 + j], block);
      }
    }
  }

  @Test
  void refusesAnOutputLargerThanTheTile() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new OutputGrid(10, 6, Downsampling.of(2)));
    assertEquals("a tile of 10 cannot hold 6 output pixels of stride 2", e.getMessage());
  }
}
