package org.unet4j.dsl.geometry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.unet4j.dsl.model.ModelSpec;
import org.unet4j.dsl.model.UNet;

/**
 * Parameter and FLOP counts of tiny nets beyond the paper's, summed by hand layer by layer: batch
 * normalization (no bias, a scale and an offset per channel instead) and a partial expanding path.
 */
class CountsTest {

  @Test
  void batchNormReplacesTheBiasOfEveryConvolutionWithScaleAndOffset() {
    ModelSpec net = UNet.builder().depth(1).baseFilters(2).batchNorm().build();
    long expected =
        (9 * 1 * 2 + 2 * 2) + (9 * 2 * 2 + 2 * 2) // contracting[0]: 2 filters
        + (9 * 2 * 4 + 2 * 4) + (9 * 4 * 4 + 2 * 4) // bottleneck: 4 filters
        + (4 * 4 * 2 + 2) // expanding[0] 2x2 up-conv: not normalized, keeps its bias
        + (9 * (2 + 2) * 2 + 2 * 2) + (9 * 2 * 2 + 2 * 2) // expanding[0] convs after the concat
        + (2 * 2 + 2); // 1x1 head to 2 classes, with bias
    assertEquals(450, expected);
    assertEquals(expected, net.parameterCount());
  }

  /*
   * Smallest input, by hand: 18 -> 16 -> 14 | pool 7 -> 5 -> 3 | up 6, skip 14 cropped to 6
   * -> 4 -> 2 | head 2. FLOPs = 2 x multiply-adds = 2 x out^2 x k^2 x cin x cout per conv.
   */
  @Test
  void flopsOfTheSmallestInputByHand() {
    ModelSpec net = UNet.builder().depth(1).baseFilters(2).build();
    assertEquals(18, net.geometry().smallestValidInput());
    assertEquals(2, net.geometry().outputSize(18));
    long macs = 16 * 16 * 9 * 1 * 2 + 14 * 14 * 9 * 2 * 2 // contracting[0]
        + 5 * 5 * 9 * 2 * 4 + 3 * 3 * 9 * 4 * 4 // bottleneck
        + 6 * 6 * 4 * 2 // up-conv: one tap per output pixel
        + 4 * 4 * 9 * 4 * 2 + 2 * 2 * 9 * 2 * 2 // expanding[0]
        + 2 * 2 * 2 * 2; // head
    assertEquals(2 * macs, net.geometry().forwardFlops(18));
  }

  @Test
  void partialExpandingPathCountsOnlyTheDeclaredStages() {
    ModelSpec net = UNet.builder().depth(2).baseFilters(2).expanding(e -> e.stage(4)).build();
    long expected =
        (9 * 1 * 2 + 2) + (9 * 2 * 2 + 2) // contracting[0]
        + (9 * 2 * 4 + 4) + (9 * 4 * 4 + 4) // contracting[1]
        + (9 * 4 * 8 + 8) + (9 * 8 * 8 + 8) // bottleneck
        + (4 * 8 * 4 + 4) + (9 * (4 + 4) * 4 + 4) + (9 * 4 * 4 + 4) // expanding[0], paired with contracting[1]
        + (4 * 2 + 2); // head on 4 channels
    assertEquals(1744, expected);
    assertEquals(expected, net.parameterCount());
    assertEquals(2, net.geometry().outputStride());
  }
}
