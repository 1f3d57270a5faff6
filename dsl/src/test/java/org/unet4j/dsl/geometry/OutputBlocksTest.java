package org.unet4j.dsl.geometry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.unet4j.dsl.model.ExpandingStageSpec;
import org.unet4j.dsl.model.Geometry;
import org.unet4j.dsl.model.ModelSpec;
import org.unet4j.dsl.model.OutputActivation;
import org.unet4j.dsl.model.Padding;
import org.unet4j.dsl.model.Pooling;
import org.unet4j.dsl.model.SkipMode;
import org.unet4j.dsl.model.StageSpec;
import org.unet4j.dsl.model.UNet;
import org.unet4j.dsl.model.Upsampling;

/**
 * {@link Geometry#outputOrigin()}: output pixel j stands for input pixels [origin + j s, origin +
 * (j + 1) s). Checked against a brute force that pushes explicit 1-D maps through the net, every
 * pixel carrying the block of input pixels it stands for: a convolution's pixel takes its centre
 * tap's block, pooling joins p neighbouring blocks (which must be contiguous), an up-convolution
 * splits a block into p equal parts, and every skip must hand the concatenation the same blocks as
 * the up-convolution (the crop aligns them exactly). At the output, the blocks must be the ones
 * the origin and the stride give, for every net of {@link TestNets} and some with odd strides.
 */
class OutputBlocksTest {

  static Stream<Named<ModelSpec>> nets() {
    List<Named<ModelSpec>> nets = new ArrayList<>(TestNets.all());
    nets.add(Named.of("depth 2 pool 3, no expanding stage, 3x3 head (stride 9)", UNet.builder().depth(2)
        .baseFilters(2).pooling(Pooling.max(3)).expanding(e -> { }).head(3, OutputActivation.SOFTMAX)
        .build()));
    nets.add(Named.of("depth 3, 1 expanding stage of 5x5 convs, no skip", UNet.builder().depth(3).baseFilters(2)
        .expanding(e -> e.stage(4, s -> s.conv(5).noSkip())).build()));
    nets.add(Named.of("depth 3 pool 3 same, 2 expanding stages (stride 3)", UNet.builder().depth(3).baseFilters(2)
        .pooling(Pooling.max(3)).padding(Padding.SAME).expanding(e -> e.stage(4).stage(2)).build()));
    return nets.stream();
  }

  @ParameterizedTest
  @MethodSource("nets")
  void everyOutputPixelStandsForItsBlockOfStrideInputPixels(ModelSpec net) {
    Geometry g = net.geometry();
    int s = g.outputStride();
    int smallest = g.smallestValidInput();
    for (int input : new int[] {smallest, smallest + g.period(), smallest + 3 * g.period()}) {
      int[][] out = new Blocks(net).run(input);
      assertEquals(g.outputSize(input), out.length, "output size at " + input);
      for (int j = 0; j < out.length; j++) {
        int origin = g.outputOrigin();
        assertEquals(origin + j * s, out[j][0], "first input pixel of output " + j + " at input " + input);
        assertEquals(origin + (j + 1) * s, out[j][1], "end of output " + j + " at input " + input);
      }
    }
    assertEquals(g.margin(), g.outputOrigin());
  }

  /**
   * Worked by hand: depth 2, two 3x3 unpadded convolutions per stage, one expanding stage (stride
   * 2), input 44. Contracting[0]: 40 pixels, pixel 0 is input pixel 2; pooled: 20, pixel 0 is
   * [2, 4). Contracting[1]: 16, pixel 0 is pooled pixel 2 = [6, 8); pooled: 8, [6, 10). Bottleneck:
   * 4, pixel 0 is pooled pixel 2 = [14, 18). Up-convolution: 8, pixel 0 is [14, 16), which the skip
   * (16 pixels, cropped by 4) also has at its pixel 4 = contracting[0]'s pooled pixel 6. Expanding
   * convolutions: 4, pixel 0 is up-convolved pixel 2 = [18, 20); the 1x1 head keeps it. So output
   * pixel j stands for [18 + 2j, 20 + 2j), and 18 is the margin (44 - 2 x 4) / 2.
   */
  @Test
  void depthTwoWithOneExpandingStageByHand() {
    ModelSpec net = UNet.builder().depth(2).baseFilters(2).expanding(e -> e.stage(4)).build();
    assertEquals(2, net.geometry().outputStride());
    assertEquals(4, net.geometry().outputSize(44));
    assertEquals(18, net.geometry().outputOrigin());
    int[][] out = new Blocks(net).run(44);
    assertEquals(List.of(18, 20), List.of(out[0][0], out[0][1]));
    assertEquals(List.of(24, 26), List.of(out[3][0], out[3][1]));
  }

