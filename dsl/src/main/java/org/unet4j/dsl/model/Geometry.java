package org.unet4j.dsl.model;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.IntUnaryOperator;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.unet4j.dsl.SpecException;

/**
 * The exact shape arithmetic of a {@link ModelSpec} along one axis of its input ({@link
 * ModelSpec#geometry()}: y and x, which share it; {@link ModelSpec#geometry(Axis)}: any axis, z of
 * a 3D net included, with the stages' {@code kernelZ} and {@code poolZ}).
 *
 * <p>With unpadded convolutions only some input sizes work (paper, Sec. 3: "it is important to
 * select the input tile size such that all 2x2 max-pooling operations are applied to a layer with
 * an even x- and y-size"). An input size is valid when every convolution leaves at least one
 * pixel, every pooled map divides by the pooling size and every skip can be centre-cropped
 * symmetrically to the up-convolved size. For the paper's net, input 16b+124 gives output 16b-60.
 * The predictor uses the same arithmetic to choose tiles and the mirrored margin. Axes are
 * independent: a 3D input is valid when its size along each axis is.
 */
public final class Geometry {
  /** The largest input size searched for valid sizes. */
  public static final int MAX_INPUT = 1 << 16;

  private final ModelSpec model;
  private final Axis axis;
  private final int[] pools;
  private final int period;

  Geometry(ModelSpec model, Axis axis) {
    this.model = model;
    this.axis = axis;
    this.pools = new int[model.depth()];
    int p = 1;
    for (int level = 0; level < model.depth(); level++) {
      pools[level] = model.poolingAlong(level, axis);
      p *= pools[level];
    }
    this.period = p;
  }

  /** The axis this arithmetic is along. */
  public Axis axis() {
    return axis;
  }

  /** The output size along one axis for a valid input size; throws naming the stage otherwise. */
  public int outputSize(int input) {
    Walk walk = walk(input, false);
    if (walk.problem != null) {
      throw invalid(input, walk.problem);
    }
    return walk.size;
  }

  /** Whether {@code input} passes every layer. */
  public boolean isValidInput(int input) {
    return walk(input, false).problem == null;
  }

  /**
   * Why {@code input} is not valid, with the stage that breaks and the nearest valid sizes, or
   * null when it is valid.
   */
  public @Nullable SpecException whyInvalid(int input) {
    Walk walk = walk(input, false);
    return walk.problem == null ? null : invalid(input, walk.problem);
  }

  /**
   * Checks a tile that someone chose: throws {@link #whyInvalid}'s exception, which names the
   * stage that breaks and the nearest valid tiles, so that every place taking a tile reports a bad
   * one the same way.
   */
  public void requireValid(int tile) {
    SpecException invalid = whyInvalid(tile);
    if (invalid != null) {
      throw invalid;
    }
  }

  /**
   * As {@link #requireValid(int)}, for a tile chosen for a named model (a recipe, an export):
   * the message reads {@code tile 512 does not fit paper/isbi2012: contracting[2].pool: ...}.
   */
  public void requireValid(int tile, String model) {
    SpecException invalid = whyInvalid(tile);
    if (invalid != null) {
      throw new SpecException("", "tile " + tile + " does not fit " + model + ": " + invalid.getMessage());
    }
  }

  /** {@code [input]} when valid; otherwise the nearest valid sizes below and above it. */
  public List<Integer> validInputsNear(int input) {
    if (isValidInput(input)) {
      return List.of(input);
    }
    List<Integer> near = new ArrayList<>(2);
    validInputBelow(input).ifPresent(near::add);
    validInputAbove(input).ifPresent(near::add);
    return List.copyOf(near);
  }

  /** The largest valid input size strictly below {@code input}. */
  public OptionalInt validInputBelow(int input) {
    for (int n = Math.min(input - 1, MAX_INPUT); n >= 1; n--) {
      if (isValidInput(n)) {
        return OptionalInt.of(n);
      }
    }
    return OptionalInt.empty();
  }

  /** The smallest valid input size strictly above {@code input}. */
  public OptionalInt validInputAbove(int input) {
    for (int n = Math.max(input + 1, 1); n <= MAX_INPUT; n++) {
      if (isValidInput(n)) {
        return OptionalInt.of(n);
      }
    }
    return OptionalInt.empty();
  }

  /** Every valid input size in {@code [from, to]}. */
  public List<Integer> validInputs(int from, int to) {
    List<Integer> sizes = new ArrayList<>();
    for (int n = Math.max(1, from); n <= Math.min(to, MAX_INPUT); n++) {
      if (isValidInput(n)) {
        sizes.add(n);
      }
    }
    return sizes;
  }

