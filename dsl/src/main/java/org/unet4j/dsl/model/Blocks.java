package org.unet4j.dsl.model;

import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntUnaryOperator;

/**
 * Expands a {@link ModelSpec}'s stages into its {@link Block}s, in the order the data flows: each
 * contracting stage's convolutions (shortcut, dropout) and down-sampling, the bottleneck, each
 * expanding stage's gate, up-sampling, attention and concatenation and convolutions, the head. The
 * paths are the compiler's layer names; the JSON paths name the stage in messages.
 */
final class Blocks {
  private final ModelSpec model;
  private final ImmutableList.Builder<Block> blocks = ImmutableList.builder();
  private int channels;

  private Blocks(ModelSpec model) {
    this.model = model;
    this.channels = model.inputChannels();
  }

  static List<Block> of(ModelSpec model) {
    return new Blocks(model).expand();
  }

  private List<Block> expand() {
    int depth = model.depth();
    int[] skipChannels = new int[depth];
    for (int level = 0; level < depth; level++) {
      StageSpec stage = model.contracting().get(level);
      String path = "contracting/" + level;
      convs(path, "contracting[" + level + "]", stage.convs(), stage::convFilters, stage::convKernel, stage.kernelZ(),
          stage.padding(), stage.normalization(), stage.groups(),
          new Block.Nonlinearity(stage.activation(), stage.leakySlope()), stage.residual(), stage.dropout());
      skipChannels[level] = channels;
      int p = model.pooling().size();
      int pz = model.dimensions() == 3 ? model.poolingAlong(level, Axis.Z) : 0;
      String kind = model.pooling().kind().name().toLowerCase(Locale.ROOT);
      blocks.add(new Block.Pool(path + "/pool", level, channels, p, pz,
          model.pooling().kind() == PoolingKind.STRIDED_CONV, window(p, pz) + " " + kind + " pooling"));
    }
    StageSpec b = model.bottleneck();
    convs("bottleneck", "bottleneck", b.convs(), b::convFilters, b::convKernel, b.kernelZ(), b.padding(),
        b.normalization(), b.groups(), new Block.Nonlinearity(b.activation(), b.leakySlope()), b.residual(),
        b.dropout());
    for (int i = 0; i < model.expanding().size(); i++) {
      ExpandingStageSpec stage = model.expanding().get(i);
      int level = depth - 1 - i;
      String path = "expanding/" + i;
      String json = "expanding[" + i + "]";
      Block.Nonlinearity nonlinearity = new Block.Nonlinearity(stage.activation(), stage.leakySlope());
      int gate = SkipMode.gateChannels(skipChannels[level]);
      if (stage.skip() == SkipMode.ATTENTION) {
        blocks.add(new Block.Gate(path + "/gate", channels, gate));
      }
      int p = model.pooling().size();
      int pz = model.dimensions() == 3 ? model.poolingAlong(level, Axis.Z) : 0;
      if (stage.upsampling() == Upsampling.BILINEAR) {
        blocks.add(new Block.Upsample(path + "/upsample", json, level, channels, p, stage.padding()));
        int k = Upsampling.BILINEAR_KERNEL;
        blocks.add(new Block.Conv(path + "/upconv", json + ".upsampling", "the " + window(k, k)
            + " convolution after bilinear upsampling (unpadded)", channels, stage.upFilters(), k, k,
            stage.padding(), Normalization.NONE, kernelVolume(k, k), 0, nonlinearity, true, false));
      } else {
        blocks.add(new Block.UpConv(path + "/upconv", level, channels, stage.upFilters(), p, pz,
            model.dimensions() == 3 ? (long) pz * p * p : (long) p * p, nonlinearity));
      }
      channels = stage.upFilters();
      if (stage.skip() != SkipMode.NONE) {
        if (stage.skip() == SkipMode.ATTENTION) {
          blocks.add(new Block.Attention(path + "/attention", json, i, level, skipChannels[level], gate));
        }
        channels += skipChannels[level];
        blocks.add(new Block.Concat(path + "/concat", json, i, level, channels));
      }
      convs(path, json, stage.convs(), c -> stage.filters(), stage::convKernel, stage.kernelZ(), stage.padding(),
          stage.normalization(), stage.groups(), nonlinearity, stage.residual(), stage.dropout());
    }
    int k = model.head().kernel();
    blocks.add(new Block.Head("head", channels, model.classes(), k, window(k, k), kernelVolume(k, k)));
    return blocks.build();
  }

  /**
   * A stage's convolutions, convolution {@code c} with {@code kernels(c)} in-plane and
   * {@code kernelZ} along z (0: as in-plane), then its shortcut and dropout; in a residual stage the
   * last convolution's non-linearity comes after the shortcut is added (He et al. 2016:
   * y = relu(F(x) + W_s x)).
   */
  private void convs(String path, String json, int convs, IntUnaryOperator filters, IntUnaryOperator kernels,
      int kernelZ, Padding padding, Normalization normalization, int groups, Block.Nonlinearity nonlinearity,
      boolean residual, double dropout) {
    int input = channels;
    for (int c = 1; c <= convs; c++) {
      int k = kernels.applyAsInt(c);
      int kz = kernelZ != 0 ? kernelZ : k;
      int out = filters.applyAsInt(c);
      blocks.add(new Block.Conv(path + "/conv" + c, json, "conv" + c + " (" + window(k, kz) + ", unpadded)", channels,
          out, k, kz, padding, normalization, kernelVolume(k, kz), groups, nonlinearity, !(residual && c == convs),
          c == 1));
      channels = out;
    }
    if (residual) {
      blocks.add(new Block.Shortcut(path + "/shortcut", input, channels, nonlinearity));
    }
    if (dropout > 0) {
      blocks.add(new Block.Dropout(path + "/dropout", channels, dropout));
    }
  }

  /** Weights per input-output channel pair: k² in 2D, kz k² in 3D. */
  private long kernelVolume(int kernel, int kernelZ) {
    long plane = (long) kernel * kernel;
    return model.dimensions() == 3 ? plane * kernelZ : plane;
  }

  /** A kernel as people read it: {@code 3x3} in 2D, {@code 1x3x3} (z first) in 3D. */
  private String window(int kernel, int kernelZ) {
    return model.dimensions() == 3 ? kernelZ + "x" + kernel + "x" + kernel : kernel + "x" + kernel;
  }
}
