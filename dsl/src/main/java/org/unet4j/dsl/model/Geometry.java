package org.unet4j.dsl.model;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.unet4j.dsl.SpecException;

/**
 * The exact shape arithmetic of a {@link ModelSpec}, per image axis.
 *
 * <p>With unpadded convolutions only some input sizes work (paper, Sec. 3: "it is important to
 * select the input tile size such that all 2x2 max-pooling operations are applied to a layer with
 * an even x- and y-size"). An input size is valid when every convolution leaves at least one
 * pixel, every pooled map divides by the pooling size and every skip can be centre-cropped
 * symmetrically to the up-convolved size. For the paper's net, input 16b+124 gives output 16b-60.
 * The predictor uses the same arithmetic to choose tiles and the mirrored margin.
 */
public final class Geometry {
  /** The largest input size searched for valid sizes. */
  public static final int MAX_INPUT = 1 << 16;

  private final ModelSpec model;
  private final int pool;
  private final int period;

  public Geometry(ModelSpec model) {
    this.model = model;
    this.pool = model.pooling().size();
    int p = 1;
    for (int i = 0; i < model.depth(); i++) {
      p *= pool;
    }
    this.period = p;
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
   * Valid sizes repeat with this period: pooling size ^ depth (16 for the paper) once above the
   * smallest valid size.
   */
  public int period() {
    return period;
  }

  /** Output pixels per input pixel along an axis: 1 when every contracting stage has its pair. */
  public int outputStride() {
    int s = 1;
    for (int i = model.expanding().size(); i < model.depth(); i++) {
      s *= pool;
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

  /** Every layer at a square input of {@code input}, batch 1; throws if the size is invalid. */
  public List<LayerShape> layers(int input) {
    Walk walk = walk(input, true);
    if (walk.problem != null) {
      throw invalid(input, walk.problem);
    }
    return walk.layers.build();
  }

  /** Trainable parameters: they do not depend on the input size. */
  public long parameterCount() {
    return layers(smallestValidInput()).stream().mapToLong(LayerShape::parameters).sum();
  }

  /** Forward FLOPs (2 x multiply-adds of convolutions and up-convolutions) at a square input, batch 1. */
  public long forwardFlops(int input) {
    return layers(input).stream().mapToLong(LayerShape::flops).sum();
  }

  private SpecException invalid(int input, Problem problem) {
    List<Integer> near = validInputsNear(input);
    String valid = near.isEmpty() ? "none up to " + MAX_INPUT
        : near.stream().map(String::valueOf).collect(Collectors.joining(", "));
    return new SpecException(problem.path(), problem.message() + ". Received: input " + input
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
      w.convs(path, "contracting[" + level + "]", stage.convs(), stage.kernel(), stage.padding(),
          stage.filters(), stage.normalization() != Normalization.NONE, stage.dropout());
      if (w.problem != null) {
        break;
      }
      w.skipSize[level] = w.size;
      w.skipChannels[level] = w.channels;
      if (w.size % pool != 0) {
        w.fail("contracting[" + level + "].pool", pool + "x" + pool + " " + kindName() + " pooling needs a size "
            + "divisible by " + pool + ", got " + w.size + "x" + w.size);
        break;
      }
      w.size /= pool;
      w.add(path + "/pool", LayerKind.POOL, 0, 0);
    }
    if (w.problem == null) {
      StageSpec b = model.bottleneck();
      w.convs("bottleneck", "bottleneck", b.convs(), b.kernel(), b.padding(), b.filters(),
          b.normalization() != Normalization.NONE, b.dropout());
    }
    for (int i = 0; i < model.expanding().size() && w.problem == null; i++) {
      ExpandingStageSpec stage = model.expanding().get(i);
      int level = model.depth() - 1 - i;
      String path = "expanding/" + i;
      String json = "expanding[" + i + "]";
      long upParams = (long) pool * pool * w.channels * stage.filters() + stage.filters();
      long upMacs = (long) w.size * w.size * pool * pool * w.channels * stage.filters();
      w.size *= pool;
      w.channels = stage.filters();
      w.add(path + "/upconv", LayerKind.UP_CONV, upParams, 2 * upMacs);
      if (stage.skip() == SkipMode.CENTER_CROP) {
        int crop = w.skipSize[level] - w.size;
        if (crop < 0 || crop % 2 != 0) {
          w.fail(json, "the skip from contracting[" + level + "] is " + w.skipSize[level] + "x" + w.skipSize[level]
              + " and cannot be centre-cropped to the up-convolved " + w.size + "x" + w.size);
          break;
        }
        w.crop[i] = crop / 2;
        w.channels += w.skipChannels[level];
        w.add(path + "/concat", LayerKind.CROP_CONCAT, 0, 0);
      }
      w.convs(path, json, stage.convs(), stage.kernel(), stage.padding(), stage.filters(),
          stage.normalization() != Normalization.NONE, stage.dropout());
    }
    if (w.problem == null) {
      int k = model.head().kernel();
      int out = w.size - (k - 1);
      if (out < 1) {
        w.fail("head", "a " + k + "x" + k + " convolution leaves no pixels of " + w.size + "x" + w.size);
      } else {
        long macs = (long) out * out * k * k * w.channels * model.classes();
        long params = (long) k * k * w.channels * model.classes() + model.classes();
        w.size = out;
        w.channels = model.classes();
        w.add("head", LayerKind.HEAD, params, 2 * macs);
      }
    }
    return w;
  }

  private String kindName() {
    return model.pooling().kind().name().toLowerCase(Locale.ROOT);
  }

  /** The input interval [lo, hi] that output pixels [lo, hi] of the head depend on. */
  private int[] backFromHead(int lo, int hi, Walk w) {
    int[] window = backConvs(new int[] {lo, hi}, 1, model.head().kernel(), Padding.VALID);
    int m = model.expanding().size();
    return m == 0 ? backFromBottleneck(window) : backFromExpanding(m - 1, window, w);
  }

  private int[] backFromExpanding(int i, int[] window, Walk w) {
    ExpandingStageSpec stage = model.expanding().get(i);
    int[] concat = backConvs(window, stage.convs(), stage.kernel(), stage.padding());
    int[] below = {Math.floorDiv(concat[0], pool), Math.floorDiv(concat[1], pool)};
    int[] up = i == 0 ? backFromBottleneck(below) : backFromExpanding(i - 1, below, w);
    if (stage.skip() == SkipMode.NONE) {
      return up;
    }
    int level = model.depth() - 1 - i;
    int[] skip = backFromContracting(level, new int[] {concat[0] + w.crop[i], concat[1] + w.crop[i]});
    return new int[] {Math.min(up[0], skip[0]), Math.max(up[1], skip[1])};
  }

  private int[] backFromBottleneck(int[] window) {
    StageSpec b = model.bottleneck();
    int[] pooled = backConvs(window, b.convs(), b.kernel(), b.padding());
    return backFromContracting(model.depth() - 1, unpool(pooled));
  }

  /** From the output of contracting stage {@code level} back to the network input. */
  private int[] backFromContracting(int level, int[] window) {
    StageSpec stage = model.contracting().get(level);
    int[] in = backConvs(window, stage.convs(), stage.kernel(), stage.padding());
    return level == 0 ? in : backFromContracting(level - 1, unpool(in));
  }

  private int[] unpool(int[] window) {
    return new int[] {window[0] * pool, window[1] * pool + pool - 1};
  }

  private static int[] backConvs(int[] window, int convs, int kernel, Padding padding) {
    int reach = kernel - 1;
    if (padding == Padding.VALID) {
      return new int[] {window[0], window[1] + convs * reach};
    }
    return new int[] {window[0] - convs * reach / 2, window[1] + convs * reach / 2};
  }

  /** The running state of one forward pass. */
  private static final class Walk {
    int size;
    int channels;
    final int[] skipSize;
    final int[] skipChannels;
    final int[] crop;
    final boolean collect;
    final ImmutableList.Builder<LayerShape> layers = ImmutableList.builder();
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

    void add(String path, LayerKind kind, long params, long flops) {
      if (collect) {
        layers.add(new LayerShape(path, kind, size, size, channels, params, flops));
      }
    }

    void convs(String path, String json, int convs, int kernel, Padding padding, int filters, boolean norm,
        double dropout) {
      for (int c = 1; c <= convs; c++) {
        int in = size;
        if (padding == Padding.VALID) {
          size -= kernel - 1;
        }
        if (size < 1) {
          fail(json, "conv" + c + " (" + kernel + "x" + kernel + ", unpadded) leaves no pixels of " + in + "x" + in);
          return;
        }
        long weights = (long) kernel * kernel * channels * filters;
        long macs = (long) size * size * kernel * kernel * channels * filters;
        channels = filters;
        // A convolution followed by batch norm has no bias; the norm adds a scale and an offset.
        add(path + "/conv" + c, LayerKind.CONV, weights + (norm ? 2L * filters : filters), 2 * macs);
      }
      if (dropout > 0) {
        add(path + "/dropout", LayerKind.DROPOUT, 0, 0);
      }
    }
  }
}