  /** The smallest input this net accepts. */
  public int smallestValidInput() {
    return validInputAbove(0).orElseThrow(() -> new SpecException("",
        "no input size up to " + MAX_INPUT + " passes every layer"));
  }

  /**
   * Valid sizes repeat with this period: the product of the pooling windows along this axis (16
   * for the paper) once above the smallest valid size.
   */
  public int period() {
    return period;
  }

  /** Output pixels per input pixel along an axis: 1 when every contracting stage has its pair. */
  public int outputStride() {
    int s = 1;
    for (int level = 0; level < model.depth() - model.expanding().size(); level++) {
      s *= pools[level];
    }
    return s;
  }

  /**
   * The context lost on each side (the halo): {@code (input - stride x output) / 2}, the same for
   * every valid input (92 for the paper). Overlap-tile inference mirrors this much at the border.
   */
  public int margin() {
    int in = smallestValidInput();
    return (in - outputStride() * outputSize(in)) / 2;
  }

  /**
   * Where output pixel 0's block starts in the input: output pixel {@code j} stands for the
   * {@code outputStride} input pixels {@code [outputOrigin + j * stride, outputOrigin + (j + 1) * stride)}
   * along this axis, the pixels its targets are made of in training and the pixels its probability
   * is spread over in prediction. It equals {@link #margin()}.
   *
   * <p>Derived by following the centre of pixel 0 along the path input, contracting stages,
   * bottleneck, expanding stages, head, in half input pixels: an unpadded k-wide convolution at a
   * level whose pixels are {@code r} input pixels apart moves it by {@code (k - 1) r / 2}, a padded
   * one not at all; a p-wide pooling moves it by {@code (p - 1) r / 2}, the paired up-convolution
   * back by as much. The poolings below the output's level add up to {@code (stride - 1) / 2}, the
   * distance from a block's first pixel to its centre, and kernels are odd, so every other move is
   * a whole number of input pixels: the block alignment is exact for every stage configuration the
   * specs accept, and no net needs refusing for it. The skips do not move the path: a centre crop
   * keeps every map centred on the input's centre, which is also why the origin is the margin.
   */
  public int outputOrigin() {
    long twice = 0; // twice the input coordinate of the centre of the current map's pixel 0
    long spacing = 1;
    int depth = model.depth();
    for (int level = 0; level < depth; level++) {
      StageSpec stage = model.contracting().get(level);
      twice += convShift(reach(stage), stage.padding()) * spacing;
      twice += (pools[level] - 1) * spacing;
      spacing *= pools[level];
    }
    StageSpec b = model.bottleneck();
    twice += convShift(reach(b), b.padding()) * spacing;
    for (int i = 0; i < model.expanding().size(); i++) {
      ExpandingStageSpec stage = model.expanding().get(i);
      int level = depth - 1 - i;
      spacing /= pools[level];
      twice -= (pools[level] - 1) * spacing;
      if (stage.upsampling() == Upsampling.BILINEAR) {
        // Pixel 0 of the full-size bilinear map sits where the up-convolution's does; unpadded,
        // floor(p/2) pixels and the 3x3 convolution's one are dropped on the left.
        twice += stage.padding() == Padding.VALID ? 2L * (pools[level] / 2 + 1) * spacing : 0;
      }
      twice += convShift(reach(stage), stage.padding()) * spacing;
    }
    twice += convShift(model.head().kernel() - 1, Padding.VALID) * spacing;
    long blockStart = twice - (outputStride() - 1);
    if (blockStart % 2 != 0) {
      throw new IllegalStateException("output pixel 0 is centred between input pixels, which odd kernels rule out");
    }
    return Math.toIntExact(blockStart / 2);
  }

  /**
   * Twice the move of a pixel's centre, in units of the level's pixels, by convolutions that
   * together {@code reach} that many pixels beyond their first ({@link #reach}).
   */
  private static long convShift(int reach, Padding padding) {
    return padding == Padding.VALID ? reach : 0;
  }

  /** The sum of (k - 1) over a stage's convolutions along this axis: the pixels they remove, unpadded. */
  private int reach(StageSpec stage) {
    return reach(stage.convs(), c -> stage.convKernelAlong(c, axis));
  }

  private int reach(ExpandingStageSpec stage) {
    return reach(stage.convs(), c -> stage.convKernelAlong(c, axis));
  }

