package org.unet4j.dsl.model;

import org.jspecify.annotations.Nullable;

/**
 * One block of a model, in the order the data flows through it ({@link ModelSpec#blocks()}): a
 * convolution, a pooling or strided down-sampling convolution, an up-convolution, a bilinear
 * upsampling, a centre-cropped skip concatenation, an attention gate's two halves, a residual
 * shortcut, dropout or the head. Each kind says in one place what it does to the size along an
 * axis (or why it cannot), how it moves the centre of output pixel 0, which input window an output
 * window depends on, and its parameters and multiply-adds; {@link Geometry} is a loop over blocks.
 * Channels do not depend on the input size, so each block knows its own.
 *
 * <p>Adding a block kind: a record here with its arithmetic, a case in {@link Blocks} where the
 * stages expand into blocks, a method in {@link Visitor} that the compiler implements, and the
 * kind in the brute-force reference of the geometry tests.
 */
public sealed interface Block {
  /** The graph path of the block's layer: {@code contracting/2/conv1}. */
  String path();

  /** The kind of layer it is in {@link Geometry#layers}. */
  LayerKind kind();

  /** Output channels of the block's layer (the gate's and the attention's are their own). */
  int channels();

  /** Trainable parameters: none unless the block has weights. */
  default long parameters() {
    return 0;
  }

  /** Multiply-adds per output point: none unless the block computes products. */
  default long macsPerPoint() {
    return 0;
  }

  /**
   * Changes {@code state}'s size along {@code axis} to the block's output size and returns null,
   * or returns why the block cannot take that size; the state also holds what blocks leave for
   * later ones (the skips). Most blocks keep the size.
   */
  default @Nullable Problem resize(Geometry.AxisState state, Axis axis) {
    return null;
  }

  /**
   * Twice the move of pixel 0's centre along {@code axis}, in units of the finer of the block's
   * input and output pixels (Geometry#outputOrigin).
   */
  default long shift(Axis axis) {
    return 0;
  }

  /**
   * The window {@code [lo, hi]} of the block's input pixels that its output pixels {@code window}
   * depend on along {@code axis} (on the main path; a skip's window waits in {@code state} for the
   * pooling whose input it is).
   */
  default int[] back(int[] window, Geometry.AxisState state, Axis axis) {
    return window;
  }

  /** Input pixels per output pixel along {@code axis}: the pooling window, else 1. */
  default int downsampling(Axis axis) {
    return 1;
  }

  /** Output pixels per input pixel along {@code axis}: the up-sampling factor, else 1. */
  default int upsampling(Axis axis) {
    return 1;
  }

  <R> R accept(Visitor<R> visitor);

  private static int[] backConv(int[] window, int kernel, Padding padding) {
    int reach = kernel - 1;
    return padding == Padding.VALID ? new int[] {window[0], window[1] + reach}
        : new int[] {window[0] - reach / 2, window[1] + reach / 2};
  }

  /** Why a size fails at a block: its spec path and message. */
  record Problem(String path, String message) {}

  /** One method per block kind; the compiler's lowering implements it, so a new kind cannot be forgotten. */
  interface Visitor<R> {
    R conv(Conv block);

    R pool(Pool block);

    R upConv(UpConv block);

    R upsample(Upsample block);

    R gate(Gate block);

    R attention(Attention block);

    R concat(Concat block);

    R shortcut(Shortcut block);

    R dropout(Dropout block);

    R head(Head block);
  }

  /** The non-linearity a block ends with: its stage's {@code activation}, with leaky ReLU's slope. */
  record Nonlinearity(Activation activation, double leakySlope) {}

  /**
   * A {@code kernelZ x kernel x kernel} convolution ({@code kernel x kernel} in 2D), centred,
   * unpadded or zero-padded; {@code name} is how messages call it ({@code conv2 (3x3, unpadded)}).
   * Its output is normalized as {@code normalization} says (in {@code groups} for group norm), then
   * goes through {@code nonlinearity} unless it is not {@code activated}: the last convolution of a
   * residual stage is activated after its {@link Shortcut}, whose input is that of the convolution
   * that {@code opensStage}.
   */
  record Conv(String path, String json, String name, int inputChannels, int channels, int kernel, int kernelZ,
      Padding padding, Normalization normalization, long kernelVolume, int groups, Nonlinearity nonlinearity,
      boolean activated, boolean opensStage) implements Block {
    public int along(Axis axis) {
      return axis == Axis.Z ? kernelZ : kernel;
    }

    /** Whether a normalization follows the convolution (which then has no bias). */
    public boolean normalized() {
      return normalization != Normalization.NONE;
    }

    @Override
    public LayerKind kind() {
      return LayerKind.CONV;
    }

    @Override
    public long macsPerPoint() {
      return kernelVolume * inputChannels * channels;
    }

    /** A convolution followed by a normalization has no bias; the norm adds a scale and an offset. */
    @Override
    public long parameters() {
      return macsPerPoint() + (normalized() ? 2L * channels : channels);
    }

    @Override
    public @Nullable Problem resize(Geometry.AxisState s, Axis axis) {
      int before = s.size;
      if (padding == Padding.VALID) {
        s.size -= along(axis) - 1;
      }
      return s.size < 1 ? new Problem(json, name + " leaves no pixels of " + s.square(before)) : null;
    }

    @Override
    public long shift(Axis axis) {
      return padding == Padding.VALID ? along(axis) - 1 : 0;
    }

    /** Unpadded, output pixel j sees input pixels [j, j + k - 1]; padded, [j - k/2, j + k/2]. */
    @Override
    public int[] back(int[] window, Geometry.AxisState state, Axis axis) {
      return backConv(window, along(axis), padding);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.conv(this);
    }
  }

