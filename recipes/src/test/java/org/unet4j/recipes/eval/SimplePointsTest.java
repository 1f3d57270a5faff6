package org.unet4j.recipes.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Simple points with cells 4-connected and membrane 8-connected, on hand-drawn neighbourhoods. */
class SimplePointsTest {
  /** The neighbourhood bits of the centre of a 3x3 drawing (# cell). */
  private static int bits(String top, String middle, String bottom) {
    String all = top + middle + bottom;
    int[] positions = {0, 1, 2, 3, 5, 6, 7, 8};
    int bits = 0;
    for (int k = 0; k < 8; k++) {
      if (all.charAt(positions[k]) == '#') {
        bits |= 1 << k;
      }
    }
    return bits;
  }

  @ParameterizedTest(name = "{0} {1} {2} -> {3} ({4})")
  @CsvSource({
      "..., .x., ..., false, no cell neighbour: flipping creates or deletes an object",
      "###, #x#, ###, false, all cells: flipping creates or fills a hole",
      "..., #x., ..., true, the end of a line",
      "..., #x#, ..., false, a bridge between two sides",
      "#.., .x., ..., false, a diagonal cell is not 4-connected",
      "###, #x., ..., true, a corner of a cell",
      ".#., #x., ..., false, two cells joined only through the centre",
      "###, #x#, ..., true, the edge of a cell",
      ".#., #x#, .#., false, four arms that only the centre joins",
      "#.#, .x., #.#, false, only diagonals",
  })
  void simplePoints(String top, String middle, String bottom, boolean simple, String why) {
    int config = bits(top, middle.replace('x', '.'), bottom);
    assertEquals(simple, SimplePoints.isSimple(config), why);
    // The literal 3x3 component count of the reference agrees.
    boolean[] l = new boolean[9];
    String all = top + middle.replace('x', '.') + bottom;
    for (int i = 0; i < 9; i++) {
      l[i] = all.charAt(i) == '#';
    }
    assertEquals(simple, WarpingReference.simple(l, 1, 1, 3, 3), why);
  }
}
