package org.unet4j.dsl.geometry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.unet4j.dsl.InvalidInputException;
import org.unet4j.dsl.model.ModelSpec;
import org.unet4j.dsl.model.Padding;
import org.unet4j.dsl.model.Pooling;
import org.unet4j.dsl.model.UNet;

/**
 * Overlap tiles of nets whose output is coarser than their input (issue 19), laid out by hand: a
 * tile's output is upsampled to {@code stride * outputSize} pixels, of which {@code stride / 2}
 * at each side lie outside the outermost block centres and are not used.
 */
class CoarseOutputTilingTest {

  /**
   * Depth 2, one expanding stage (stride 2), tile 60: output 12, margin 18 (see
   * OutputBlocksTest). Upsampled: 24 pixels, 1 dropped per side, 22 usable; the period is 4, so the
   * step is 20 and the context 18 + 1.
   */
  @Test
  void strideTwoByHand() {
    ModelSpec net = UNet.builder().depth(2).baseFilters(4).expanding(e -> e.stage(8)).build();
    Tiling tiling = Tiling.of(net, 60);
    assertEquals(new Tiling(60, 12, 20, 19, 1, 4, 2), tiling);
    assertEquals(24, tiling.upsampledOutput());
    assertEquals(22, tiling.usable());
    // A 45-pixel image: 3 tiles, an extended image of 2 x 20 + 60 = 100, a valid input.
    assertEquals(3, tiling.tilesAlong(45));
    assertEquals(100, tiling.extendedSize(45));
    assertEquals(100, 2 * 18 + 2 * net.geometry().outputSize(100));
  }

  /**
   * Depth 3, one expanding stage (stride 4), tile 92: 88, 44, 40, 20, 16, 8, bottleneck 4, up-conv
   * 8 (the skip's 16 cropped by 4), 4, head 4. Margin (92 - 16) / 2 = 38. Upsampled 16, 2 dropped
   * per side, 12 usable; the period 8 gives step 8 and context 40.
   */
  @Test
  void strideFourByHand() {
    ModelSpec coarse = UNet.builder().depth(3).baseFilters(4).expanding(e -> e.stage(16)).build();
    assertEquals(new Tiling(92, 4, 8, 40, 2, 8, 4), Tiling.of(coarse, 92));
  }

  /**
   * Pooling 3, depth 2, no expanding stage (stride 9), 1x1 convolutions: the output is input / 9
   * and the margin 0. Tile 27: 3 output pixels, 27 upsampled, 4 dropped per side, 19 usable, but the
   * period is 9: step 18, context 4. Tile 18 keeps 18 - 8 = 10 >= 9: step 9.
   */
  @Test
  void oddStrideByHand() {
    ModelSpec net = UNet.builder().depth(2).baseFilters(2).kernel(1).pooling(Pooling.max(3))
        .expanding(e -> { }).build();
    assertEquals(9, net.geometry().outputStride());
    assertEquals(new Tiling(27, 3, 18, 4, 4, 9, 9), Tiling.of(net, 27));
    assertEquals(new Tiling(18, 2, 9, 4, 4, 9, 9), Tiling.of(net, 18));
    InvalidInputException small = assertThrows(InvalidInputException.class, () -> Tiling.of(net, 9));
    assertEquals("tile 9 leaves 1 usable output pixels, fewer than the pooling period 9; tiles must step by a"
        + " multiple of 9 for a seamless result, so use a larger tile (the smallest that works is 18)",
        small.getMessage());
  }

  /**
   * Padded convolutions and stride 2: the pixels whose receptive field may reach the tile border's
   * padding are dropped in whole blocks, then one more for the interpolation.
   */
  @Test
  void paddedStrideDropsWholeBlocksThenHalfABlock() {
    ModelSpec net = UNet.builder().depth(2).baseFilters(2).padding(Padding.SAME).expanding(e -> e.stage(4)).build();
    int reach = net.geometry().receptiveField() - 1; // margin 0
    int blocks = (reach + 1) / 2;
    Tiling tiling = Tiling.of(net, 120);
    assertEquals(2 * blocks + 1, tiling.skip());
    assertEquals(tiling.skip(), tiling.context());
    assertEquals(60, tiling.outputSize());
  }
}
