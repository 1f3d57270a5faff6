package org.unet4j.dsl.geometry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.unet4j.dsl.model.LayerKind;
import org.unet4j.dsl.model.LayerShape;
import org.unet4j.dsl.SpecException;
import org.unet4j.dsl.model.ModelSpec;
import org.unet4j.dsl.model.Padding;
import org.unet4j.dsl.model.PoolingKind;
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

  /*
   * Bilinear upsampling, unpadded, by hand: 22 -> 20 -> 18 | pool 9 -> 7 -> 5 | bilinear x2 keeps
   * the 2 x 5 - 2 = 8 pixels between coarse centres, its 3x3 convolution 6; skip 18 cropped to 6
   * -> 4 -> 2 | head 2. The even size below, 20, fails: 20 -> 16 | 8 -> 4 | 6, 4 -> 0. The
   * upsampling has no weights; its convolution has a bias.
   */
  @Test
  void bilinearUpsamplingByHand() {
    ModelSpec net = UNet.builder().depth(1).baseFilters(2).bilinearUpsampling().build();
    assertEquals(22, net.geometry().smallestValidInput());
    assertEquals(2, net.geometry().outputSize(22));
    assertEquals(10, net.geometry().margin());
    long params = (9 * 1 * 2 + 2) + (9 * 2 * 2 + 2) // contracting[0]
        + (9 * 2 * 4 + 4) + (9 * 4 * 4 + 4) // bottleneck
        + (9 * 4 * 2 + 2) // the 3x3 convolution after the upsampling, 4 to 2 channels
        + (9 * (2 + 2) * 2 + 2) + (9 * 2 * 2 + 2) // expanding[0] convs after the concat
        + (2 * 2 + 2); // head
    assertEquals(474, params);
    assertEquals(params, net.parameterCount());
    long macs = 20 * 20 * 9 * 1 * 2 + 18 * 18 * 9 * 2 * 2 // contracting[0]
        + 7 * 7 * 9 * 2 * 4 + 5 * 5 * 9 * 4 * 4 // bottleneck
        + 6 * 6 * 9 * 4 * 2 // the convolution after the upsampling
        + 4 * 4 * 9 * 4 * 2 + 2 * 2 * 9 * 2 * 2 // expanding[0]
        + 2 * 2 * 2 * 2; // head
    assertEquals(2 * macs, net.geometry().forwardFlops(22));
    List<LayerShape> layers = net.geometry().layers(22);
    LayerShape upsample = layers.stream().filter(l -> l.path().equals("expanding/0/upsample")).findFirst()
        .orElseThrow();
    assertEquals(List.of(LayerKind.UPSAMPLE, "8x8x4", 0L), List.of(upsample.kind(), upsample.shape(),
        upsample.parameters()));
  }

  /* Unpadded bilinear upsampling of a single pixel has no two centres to interpolate between. */
  @Test
  void bilinearUpsamplingOfOnePixelIsRefusedWithItsStage() {
    ModelSpec net = UNet.builder().depth(1).baseFilters(2).convsPerStage(1).kernel(1).bilinearUpsampling().build();
    // 2 -> 2 | pool 1 -> 1 | bilinear: no pixel between two centres
    SpecException e = assertThrows(SpecException.class, () -> net.geometry().outputSize(2));
    assertTrue(e.getMessage().startsWith("expanding[0].upsampling: unpadded bilinear upsampling interpolates between"
        + " pixel centres and needs at least 2 pixels, got 1x1. Received: input 2; valid near it: "), e.getMessage());
  }

  /* Padded, the upsampling doubles the size and its convolution keeps it: input 8 -> 4 -> 8 -> 8. */
  @Test
  void bilinearUpsamplingPaddedKeepsTwiceTheSize() {
    ModelSpec net = UNet.builder().depth(1).baseFilters(2).padding(Padding.SAME).bilinearUpsampling().build();
    assertEquals(8, net.geometry().outputSize(8));
    assertEquals(0, net.geometry().margin());
    assertEquals("16x16x4", net.geometry().layers(16).stream()
        .filter(l -> l.path().equals("expanding/0/upsample")).findFirst().orElseThrow().shape());
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

  /*
   * Block kinds, by hand, on depth 1 with 2 base filters (input 1 channel, 2 classes). The plain
   * net has 434 parameters: contracting 20 + 38, bottleneck 76 + 148, up-conv 34, expanding
   * 74 + 38, head 6.
   */
  @Test
  void plainNetHas434Parameters() {
    assertEquals(434, UNet.builder().depth(1).baseFilters(2).build().parameterCount());
  }

  /* Every stage changes its channels, so every shortcut is a 1x1 projection with a bias. */
  @Test
  void residualStagesAddAProjectionWhereChannelsChange() {
    ModelSpec net = UNet.builder().depth(1).baseFilters(2).residual().build();
    long expected = 434
        + (1 * 2 + 2) // contracting[0]: 1 -> 2
        + (2 * 4 + 4) // bottleneck: 2 -> 4
        + (4 * 2 + 2); // expanding[0]: the concat's 2 + 2 -> 2
    assertEquals(460, expected);
    assertEquals(expected, net.parameterCount());
    // at input 18 the projections run at 14x14, 3x3 and 2x2
    long macs = 14 * 14 * 2 + 3 * 3 * 2 * 4 + 2 * 2 * 4 * 2;
    assertEquals(UNet.builder().depth(1).baseFilters(2).build().geometry().forwardFlops(18) + 2 * macs,
        net.geometry().forwardFlops(18));
  }

  /* Same channels in and out: the identity shortcut has no parameters and costs no FLOPs. */
  @Test
  void identityShortcutIsFree() {
    ModelSpec plain = UNet.builder().contracting(c -> c.stage(2)).bottleneck(2).expanding(e -> e.stage(2, s -> s
        .noSkip())).inputChannels(2).build();
    ModelSpec net = UNet.builder().contracting(c -> c.stage(2)).bottleneck(2).expanding(e -> e.stage(2, s -> s
        .noSkip())).inputChannels(2).residual().build();
    assertEquals(plain.parameterCount(), net.parameterCount());
    assertEquals(plain.geometry().forwardFlops(18), net.geometry().forwardFlops(18));
  }

  /*
   * Skip 2 channels, so F_int = 1; gating signal: the bottleneck's 4 channels at 3x3 (input 18),
   * the skip cropped to 6x6.
   */
  @Test
  void attentionGateAddsItsThreeProjections() {
    ModelSpec net = UNet.builder().depth(1).baseFilters(2).attentionSkips().build();
    long expected = 434
        + (4 * 1 + 1) // W_g and b_g
        + (2 * 1) // W_x, no bias
        + (1 + 1); // psi and its bias
    assertEquals(443, expected);
    assertEquals(expected, net.parameterCount());
    long macs = 3 * 3 * 4 * 1 + 6 * 6 * (2 * 1 + 1);
    assertEquals(UNet.builder().depth(1).baseFilters(2).build().geometry().forwardFlops(18) + 2 * macs,
        net.geometry().forwardFlops(18));
  }

  /* A 2x2 stride-2 convolution keeping 2 channels, at 7x7 for input 18. */
  @Test
  void stridedConvolutionDownSamplingIsALearntTwoByTwoConvolution() {
    ModelSpec net = UNet.builder().depth(1).baseFilters(2).pooling(PoolingKind.STRIDED_CONV, 2).build();
    assertEquals(434 + (4 * 2 * 2 + 2), net.parameterCount());
    assertEquals(UNet.builder().depth(1).baseFilters(2).build().geometry().forwardFlops(18) + 2 * (7 * 7 * 4 * 2 * 2),
        net.geometry().forwardFlops(18));
  }

  /* Like batch norm: a scale and an offset per channel instead of the convolution's bias. */
  @Test
  void groupAndInstanceNormCountAsBatchNorm() {
    assertEquals(450, UNet.builder().depth(1).baseFilters(2).groupNorm(2).build().parameterCount());
    assertEquals(450, UNet.builder().depth(1).baseFilters(2).instanceNorm().build().parameterCount());
  }
}
