package org.unet4j.dsl.geometry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.unet4j.dsl.SpecException;
import org.unet4j.dsl.model.Geometry;
import org.unet4j.dsl.model.LayerShape;
import org.unet4j.dsl.model.ModelSpec;
import org.unet4j.dsl.model.UNet;

/**
 * The paper's net (Ronneberger et al. 2015, Fig. 1 and Sec. 3): every number here is derived in
 * this file from the figure, not read from the code.
 */
class PaperNetTest {
  private static final ModelSpec PAPER = UNet.paper();
  private static final Geometry GEOMETRY = PAPER.geometry();

  @Test
  void figureOneSizes() {
    assertEquals(388, GEOMETRY.outputSize(572));
    assertEquals(516, GEOMETRY.outputSize(700));
  }

  static IntStream bs() {
    return IntStream.rangeClosed(4, 40);
  }

  /*
   * Input 16b+124: 16b+120 -> pool 8b+60 -> 8b+56 -> 4b+28 -> 4b+24 -> 2b+12 -> 2b+8 -> b+4 ->
   * bottleneck b -> up 2b -> 2b-4 -> up 4b-8 -> 4b-12 -> up 8b-24 -> 8b-28 -> up 16b-56 -> 16b-60.
   * Any other size leaves an odd map before some pooling; b = 3 gives 2b-4 = 2 -> up 4 -> 0 pixels.
   */
  @ParameterizedTest
  @MethodSource("bs")
  void inputSixteenBPlus124GivesSixteenBMinus60AndNothingInBetweenIsValid(int b) {
    assertTrue(GEOMETRY.isValidInput(16 * b + 124));
    assertEquals(16 * b - 60, GEOMETRY.outputSize(16 * b + 124));
    for (int n = 16 * b + 125; n < 16 * (b + 1) + 124; n++) {
      assertFalse(GEOMETRY.isValidInput(n), "input " + n);
    }
  }

  @Test
  void nothingBelow188IsValid() {
    for (int n = -3; n < 188; n++) {
      assertFalse(GEOMETRY.isValidInput(n), "input " + n);
    }
    assertEquals(188, GEOMETRY.smallestValidInput());
    assertEquals(4, GEOMETRY.outputSize(188));
  }

  /* (572 - 388) / 2 = 92, the mirrored border of Fig. 2. */
  @Test
  void marginIs92() {
    assertEquals(92, GEOMETRY.margin());
    assertEquals(1, GEOMETRY.outputStride());
    assertEquals(16, GEOMETRY.period());
  }

  /* 512 -> 508 -> 254 -> 250 -> 125 -> 121: odd before the third pooling. */
  @Test
  void tile512IsInvalidAtTheThirdPooling() {
    assertEquals(List.of(508, 524), GEOMETRY.validInputsNear(512));
    assertEquals(List.of(572), GEOMETRY.validInputsNear(572));
    SpecException why = GEOMETRY.whyInvalid(512);
    assertNotNull(why);
    assertEquals("contracting[2].pool", why.path());
    assertTrue(why.getMessage().startsWith("contracting[2].pool: "), why.getMessage());
    assertTrue(why.getMessage().contains("508, 524"), why.getMessage());
    assertTrue(why.getMessage().contains("121x121"), why.getMessage());
    SpecException thrown = assertThrows(SpecException.class, () -> GEOMETRY.outputSize(512));
    assertEquals(why.getMessage(), thrown.getMessage());
    assertThrows(SpecException.class, () -> GEOMETRY.layers(512));
  }

  /* requireValid is whyInvalid thrown: 512 breaks at the third pooling, 572 and 508 pass. */
  @Test
  void requireValidThrowsTheNearestValidTiles() {
    GEOMETRY.requireValid(572);
    GEOMETRY.requireValid(508, "paper");
    SpecException bare = assertThrows(SpecException.class, () -> GEOMETRY.requireValid(512));
    assertEquals("contracting[2].pool", bare.path());
    assertTrue(bare.getMessage().startsWith("contracting[2].pool: "), bare.getMessage());
    assertTrue(bare.getMessage().endsWith("Received: input 512; valid near it: 508, 524"), bare.getMessage());
    SpecException named = assertThrows(SpecException.class, () -> GEOMETRY.requireValid(513, "paper/isbi2012"));
    assertTrue(named.getMessage().startsWith("tile 513 does not fit paper/isbi2012: contracting["), named.getMessage());
    assertTrue(named.getMessage().endsWith("valid near it: 508, 524"), named.getMessage());
  }

  /* 18 convolutions + 4 up-convolutions + the 1x1 head. */
  @Test
  void twentyThreeConvolutionLayers() {
    assertEquals(23, PAPER.convolutionLayers());
    long convs = GEOMETRY.layers(572).stream().filter(l -> switch (l.kind()) {
      case CONV, UP_CONV, HEAD -> true;
      default -> false;
    }).count();
    assertEquals(23, convs);
  }

  /** Weights k x k x cin x cout plus cout biases; the up-convolutions are 2x2. */
  private static long params(int k, int cin, int cout) {
    return (long) k * k * cin * cout + cout;
  }