  /** The brute force: maps of [first, end) input blocks, one per pixel. */
  private static final class Blocks {
    private final ModelSpec net;
    private final int pool;

    Blocks(ModelSpec net) {
      this.net = net;
      this.pool = net.pooling().size();
    }

    int[][] run(int input) {
      int[][] map = new int[input][];
      for (int x = 0; x < input; x++) {
        map[x] = new int[] {x, x + 1};
      }
      int depth = net.depth();
      int[][][] skips = new int[depth][][];
      for (int level = 0; level < depth; level++) {
        StageSpec stage = net.contracting().get(level);
        map = convs(map, sizes(stage.convs(), stage.kernel(), stage.kernels()), stage.padding());
        skips[level] = map;
        int[][] pooled = new int[map.length / pool][];
        for (int q = 0; q < pooled.length; q++) {
          for (int r = 1; r < pool; r++) {
            assertEquals(map[pool * q + r - 1][1], map[pool * q + r][0], "pooled blocks are contiguous");
          }
          pooled[q] = new int[] {map[pool * q][0], map[pool * q + pool - 1][1]};
        }
        map = pooled;
      }
      StageSpec b = net.bottleneck();
      map = convs(map, sizes(b.convs(), b.kernel(), b.kernels()), b.padding());
      for (int i = 0; i < net.expanding().size(); i++) {
        ExpandingStageSpec stage = net.expanding().get(i);
        int[][] up = new int[map.length * pool][];
        for (int q = 0; q < map.length; q++) {
          int width = map[q][1] - map[q][0];
          assertEquals(0, width % pool, "an up-convolved block splits evenly");
          for (int r = 0; r < pool; r++) {
            up[pool * q + r] = new int[] {map[q][0] + r * width / pool, map[q][0] + (r + 1) * width / pool};
          }
        }
        if (stage.upsampling() == Upsampling.BILINEAR && stage.padding() == Padding.VALID) {
          // Bilinear upsampling samples fine pixel t at the centre of the t-th p-th of its coarse
          // block, as the up-convolution's pixel t; unpadded, the p/2 pixels at each end are dropped.
          up = java.util.Arrays.copyOfRange(up, pool / 2, up.length - pool / 2);
        }
        if (stage.upsampling() == Upsampling.BILINEAR) {
          up = convs(up, new int[] {Upsampling.BILINEAR_KERNEL}, stage.padding());
        }
        if (stage.skip() != SkipMode.NONE) {
          int[][] skip = skips[depth - 1 - i];
          int crop = (skip.length - up.length) / 2;
          for (int x = 0; x < up.length; x++) {
            assertEquals(List.of(up[x][0], up[x][1]), List.of(skip[x + crop][0], skip[x + crop][1]),
                "expanding[" + i + "]: the skip's pixel " + (x + crop) + " and the up-convolution's " + x);
          }
        }
        map = convs(up, sizes(stage.convs(), stage.kernel(), stage.kernels()), stage.padding());
      }
      return convs(map, new int[] {net.head().kernel()}, Padding.VALID);
    }

    /** Each convolution's kernel: {@code kernels[c]} when a stage lists them, else {@code kernel}. */
    private static int[] sizes(int convs, int kernel, List<Integer> kernels) {
      int[] sizes = new int[convs];
      for (int c = 0; c < convs; c++) {
        sizes[c] = kernels.isEmpty() ? kernel : kernels.get(c);
      }
      return sizes;
    }

    private static int[][] convs(int[][] map, int[] kernels, Padding padding) {
      for (int c = 0; c < kernels.length && padding == Padding.VALID; c++) {
        int kernel = kernels[c];
        int[][] out = new int[map.length - (kernel - 1)][];
        for (int x = 0; x < out.length; x++) {
          out[x] = map[x + kernel / 2];
        }
        map = out;
      }
      return map;
    }
  }
}