  private static int reach(int convs, IntUnaryOperator kernel) {
    int reach = 0;
    for (int c = 1; c <= convs; c++) {
      reach += kernel.applyAsInt(c) - 1;
    }
    return reach;
  }

  /**
   * The widest input window one output pixel depends on along an axis, found by following every
   * path back from the output (skips included) as an interval of input pixels.
   */
  public int receptiveField() {
    int in = smallestValidInput() + 2 * period;
    Walk walk = walk(in, false);
    int widest = 0;
    for (int o = 0; o < Math.min(walk.size, 4 * period); o++) {
      int[] window = backFromHead(o, o, walk);
      widest = Math.max(widest, window[1] - window[0] + 1);
    }
    return widest;
  }

  /**
   * Every layer of a 2D net at a square input of {@code input}, batch 1; throws if the size is
   * invalid. A 3D net's layers are {@link VolumeGeometry#layers}.
   */
  public List<LayerShape> layers(int input) {
    requireImages("layers");
    List<AxisLayer> steps = axisLayers(input);
    List<LayerShape> layers = new ArrayList<>(steps.size());
    for (AxisLayer l : steps) {
      long points = (long) l.size() * l.size();
      layers.add(new LayerShape(l.path(), l.kind(), 0, l.size(), l.size(), l.channels(), l.parameters(),
          2 * l.macsPerPoint() * points));
    }
    return List.copyOf(layers);
  }

  /**
   * The kernel window of every convolution layer ({@link LayerKind#CONV}) by layer path, in the
   * order of {@link #layers}: {@code 3x3}, in a 3D net {@code 1x3x3} (z first). Each convolution of a
   * stage has its own ({@link StageSpec#kernels()}).
   */
  public Map<String, String> convKernels() {
    return walk(smallestValidInput(), true).windows.build();
  }

  /** Trainable parameters: they do not depend on the input size, nor on the axis. */
  public long parameterCount() {
    return axisLayers(smallestValidInput()).stream().mapToLong(AxisLayer::parameters).sum();
  }

  /**
   * Forward FLOPs (2 x multiply-adds of convolutions, up-convolutions, strided down-sampling
   * convolutions, residual projections and attention gates' 1x1 convolutions) of a 2D net at a square
   * input, batch 1; a 3D net's are {@link VolumeGeometry#forwardFlops}.
   */
  public long forwardFlops(int input) {
    return layers(input).stream().mapToLong(LayerShape::flops).sum();
  }

  /** The layers along this axis at {@code input}; throws naming the stage when the size is invalid. */
  List<AxisLayer> axisLayers(int input) {
    Walk walk = walk(input, true);
    if (walk.problem != null) {
      throw invalid(input, walk.problem);
    }
    return walk.layers.build();
  }

  private void requireImages(String method) {
    if (model.dimensions() != 2) {
      throw new IllegalStateException("a 3D net's " + method + " depend on its size along z, y and x: use "
          + "volumeGeometry()." + method + "(Size3)");
    }
  }

  private SpecException invalid(int input, Problem problem) {
    List<Integer> near = validInputsNear(input);
    String valid = near.isEmpty() ? "none up to " + MAX_INPUT
        : near.stream().map(String::valueOf).collect(Collectors.joining(", "));
    return new SpecException(problem.path(), problem.message() + ". Received: input " + input + along()
        + "; valid near it: " + valid);
  }

  /**
   * Why a size fails, kept as plain data: the searches for valid sizes try thousands of sizes, and
   * building an exception (with its stack trace) for each would dominate their cost.
   */
  private record Problem(String path, String message) {}

