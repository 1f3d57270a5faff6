package org.unet4j.recipes.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.unet4j.dsl.recipe.LabelFormat;
import org.unet4j.recipes.data.Image;
import org.unet4j.recipes.data.PixelType;

class CellProbabilitiesTest {
  @Test
  void integerImagesAreScaledInFloat32() {
    CellProbabilities u8 = CellProbabilities.of(Image.gray(3, 1, PixelType.UINT8, new float[] {0, 128, 255}), 0);
    assertArrayEquals(new float[] {0, 128f / 255f, 1}, u8.values());
    CellProbabilities u16 = CellProbabilities.of(Image.gray(2, 1, PixelType.UINT16, new float[] {65535, 1}), 0);
    assertArrayEquals(new float[] {1, 1f / 65535f}, u16.values());
    CellProbabilities f = CellProbabilities.of(Image.gray(2, 1, PixelType.FLOAT32, new float[] {0.25f, 1.5f}), 0);
    assertArrayEquals(new float[] {0.25f, 1.5f}, f.values());
  }

  @Test
  void foregroundIsTheCellChannel() {
    // Two pixels, channels interleaved.
    Image one = new Image(2, 1, 1, PixelType.FLOAT32, new float[] {0.2f, 0.7f});
    Image two = new Image(2, 1, 2, PixelType.FLOAT32, new float[] {0.8f, 0.2f, 0.3f, 0.7f});
    Image three = new Image(2, 1, 3, PixelType.FLOAT32, new float[] {0.5f, 0.25f, 0.25f, 0.125f, 0.5f, 0.375f});
    assertArrayEquals(new float[] {0.2f, 0.7f}, CellProbabilities.foreground(one).values());
    assertArrayEquals(new float[] {0.2f, 0.7f}, CellProbabilities.foreground(two).values());
    assertArrayEquals(new float[] {0.5f, 0.875f}, CellProbabilities.foreground(three).values());
  }

  @Test
  void nanIsRefusedWithItsPosition() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new CellProbabilities(2, 2, new float[] {0, 0, 0, Float.NaN}));
    assertEquals("the probability at (x=1, y=1) is NaN; a prediction that holds NaN cannot be thresholded"
        + " (did the model diverge?)", e.getMessage());
  }

  @Test
  void missingChannelIsNamed() {
    Image two = new Image(1, 1, 2, PixelType.UINT8, new float[] {0, 255});
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CellProbabilities.of(two, 2));
    assertEquals("channel 2: the image has 2 channel(s), 0..1", e.getMessage());
  }

  @Test
  void truthCellsAreValuesAboveZeroByDefault() {
    // 0 membrane; 255 and 1 both cells; two 4-connected regions (the diagonal does not connect).
    Image labels = Image.gray(3, 2, PixelType.UINT8, new float[] {255, 0, 1, 0, 255, 0});
    GroundTruth truth = GroundTruth.cellsAboveZero(labels);
    assertEquals(3, truth.instanceCount());
    assertArrayEquals(new boolean[] {true, false, true, false, true, false}, truth.cells());
  }

  @Test
  void truthWithARecipeFormatUsesItsDecoder() {
    // Colour-coded: touching regions of values 1 and 2 are two cells.
    Image labels = Image.gray(4, 1, PixelType.UINT8, new float[] {1, 1, 2, 0});
    assertEquals(2, GroundTruth.decode(labels, LabelFormat.COLOR_COMPONENTS).instanceCount());
    assertEquals(1, GroundTruth.cellsAboveZero(labels).instanceCount());
  }
}
