package org.unet4j.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.unet4j.dsl.recipe.Interpolation;

class MirrorTest {

  /** Reflection by folding the index back until it lands inside, one edge at a time. */
  private static int folded(int index, int size) {
    if (size == 1) {
      return 0;
    }
    while (index < 0 || index >= size) {
      index = index < 0 ? -index : 2 * (size - 1) - index;
    }
    return index;
  }

  @Test
  void reflectsAboutTheEdgePixelWithoutRepeatingIt() {
    assertEquals(1, Mirror.index(-1, 5));
    assertEquals(2, Mirror.index(-2, 5));
    assertEquals(3, Mirror.index(5, 5));
    assertEquals(2, Mirror.index(6, 5));
    // size 4: period 6, pattern 0 1 2 3 2 1 | 0 1 2 3 2 1
    int[] expected = {0, 1, 2, 3, 2, 1, 0, 1, 2, 3, 2, 1, 0, 1, 2, 3, 2, 1};
    for (int i = -6; i < 12; i++) {
      assertEquals(expected[i + 6], Mirror.index(i, 4), "index " + i);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 7, 10})
  void farOutsideIsReflectedRepeatedly(int size) {
    for (int i = -5 * size - 3; i <= 6 * size + 3; i++) {
      assertEquals(folded(i, size), Mirror.index(i, size), "index " + i + " of " + size);
    }
    if (size >= 2) {
      assertEquals(1, Mirror.index(-1, size));
      assertEquals(size - 2, Mirror.index(size, size));
    }
  }

  @Test
  void rejectsAnEmptyRow() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Mirror.index(0, 0));
    assertEquals("size must be positive, got 0", e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"BICUBIC", "BILINEAR"})
  void tilesReachingOutsideTheSampleAreFilledByMirroring(Interpolation interpolation) {
    int height = 5;
    int width = 6;
    Sample sample = TestImages.indexed(height, width, 2);
    TileShape shape = new TileShape(13, 11, 9, 7);
    int top = -4;
    int left = 3;
    Tile tile = Warp.identity().resample(sample, shape, top, left, interpolation);
    for (int y = 0; y < 13; y++) {
      for (int x = 0; x < 11; x++) {
        int sy = folded(top + y, height);
        int sx = folded(left + x, width);
        for (int c = 0; c < 2; c++) {
          assertEquals(sample.image()[(sy * width + sx) * 2 + c], tile.image()[(y * 11 + x) * 2 + c],
              "pixel " + y + "," + x);
        }
      }
    }
    for (int i = 0; i < 9; i++) {
      for (int j = 0; j < 7; j++) {
        int sy = folded(top + shape.labelTop() + i, height);
        int sx = folded(left + shape.labelLeft() + j, width);
        assertEquals(sy * width + sx, tile.labels()[i * 7 + j]);
        assertEquals(0.5f * (sy * width + sx), tile.weights()[i * 7 + j]);
      }
    }
    assertTrue(shape.labelTop() == 2 && shape.labelLeft() == 2);
  }
}