  /** One forward pass of the size arithmetic. */
  private Walk walk(int input, boolean collect) {
    Walk w = new Walk(input, model.inputChannels(), collect, model.depth());
    if (input < 1) {
      w.fail("", "input size must be positive, got " + input);
      return w;
    }
    for (int level = 0; level < model.depth() && w.problem == null; level++) {
      StageSpec stage = model.contracting().get(level);
      String path = "contracting/" + level;
      convs(w, path, "contracting[" + level + "]", stage.convs(), stage::convFilters, stage::convKernel,
          stage.kernelZ(), stage.padding(), stage.normalization(), stage.residual(), stage.dropout());
      if (w.problem != null) {
        break;
      }
      w.skipSize[level] = w.size;
      w.skipChannels[level] = w.channels;
      int pool = pools[level];
      if (w.size % pool != 0) {
        w.fail("contracting[" + level + "].pool", poolWindow(level) + " " + kindName() + " pooling needs a size "
            + "divisible by " + pool + along() + ", got " + square(w.size));
        break;
      }
      w.size /= pool;
      if (model.pooling().kind() == PoolingKind.STRIDED_CONV) {
        // A p x p convolution with stride p that keeps the channels: one window per output point.
        long macs = poolVolume(level) * w.channels * w.channels;
        w.add(path + "/pool", LayerKind.DOWN_CONV, macs + w.channels, macs);
      } else {
        w.add(path + "/pool", LayerKind.POOL, 0, 0);
      }
    }
    if (w.problem == null) {
      StageSpec b = model.bottleneck();
      convs(w, "bottleneck", "bottleneck", b.convs(), b::convFilters, b::convKernel, b.kernelZ(),
          b.padding(), b.normalization(), b.residual(), b.dropout());
    }
    for (int i = 0; i < model.expanding().size() && w.problem == null; i++) {
      ExpandingStageSpec stage = model.expanding().get(i);
      int level = model.depth() - 1 - i;
      String path = "expanding/" + i;
      String json = "expanding[" + i + "]";
      int up = stage.upFilters();
      int gate = SkipMode.gateChannels(w.skipChannels[level]);
      if (stage.skip() == SkipMode.ATTENTION) {
        // Oktay et al.'s W_g: a 1x1 convolution of the gating signal, on its own (coarse) grid.
        long gateMacs = (long) w.channels * gate;
        w.add(path + "/gate", LayerKind.GATE, gate, gateMacs + gate, gateMacs);
      }
      if (stage.upsampling() == Upsampling.BILINEAR) {
        bilinear(w, path, json, stage, level);
        if (w.problem != null) {
          break;
        }
      } else {
        w.size *= pools[level];
        // An up-convolution with window = stride: each output point sees one input point.
        long macs = (long) w.channels * up;
        w.channels = up;
        w.add(path + "/upconv", LayerKind.UP_CONV, poolVolume(level) * macs + up, macs);
      }
      if (stage.skip() != SkipMode.NONE) {
        int crop = w.skipSize[level] - w.size;
        if (crop < 0 || crop % 2 != 0) {
          w.fail(json, "the skip from contracting[" + level + "] is " + square(w.skipSize[level])
              + " and cannot be centre-cropped to the up-convolved " + square(w.size));
          break;
        }
        w.crop[i] = crop / 2;
        if (stage.skip() == SkipMode.ATTENTION) {
          // W_x (1x1, no bias) of the cropped skip, then psi (1x1 to one channel, with a bias).
          long gated = (long) w.skipChannels[level] * gate + gate;
          w.add(path + "/attention", LayerKind.ATTENTION, w.skipChannels[level], gated + 1, gated);
        }
        w.channels += w.skipChannels[level];
        w.add(path + "/concat", LayerKind.CROP_CONCAT, 0, 0);
      }
      convs(w, path, json, stage.convs(), c -> stage.filters(), stage::convKernel,
          stage.kernelZ(), stage.padding(), stage.normalization(), stage.residual(), stage.dropout());
    }
    if (w.problem == null) {
      int k = model.head().kernel();
      int out = w.size - (k - 1);
      if (out < 1) {
        w.fail("head", "a " + window(k, k) + " convolution leaves no pixels of " + square(w.size));
      } else {
        long macs = kernelVolume(k, k) * w.channels * model.classes();
        w.size = out;
        w.channels = model.classes();
        w.add("head", LayerKind.HEAD, macs + model.classes(), macs);
      }
    }
    return w;
  }

  /**
   * Bilinear upsampling by the pooling factor p and the learnt 3x3 convolution in the
   * up-convolution's place ({@link Upsampling#BILINEAR}). Unpadded, only the fine pixels whose
   * sampling point lies between two coarse pixel centres are kept: p n - 2 floor(p/2) of them.
   */
  private void bilinear(Walk w, String path, String json, ExpandingStageSpec stage, int level) {
    int p = pools[level];
    int coarse = w.size;
    w.size = coarse * p;
    if (stage.padding() == Padding.VALID) {
      w.size -= 2 * (p / 2);
      if (w.size < 1) {
        w.fail(json + ".upsampling", "unpadded bilinear upsampling interpolates between pixel centres and needs"
            + " at least 2 pixels" + along() + ", got " + square(coarse));
        return;
      }
    }
    w.add(path + "/upsample", LayerKind.UPSAMPLE, 0, 0);
    int k = Upsampling.BILINEAR_KERNEL;
    int in = w.size;
    if (stage.padding() == Padding.VALID) {
      w.size -= k - 1;
    }
    if (w.size < 1) {
      w.fail(json + ".upsampling", "the " + window(k, k) + " convolution after bilinear upsampling (unpadded)"
          + " leaves no pixels of " + square(in));
      return;
    }
    int up = stage.upFilters();
    long macs = kernelVolume(k, 0) * w.channels * up;
    w.channels = up;
    w.add(path + "/upconv", LayerKind.CONV, macs + up, macs);
    w.window(path + "/upconv", window(k, k));
  }

