package org.unet4j.dsl.geometry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.unet4j.dsl.InvalidInputException;
import org.unet4j.dsl.model.Geometry;
import org.unet4j.dsl.model.ModelSpec;
import org.unet4j.dsl.model.UNet;

/**
 * {@link Tiling#covering}: the smallest valid tile that predicts a whole image in one tile, derived
 * by hand for two nets and checked against a search over every tile for the catalogue.
 */
class CoveringTileTest {

  /**
   * The paper's net: input 16b + 124 gives output 16b - 60 = input - 184, period 16, so the step
   * is the output rounded down to a multiple of 16. A 512-pixel image needs a step of 512: output
   * 516 at 700 (step 512); 684 gives 500 (step 496). 513 pixels need 716 (output 532, step 528).
   */
  @Test
  void thePaperNetPredictsA512ImageInOneTileOf700() {
    ModelSpec paper = UNet.paper();
    assertEquals(new Tiling(700, 516, 512, 92, 0, 16, 1), Tiling.covering(paper, 512));
    assertEquals(716, Tiling.covering(paper, 513).tile());
    assertEquals(684, Tiling.covering(paper, 496).tile());
  }

  /**
   * Depth 2, two 3x3 convolutions a stage: n -> n - 4 -> pool (n - 4) / 2 -> n / 2 - 6 -> pool
   * n / 4 - 3 -> bottleneck n / 4 - 7 -> up n / 2 - 14 -> n / 2 - 18 -> up n - 36 -> n - 40; valid
   * for n a multiple of 4 (from 32), period 4. An odd 77-pixel image needs a step of 80: output 80
   * at 120 (116 gives 76); 80 pixels also 120, 81 pixels 124 (output 84, step 84).
   */
  @Test
  void aDepthTwoNetByHand() {
    ModelSpec net = UNet.builder().depth(2).baseFilters(4).build();
    assertEquals(new Tiling(120, 80, 80, 20, 0, 4, 1), Tiling.covering(net, 77));
    assertEquals(120, Tiling.covering(net, 80).tile());
    assertEquals(124, Tiling.covering(net, 81).tile());
    // The smallest valid tile, 44 (output 4, step 4), covers a 1-pixel image.
    assertEquals(44, Tiling.covering(net, 1).tile());
  }

  /**
   * Brute force over every tile size: the first valid one, in increasing order, whose layout has one
   * tile along an odd 101-pixel image.
   */
  @ParameterizedTest
  @MethodSource("org.unet4j.dsl.geometry.TestNets#all")
  void isTheSmallestTileWithOneTilePerImage(ModelSpec net) {
    int size = 101;
    Geometry geometry = net.geometry();
    int expected = -1;
    for (int t = 1; t <= 4096 && expected < 0; t++) {
      if (geometry.isValidInput(t) && oneTile(net, t, size)) {
        expected = t;
      }
    }
    Tiling tiling = Tiling.covering(net, size);
    assertEquals(Tiling.of(net, expected), tiling);
    assertEquals(1, tiling.tilesAlong(size));
  }

  private static boolean oneTile(ModelSpec net, int tile, int size) {
    try {
      return Tiling.of(net, tile).tilesAlong(size) == 1;
    } catch (InvalidInputException tooSmallToStep) {
      return false;
    }
  }

  @Test
  void anImageNoTileCoversIsRefusedWithTheLargestThatWould() {
    InvalidInputException tooLarge = assertThrows(InvalidInputException.class,
        () -> Tiling.covering(UNet.paper(), Geometry.MAX_INPUT));
    // The largest valid tile, 65532 = 16 x 4088 + 124, gives 65348 output pixels, step 65344.
    assertEquals("no tile up to 65536 covers an image of 65536 pixels in one tile; the largest, 65532, covers"
        + " 65344 pixels: use a smaller image or overlapping tiles", tooLarge.getMessage());
    InvalidInputException empty = assertThrows(InvalidInputException.class, () -> Tiling.covering(UNet.paper(), 0));
    assertTrue(empty.getMessage().contains("an image of 0 pixels: give a positive size"), empty.getMessage());
  }
}
