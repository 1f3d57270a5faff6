package org.unet4j.dsl.geometry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.unet4j.dsl.model.Geometry;
import org.unet4j.dsl.model.ModelSpec;
import org.unet4j.dsl.model.Padding;
import org.unet4j.dsl.model.Pooling;
import org.unet4j.dsl.model.UNet;

/**
 * {@link Geometry#receptiveField()}: the widest input window one output pixel depends on. Small
 * cases are derived by hand below; every net of a catalogue is checked against explicit dependency
 * sets propagated pixel by pixel through {@link ReferenceUNet}, skips included.
 */
class ReceptiveFieldTest {

  /** Depth {@code depth}, one k x k convolution in every stage (contracting, bottleneck, expanding). */
  private static ModelSpec oneConv(int depth, int kernel, Padding padding, int pool) {
    return UNet.builder().depth(depth).baseFilters(2).convsPerStage(1).kernel(kernel).padding(padding)
        .pooling(Pooling.max(pool)).build();
  }

  /*
   * Hand derivations. Walk back from output pixel o, writing [lo, hi] for the input interval of
   * the layer reached; a valid k x k conv maps [lo, hi] to [lo, hi + k - 1], a same one to
   * [lo - k/2, hi + k/2], a p-fold up-conv to [floor(lo/p), floor(hi/p)], pooling back to
   * [p lo, p hi + p - 1]. The skip path always stays inside the deep path's interval here (the
   * crop is checked in each comment), so the deep path gives the width.
   *
   * depth 1, one 3x3 valid conv per stage, 2x2 pooling:
   *   head 1x1 [o, o]; expanding conv [o, o+2]; up-conv [a, a+1] with a = floor(o/2);
   *   bottleneck conv [a, a+3]; unpool [2a, 2a+7]; contracting conv [2a, 2a+9]  -> 10.
   *   Skip: input n -> n-2 (skip) -> (n-2)/2 -> (n-6)/2 -> up n-6, crop 2 each side: [o+2, o+4]
   *   -> contracting conv [o+2, o+6], inside [2a, 2a+9] since 2a >= o-1.
   */
  @Test
  void depthOneOneValidConvIs10() {
    assertEquals(10, oneConv(1, 3, Padding.VALID, 2).geometry().receptiveField());
  }

  /*
   * depth 1, two 3x3 valid convs per stage (the paper's top level with its bottleneck):
   *   [o, o] -> [o, o+4] -> up [a, a+2] -> bottleneck [a, a+6] -> unpool [2a, 2a+13]
   *   -> contracting [2a, 2a+17]  -> 18. Skip: crop 4, [o+4, o+8] -> [o+4, o+12] inside.
   */
  @Test
  void depthOneTwoValidConvsIs18() {
    ModelSpec net = UNet.builder().depth(1).baseFilters(2).build();
    assertEquals(18, net.geometry().receptiveField());
  }

  /*
   * depth 2, one 3x3 valid conv per stage, 2x2 pooling:
   *   [o, o] -> expanding[1] conv [o, o+2] -> up [a, a+1] (a = floor(o/2))
   *   -> expanding[0] conv [a, a+3] -> up [b, b+2] when a = 2b+1 (only [b, b+1] when a is even)
   *   -> bottleneck [b, b+4] -> unpool [2b, 2b+9] -> contracting[1] [2b, 2b+11]
   *   -> unpool [4b, 4b+23] -> contracting[0] [4b, 4b+25]  -> 26, for o = 2 or 3 mod 4.
   *   Skips: crops are 2 (level 1) and 8 (level 0); [a+2, a+5] -> [a+2, a+7] inside [2b, 2b+11],
   *   and [o+8, o+10] -> [o+8, o+12] inside [4b, 4b+25] since 4b >= o-3.
   */
  @Test
  void depthTwoOneValidConvIs26() {
    assertEquals(26, oneConv(2, 3, Padding.VALID, 2).geometry().receptiveField());
  }

  /*
   * depth 1, one 3x3 same conv per stage: the window moves, its width does not.
   *   o = 2a: [o, o] -> [2a-1, 2a+1] -> up [a-1, a] -> bottleneck [a-2, a+1] -> unpool [2a-4, 2a+3]
   *   -> contracting [2a-5, 2a+4]  -> 10 (o = 2a+1 gives [2a-3, 2a+6], also 10).
   */
  @Test
  void samePaddingKeepsTheWidth() {
    assertEquals(10, oneConv(1, 3, Padding.SAME, 2).geometry().receptiveField());
  }