  /**
   * The convolutions of a stage whose kernels are {@code kernels(c)} in-plane for convolution
   * {@code c} and {@code kernelZ} along z (0: as in-plane).
   */
  private void convs(Walk w, String path, String json, int convs, IntUnaryOperator filters,
      IntUnaryOperator kernels, int kernelZ, Padding padding, Normalization normalization, boolean residual,
      double dropout) {
    boolean norm = normalization != Normalization.NONE;
    int inputChannels = w.channels;
    for (int c = 1; c <= convs; c++) {
      int inPlane = kernels.applyAsInt(c);
      int depthwise = kernelZ != 0 ? kernelZ : inPlane;
      int kernel = axis == Axis.Z ? depthwise : inPlane;
      long kernelVolume = kernelVolume(inPlane, kernelZ);
      int in = w.size;
      if (padding == Padding.VALID) {
        w.size -= kernel - 1;
      }
      if (w.size < 1) {
        w.fail(json, "conv" + c + " (" + window(inPlane, depthwise) + ", unpadded) leaves no pixels of " + square(in));
        return;
      }
      int out = filters.applyAsInt(c);
      long macs = kernelVolume * w.channels * out;
      w.channels = out;
      // A convolution followed by a normalization has no bias; the norm adds a scale and an offset.
      w.add(path + "/conv" + c, LayerKind.CONV, macs + (norm ? 2L * out : out), macs);
      w.window(path + "/conv" + c, window(inPlane, depthwise));
    }
    if (residual) {
      // The shortcut is cropped, never fails: every unpadded kernel removes an even number of pixels.
      long macs = inputChannels == w.channels ? 0 : (long) inputChannels * w.channels;
      w.add(path + "/shortcut", LayerKind.SHORTCUT, macs == 0 ? 0 : macs + w.channels, macs);
    }
    if (dropout > 0) {
      w.add(path + "/dropout", LayerKind.DROPOUT, 0, 0);
    }
  }

  /** Weights per input-output channel pair of a convolution: k² in 2D, kz k² in 3D. */
  private long kernelVolume(int kernel, int kernelZ) {
    long plane = (long) kernel * kernel;
    return model.dimensions() == 3 ? plane * (kernelZ != 0 ? kernelZ : kernel) : plane;
  }

  /** Weights per channel pair of the up-convolution paired with contracting stage {@code level}. */
  private long poolVolume(int level) {
    int p = model.pooling().size();
    return model.dimensions() == 3 ? (long) model.poolingAlong(level, Axis.Z) * p * p : (long) p * p;
  }

  /** A kernel as people read it: {@code 3x3} in 2D, {@code 1x3x3} (z first) in 3D. */
  private String window(int kernel, int kernelZ) {
    return model.dimensions() == 3 ? kernelZ + "x" + kernel + "x" + kernel : kernel + "x" + kernel;
  }

  private String kindName() {
    return model.pooling().kind().name().toLowerCase(Locale.ROOT);
  }

  private String poolWindow(int level) {
    int p = model.pooling().size();
    return window(p, model.poolingAlong(level, Axis.Z));
  }

  /** A map's size in messages: {@code 57x57} in 2D (square tiles), {@code 57} (along the axis) in 3D. */
  private String square(int size) {
    return model.dimensions() == 3 ? Integer.toString(size) : size + "x" + size;
  }

  /** {@code " along z"} in a 3D net, where messages must say which axis; nothing in 2D. */
  private String along() {
    return model.dimensions() == 3 ? " along " + axis.label() : "";
  }

  /** The input interval [lo, hi] that output pixels [lo, hi] of the head depend on. */
  private int[] backFromHead(int lo, int hi, Walk w) {
    int[] window = backConvs(new int[] {lo, hi}, model.head().kernel() - 1, Padding.VALID);
    int m = model.expanding().size();
    return m == 0 ? backFromBottleneck(window) : backFromExpanding(m - 1, window, w);
  }