  /**
   * The down-sampling after contracting stage {@code level}: pooling with window = stride, or a
   * strided convolution that keeps the channels ({@code convolved}); its input is the level's skip.
   */
  record Pool(String path, int level, int channels, int size, int sizeZ, boolean convolved, String description)
      implements Block {
    public int along(Axis axis) {
      return axis == Axis.Z ? sizeZ : size;
    }

    @Override
    public LayerKind kind() {
      return convolved ? LayerKind.DOWN_CONV : LayerKind.POOL;
    }

    @Override
    public long macsPerPoint() {
      return convolved ? (long) size * size * (sizeZ == 0 ? 1 : sizeZ) * channels * channels : 0;
    }

    @Override
    public long parameters() {
      return convolved ? macsPerPoint() + channels : 0;
    }

    @Override
    public @Nullable Problem resize(Geometry.AxisState s, Axis axis) {
      s.skipSize[level] = s.size;
      int p = along(axis);
      if (s.size % p != 0) {
        return new Problem("contracting[" + level + "].pool", description + " needs a size divisible by " + p
            + s.along() + ", got " + s.square(s.size));
      }
      s.size /= p;
      return null;
    }

    @Override
    public long shift(Axis axis) {
      return along(axis) - 1;
    }

    @Override
    public int downsampling(Axis axis) {
      return along(axis);
    }

    /** Each pooled pixel covers p pixels; the skip taken before the pooling joins the window here. */
    @Override
    public int[] back(int[] window, Geometry.AxisState state, Axis axis) {
      int p = along(axis);
      int[] in = {window[0] * p, window[1] * p + p - 1};
      int[] skip = state.skipWindow[level];
      return skip == null ? in : new int[] {Math.min(in[0], skip[0]), Math.max(in[1], skip[1])};
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.pool(this);
    }
  }

  /** The up-convolution with window = stride = the paired pooling's, to {@code channels}, then the non-linearity. */
  record UpConv(String path, int level, int inputChannels, int channels, int size, int sizeZ, long windowVolume,
      Nonlinearity nonlinearity) implements Block {
    public int along(Axis axis) {
      return axis == Axis.Z ? sizeZ : size;
    }

    @Override
    public LayerKind kind() {
      return LayerKind.UP_CONV;
    }

    /** Each output point sees one input point. */
    @Override
    public long macsPerPoint() {
      return (long) inputChannels * channels;
    }

    @Override
    public long parameters() {
      return windowVolume * inputChannels * channels + channels;
    }

    @Override
    public @Nullable Problem resize(Geometry.AxisState s, Axis axis) {
      s.size *= along(axis);
      return null;
    }

    /** Pixel 0 of the finer map is the first p-th of the coarse pixel 0: back by (p - 1) fine pixels. */
    @Override
    public long shift(Axis axis) {
      return -(along(axis) - 1);
    }

    @Override
    public int upsampling(Axis axis) {
      return along(axis);
    }

    @Override
    public int[] back(int[] window, Geometry.AxisState state, Axis axis) {
      int p = along(axis);
      return new int[] {Math.floorDiv(window[0], p), Math.floorDiv(window[1], p)};
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.upConv(this);
    }
  }

  /**
   * Bilinear upsampling by the paired pooling's {@code size} (half-pixel centres); unpadded, only
   * the fine pixels between two coarse centres are kept: p n - 2 floor(p/2).
   */
  record Upsample(String path, String json, int level, int channels, int size, Padding padding) implements Block {
    @Override
    public LayerKind kind() {
      return LayerKind.UPSAMPLE;
    }

    @Override
    public @Nullable Problem resize(Geometry.AxisState s, Axis axis) {
      int coarse = s.size;
      s.size = coarse * size - (padding == Padding.VALID ? 2 * (size / 2) : 0);
      return s.size < 1 ? new Problem(json + ".upsampling", "unpadded bilinear upsampling interpolates between"
          + " pixel centres and needs at least 2 pixels" + s.along() + ", got " + s.square(coarse)) : null;
    }

    /** As the up-convolution's pixel 0, then unpadded floor(p/2) fine pixels dropped on the left. */
    @Override
    public long shift(Axis axis) {
      return -(size - 1) + (padding == Padding.VALID ? 2L * (size / 2) : 0);
    }

    @Override
    public int upsampling(Axis axis) {
      return size;
    }