  /*
   * depth 1, one 3x3 valid conv per stage, 3x3 pooling:
   *   [o, o] -> [o, o+2] -> up [a, a+1] (a = floor(o/3), o != 0 mod 3) -> bottleneck [a, a+3]
   *   -> unpool [3a, 3a+11] -> contracting [3a, 3a+13]  -> 14. Skip: crop 3, [o+3, o+5] ->
   *   [o+3, o+7] inside since 3a >= o-2.
   */
  @Test
  void poolingThreeIs14() {
    assertEquals(14, oneConv(1, 3, Padding.VALID, 3).geometry().receptiveField());
  }

  /* 1x1 convolutions only: an output pixel sees exactly one pooling window, 2 pixels. */
  @Test
  void pointwiseNetSeesOnePoolingWindow() {
    assertEquals(2, oneConv(1, 1, Padding.VALID, 2).geometry().receptiveField());
  }

  static Stream<Arguments> nets() {
    List<Named<ModelSpec>> nets = new ArrayList<>();
    for (int depth = 1; depth <= 4; depth++) {
      for (int convs = 1; convs <= 2; convs++) {
        for (int kernel : new int[] {1, 3, 5}) {
          nets.add(TestNets.family("valid", depth, convs, kernel, Padding.VALID, 2));
        }
      }
      nets.add(TestNets.family("same", depth, 2, 3, Padding.SAME, 2));
    }
    for (int depth = 1; depth <= 3; depth++) {
      nets.add(TestNets.family("valid", depth, 2, 3, Padding.VALID, 3));
    }
    nets.add(TestNets.family("same", 2, 1, 5, Padding.SAME, 3));
    nets.addAll(TestNets.special());
    nets.add(Named.of("hand: depth 1, one valid 3x3", oneConv(1, 3, Padding.VALID, 2)));
    nets.add(Named.of("hand: depth 2, one valid 3x3", oneConv(2, 3, Padding.VALID, 2)));
    nets.add(Named.of("hand: depth 1, one same 3x3", oneConv(1, 3, Padding.SAME, 2)));
    nets.add(Named.of("hand: depth 1, pool 3", oneConv(1, 3, Padding.VALID, 3)));
    return nets.stream().map(Arguments::of);
  }

  @ParameterizedTest
  @MethodSource("nets")
  void matchesExplicitDependencySets(ModelSpec net) {
    assertEquals(bruteForceReceptiveField(net), net.geometry().receptiveField());
  }

  /**
   * Runs the net with every pixel's dependency set on ever larger valid inputs until each phase
   * of the output (output pixels repeat their window shape every pool^expanding-stages pixels) has
   * a pixel whose window touches neither input border, so zero padding cannot have clipped it;
   * the widest such window is the receptive field.
   */
  static int bruteForceReceptiveField(ModelSpec net) {
    int pool = net.pooling().size();
    int phases = 1;
    for (int i = 0; i < net.expanding().size(); i++) {
      phases *= pool;
    }
    int n = ReferenceUNet.validInputs(net, 0, Geometry.MAX_INPUT).get(0);
    for (; n <= 4096; n++) {
      if (ReferenceUNet.probe(net, n).valid()) {
        ReferenceUNet.Outcome run = ReferenceUNet.run(net, n, true);
        BitSet[] deps = run.output().deps;
        boolean[] seen = new boolean[phases];
        int seenCount = 0;
        int widest = 0;
        for (int o = 0; o < deps.length; o++) {
          int lo = deps[o].nextSetBit(0);
          int hi = deps[o].length() - 1;
          assertTrue(lo >= 0, "output pixel " + o + " depends on some input");
          if (lo > 0 && hi < n - 1) {
            widest = Math.max(widest, hi - lo + 1);
            if (!seen[o % phases]) {
              seen[o % phases] = true;
              seenCount++;
            }
          }
        }
        if (seenCount == phases) {
          return widest;
        }
      }
    }
    return fail("no input up to 4096 has an unclipped window in every phase");
  }
}
