package org.unet4j.recipes.eval;

import org.unet4j.recipes.data.Image;
import org.unet4j.recipes.data.PixelType;

/** Ground truth built from masks and pictures in tests. */
final class GroundTruthFixtures {
  private GroundTruthFixtures() {}

  static GroundTruth fromCells(boolean[] cells, int width, int height) {
    float[] values = new float[cells.length];
    for (int i = 0; i < cells.length; i++) {
      values[i] = cells[i] ? 255 : 0;
    }
    return GroundTruth.cellsAboveZero(Image.gray(width, height, PixelType.UINT8, values));
  }
}