  @Test
  void parametersBySumOfLayers() {
    long[] perLayer = {
        params(3, 1, 64), params(3, 64, 64), // contracting 0
        params(3, 64, 128), params(3, 128, 128), // contracting 1
        params(3, 128, 256), params(3, 256, 256), // contracting 2
        params(3, 256, 512), params(3, 512, 512), // contracting 3
        params(3, 512, 1024), params(3, 1024, 1024), // bottleneck
        params(2, 1024, 512), params(3, 1024, 512), params(3, 512, 512), // expanding 0: concat 512+512
        params(2, 512, 256), params(3, 512, 256), params(3, 256, 256), // expanding 1
        params(2, 256, 128), params(3, 256, 128), params(3, 128, 128), // expanding 2
        params(2, 128, 64), params(3, 128, 64), params(3, 64, 64), // expanding 3
        params(1, 64, 2)}; // head
    long sum = 0;
    for (long p : perLayer) {
      sum += p;
    }
    assertEquals(31_030_658L, sum);
    assertEquals(31_030_658L, PAPER.parameterCount());
    assertEquals(31_030_658L, GEOMETRY.parameterCount());
    List<Long> got = GEOMETRY.layers(572).stream().filter(l -> l.parameters() > 0)
        .map(LayerShape::parameters).toList();
    assertEquals(IntStream.range(0, perLayer.length).mapToObj(i -> perLayer[i]).toList(), got);
  }

  /** Forward FLOPs of a k x k convolution to an out x out map: 2 x multiply-adds. */
  private static long convFlops(int out, int k, int cin, int cout) {
    return 2L * out * out * k * k * cin * cout;
  }

  /** A 2x2 stride-2 up-convolution: every output pixel takes one kernel tap of one input pixel. */
  private static long upConvFlops(int out, int cin, int cout) {
    return 2L * out * out * cin * cout;
  }

  @Test
  void forwardFlopsAt572() {
    // map sizes from Fig. 1: 572 -> 570 -> 568 | 284 -> 282 -> 280 | 140 -> 138 -> 136 | 68 -> 66 -> 64
    // | 32 -> 30 -> 28 | up 56 -> 54 -> 52 | up 104 -> 102 -> 100 | up 200 -> 198 -> 196
    // | up 392 -> 390 -> 388 | head 388
    long flops = convFlops(570, 3, 1, 64) + convFlops(568, 3, 64, 64)
        + convFlops(282, 3, 64, 128) + convFlops(280, 3, 128, 128)
        + convFlops(138, 3, 128, 256) + convFlops(136, 3, 256, 256)
        + convFlops(66, 3, 256, 512) + convFlops(64, 3, 512, 512)
        + convFlops(30, 3, 512, 1024) + convFlops(28, 3, 1024, 1024)
        + upConvFlops(56, 1024, 512) + convFlops(54, 3, 1024, 512) + convFlops(52, 3, 512, 512)
        + upConvFlops(104, 512, 256) + convFlops(102, 3, 512, 256) + convFlops(100, 3, 256, 256)
        + upConvFlops(200, 256, 128) + convFlops(198, 3, 256, 128) + convFlops(196, 3, 128, 128)
        + upConvFlops(392, 128, 64) + convFlops(390, 3, 128, 64) + convFlops(388, 3, 64, 64)
        + convFlops(388, 1, 64, 2);
    assertEquals(300.857, flops / 1e9, 1e-3);
    assertEquals(flops, GEOMETRY.forwardFlops(572));
    assertEquals(300.857, GEOMETRY.forwardFlops(572) / 1e9, 1e-3);
  }

  @Test
  void layerShapesAt572FollowFigureOne() {
    Map<String, String> shapes = GEOMETRY.layers(572).stream()
        .collect(Collectors.toMap(LayerShape::path, LayerShape::shape));
    assertEquals("570x570x64", shapes.get("contracting/0/conv1"));
    assertEquals("568x568x64", shapes.get("contracting/0/conv2"));
    assertEquals("284x284x64", shapes.get("contracting/0/pool"));
    assertEquals("136x136x256", shapes.get("contracting/2/conv2"));
    assertEquals("64x64x512", shapes.get("contracting/3/conv2"));
    assertEquals("64x64x512", shapes.get("contracting/3/dropout"));
    assertEquals("28x28x1024", shapes.get("bottleneck/conv2"));
    assertEquals("28x28x1024", shapes.get("bottleneck/dropout"));
    assertEquals("56x56x512", shapes.get("expanding/0/upconv"));
    assertEquals("56x56x1024", shapes.get("expanding/0/concat"));
    assertEquals("52x52x512", shapes.get("expanding/0/conv2"));
    assertEquals("392x392x64", shapes.get("expanding/3/upconv"));
    assertEquals("388x388x64", shapes.get("expanding/3/conv2"));
    assertEquals("388x388x2", shapes.get("head"));
    Map<String, LayerShape> byPath = GEOMETRY.layers(572).stream()
        .collect(Collectors.toMap(LayerShape::path, Function.identity()));
    assertEquals(params(3, 1, 64), byPath.get("contracting/0/conv1").parameters());
    assertEquals(convFlops(570, 3, 1, 64), byPath.get("contracting/0/conv1").flops());
    assertEquals(0, byPath.get("contracting/0/pool").flops());
  }
}