  private int[] backFromExpanding(int i, int[] window, Walk w) {
    ExpandingStageSpec stage = model.expanding().get(i);
    int[] concat = backConvs(window, reach(stage), stage.padding());
    int level = model.depth() - 1 - i;
    int pool = pools[level];
    int[] below = stage.upsampling() == Upsampling.BILINEAR ? backBilinear(concat, stage.padding(), pool)
        : new int[] {Math.floorDiv(concat[0], pool), Math.floorDiv(concat[1], pool)};
    int[] up = i == 0 ? backFromBottleneck(below) : backFromExpanding(i - 1, below, w);
    if (stage.skip() == SkipMode.NONE) {
      return up;
    }
    int[] skip = backFromContracting(level, new int[] {concat[0] + w.crop[i], concat[1] + w.crop[i]});
    return new int[] {Math.min(up[0], skip[0]), Math.max(up[1], skip[1])};
  }

  private int[] backFromBottleneck(int[] window) {
    StageSpec b = model.bottleneck();
    int[] pooled = backConvs(window, reach(b), b.padding());
    return backFromContracting(model.depth() - 1, unpool(pooled, model.depth() - 1));
  }

  /**
   * Back through the 3x3 convolution and the bilinear upsampling by {@code pool}: fine pixel t of
   * the full-size map samples the coarse map at (2t + 1 - p) / 2p and depends on the coarse pixel
   * below that point and, unless it falls on a centre, the one above (no clamping: the receptive
   * field is that of pixels away from the borders).
   */
  private static int[] backBilinear(int[] window, Padding padding, int pool) {
    int[] fine = backConvs(window, Upsampling.BILINEAR_KERNEL - 1, padding);
    int shift = padding == Padding.VALID ? pool / 2 : 0;
    long lo = 2L * (fine[0] + shift) + 1 - pool;
    long hi = 2L * (fine[1] + shift) + 1 - pool;
    return new int[] {(int) Math.floorDiv(lo, 2L * pool),
        (int) (Math.floorDiv(hi, 2L * pool) + (Math.floorMod(hi, 2L * pool) == 0 ? 0 : 1))};
  }

  /** From the output of contracting stage {@code level} back to the network input. */
  private int[] backFromContracting(int level, int[] window) {
    StageSpec stage = model.contracting().get(level);
    int[] in = backConvs(window, reach(stage), stage.padding());
    return level == 0 ? in : backFromContracting(level - 1, unpool(in, level - 1));
  }

  /** Back through the pooling after contracting stage {@code level}. */
  private int[] unpool(int[] window, int level) {
    int pool = pools[level];
    return new int[] {window[0] * pool, window[1] * pool + pool - 1};
  }

  /**
   * Back through convolutions that together {@link #reach} {@code reach} pixels: unpadded, each
   * output pixel's window starts at its own index; padded, each odd kernel reaches half its
   * {@code k - 1} on either side.
   */
  private static int[] backConvs(int[] window, int reach, Padding padding) {
    if (padding == Padding.VALID) {
      return new int[] {window[0], window[1] + reach};
    }
    return new int[] {window[0] - reach / 2, window[1] + reach / 2};
  }

  /** The running state of one forward pass. */
  private static final class Walk {
    int size;
    int channels;
    final int[] skipSize;
    final int[] skipChannels;
    final int[] crop;
    final boolean collect;
    final ImmutableList.Builder<AxisLayer> layers = ImmutableList.builder();
    final ImmutableMap.Builder<String, String> windows = ImmutableMap.builder();
    @Nullable Problem problem;

    Walk(int input, int channels, boolean collect, int depth) {
      this.size = input;
      this.channels = channels;
      this.collect = collect;
      this.skipSize = new int[depth];
      this.skipChannels = new int[depth];
      this.crop = new int[depth];
    }

    void fail(String path, String message) {
      problem = new Problem(path, message);
    }

    void add(String path, LayerKind kind, long params, long macsPerPoint) {
      add(path, kind, channels, params, macsPerPoint);
    }

    /** The kernel window of the convolution layer at {@code path}. */
    void window(String path, String window) {
      if (collect) {
        windows.put(path, window);
      }
    }

    /** A layer whose output has other channels than the running map (an attention gate's). */
    void add(String path, LayerKind kind, int layerChannels, long params, long macsPerPoint) {
      if (collect) {
        layers.add(new AxisLayer(path, kind, size, layerChannels, params, macsPerPoint));
      }
    }
  }
}