    /**
     * Fine pixel t of the full-size map samples the coarse map at (2t + 1 - p) / 2p and depends on
     * the coarse pixel below that point and, unless it falls on a centre, the one above (no
     * clamping: the receptive field is that of pixels away from the borders).
     */
    @Override
    public int[] back(int[] window, Geometry.AxisState state, Axis axis) {
      int p = size;
      int shift = padding == Padding.VALID ? p / 2 : 0;
      long lo = 2L * (window[0] + shift) + 1 - p;
      long hi = 2L * (window[1] + shift) + 1 - p;
      return new int[] {(int) Math.floorDiv(lo, 2L * p),
          (int) (Math.floorDiv(hi, 2L * p) + (Math.floorMod(hi, 2L * p) == 0 ? 0 : 1))};
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.upsample(this);
    }
  }

  /** Oktay et al.'s W_g: a 1x1 convolution of the gating signal to {@code channels}, on its own grid. */
  record Gate(String path, int inputChannels, int channels) implements Block {
    @Override
    public LayerKind kind() {
      return LayerKind.GATE;
    }

    @Override
    public long macsPerPoint() {
      return (long) inputChannels * channels;
    }

    @Override
    public long parameters() {
      return macsPerPoint() + channels;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.gate(this);
    }
  }

  /**
   * The attention gate on the cropped skip of {@code level} ({@code channels}): W_x (1x1, no bias)
   * to the gate's {@code inner} channels, then psi (1x1 to one channel, with a bias).
   */
  record Attention(String path, String json, int stage, int level, int channels, int inner) implements Block {
    @Override
    public LayerKind kind() {
      return LayerKind.ATTENTION;
    }

    @Override
    public long macsPerPoint() {
      return (long) channels * inner + inner;
    }

    @Override
    public long parameters() {
      return macsPerPoint() + 1;
    }

    @Override
    public @Nullable Problem resize(Geometry.AxisState s, Axis axis) {
      return Concat.crop(s, json, stage, level);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.attention(this);
    }
  }

  /** The skip of {@code level}, centre-cropped to the up-sampled map and put before it. */
  record Concat(String path, String json, int stage, int level, int channels) implements Block {
    @Override
    public LayerKind kind() {
      return LayerKind.CROP_CONCAT;
    }

    @Override
    public @Nullable Problem resize(Geometry.AxisState s, Axis axis) {
      return crop(s, json, stage, level);
    }

    /** The main path goes on through the up-sampling; the cropped skip waits for its pooling. */
    @Override
    public int[] back(int[] window, Geometry.AxisState state, Axis axis) {
      int crop = state.crop[stage];
      state.skipWindow[level] = new int[] {window[0] + crop, window[1] + crop};
      return window;
    }

    /** The crop of expanding stage {@code stage}'s skip, which must remove as many pixels left as right. */
    static @Nullable Problem crop(Geometry.AxisState s, String json, int stage, int level) {
      int crop = s.skipSize[level] - s.size;
      if (crop < 0 || crop % 2 != 0) {
        return new Problem(json, "the skip from contracting[" + level + "] is " + s.square(s.skipSize[level])
            + " and cannot be centre-cropped to the up-convolved " + s.square(s.size));
      }
      s.crop[stage] = crop / 2;
      return null;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.concat(this);
    }
  }

  /**
   * A residual stage's shortcut: its input (cropped, which never fails: every unpadded kernel removes
   * an even number of pixels) through a 1x1 projection when the channels change, added to the last
   * convolution's output, then the non-linearity.
   */
  record Shortcut(String path, int inputChannels, int channels, Nonlinearity nonlinearity) implements Block {
    @Override
    public LayerKind kind() {
      return LayerKind.SHORTCUT;
    }

    @Override
    public long macsPerPoint() {
      return inputChannels == channels ? 0 : (long) inputChannels * channels;
    }

    @Override
    public long parameters() {
      return inputChannels == channels ? 0 : macsPerPoint() + channels;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.shortcut(this);
    }
  }

  /** Dropout at {@code rate}, active only in training. */
  record Dropout(String path, int channels, double rate) implements Block {
    @Override
    public LayerKind kind() {
      return LayerKind.DROPOUT;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.dropout(this);
    }
  }

  /** The head: an unpadded {@code kernel x kernel} convolution to the classes. */
  record Head(String path, int inputChannels, int channels, int kernel, String window, long kernelVolume) implements Block {
    @Override
    public LayerKind kind() {
      return LayerKind.HEAD;
    }

    @Override
    public long macsPerPoint() {
      return kernelVolume * inputChannels * channels;
    }

    @Override
    public long parameters() {
      return macsPerPoint() + channels;
    }

    @Override
    public @Nullable Problem resize(Geometry.AxisState s, Axis axis) {
      int out = s.size - (kernel - 1);
      if (out < 1) {
        return new Problem("head", "a " + window + " convolution leaves no pixels of " + s.square(s.size));
      }
      s.size = out;
      return null;
    }

    @Override
    public long shift(Axis axis) {
      return kernel - 1;
    }

    @Override
    public int[] back(int[] window, Geometry.AxisState state, Axis axis) {
      return backConv(window, kernel, Padding.VALID);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.head(this);
    }
  }
}
