package org.unet4j.dsl.model;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
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
  private final List<Block> blocks;

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
    this.blocks = model.blocks();
  }

  /** The axis this arithmetic is along. */
  public Axis axis() {
    return axis;
  }

  /** The output size along one axis for a valid input size; throws naming the stage otherwise. */
  public int outputSize(int input) {
    AxisState walk = walk(input, false);
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
    AxisState walk = walk(input, false);
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
    long spacing = 1; // input pixels per pixel of the current map
    for (Block block : blocks) {
      spacing /= block.upsampling(axis);
      twice += block.shift(axis) * spacing;
      spacing *= block.downsampling(axis);
    }
    long blockStart = twice - (outputStride() - 1);
    if (blockStart % 2 != 0) {
      throw new IllegalStateException("output pixel 0 is centred between input pixels, which odd kernels rule out");
    }
    return Math.toIntExact(blockStart / 2);
  }

  /**
   * The widest input window one output pixel depends on along an axis, found by following every
   * path back from the output (skips included) as an interval of input pixels.
   */
  public int receptiveField() {
    int in = smallestValidInput() + 2 * period;
    AxisState walk = walk(in, false);
    int widest = 0;
    for (int o = 0; o < Math.min(walk.size, 4 * period); o++) {
      Arrays.fill(walk.skipWindow, null);
      int[] window = {o, o};
      for (int i = blocks.size() - 1; i >= 0; i--) {
        window = blocks.get(i).back(window, walk, axis);
      }
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
    ImmutableMap.Builder<String, String> windows = ImmutableMap.builder();
    for (Block block : blocks) {
      if (block instanceof Block.Conv conv) {
        windows.put(conv.path(), model.dimensions() == 3 ? conv.kernelZ() + "x" + conv.kernel() + "x" + conv.kernel()
            : conv.kernel() + "x" + conv.kernel());
      }
    }
    return windows.build();
  }

  /** Trainable parameters: they do not depend on the input size, nor on the axis. */
  public long parameterCount() {
    return blocks.stream().mapToLong(Block::parameters).sum();
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
    AxisState walk = walk(input, true);
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

  private SpecException invalid(int input, Block.Problem problem) {
    List<Integer> near = validInputsNear(input);
    String valid = near.isEmpty() ? "none up to " + MAX_INPUT
        : near.stream().map(String::valueOf).collect(Collectors.joining(", "));
    return new SpecException(problem.path(), problem.message() + ". Received: input " + input + along()
        + "; valid near it: " + valid);
  }

  /**
   * One forward pass of the size arithmetic, block by block. Why a size fails is kept as plain data
   * ({@link Block.Problem}): the searches for valid sizes try thousands of sizes, and building an
   * exception (with its stack trace) for each would dominate their cost.
   */
  private AxisState walk(int input, boolean collect) {
    AxisState w = new AxisState(input, model.depth(), model.expanding().size());
    if (input < 1) {
      w.problem = new Block.Problem("", "input size must be positive, got " + input);
      return w;
    }
    for (Block block : blocks) {
      w.problem = block.resize(w, axis);
      if (w.problem != null) {
        break;
      }
      if (collect) {
        w.layers.add(new AxisLayer(block.path(), block.kind(), w.size, block.channels(), block.parameters(),
            block.macsPerPoint()));
      }
    }
    return w;
  }

  /** {@code " along z"} in a 3D net, where messages must say which axis; nothing in 2D. */
  private String along() {
    return model.dimensions() == 3 ? " along " + axis.label() : "";
  }

  /**
   * The running state of one walk along an axis: the current size, what the blocks leave for later
   * ones (each level's skip size, each expanding stage's crop, the skip windows on the way back) and
   * the layers collected.
   */
  public final class AxisState {
    int size;
    final int[] skipSize;
    final int[] crop;
    final int[] @Nullable [] skipWindow;
    final ImmutableList.Builder<AxisLayer> layers = ImmutableList.builder();
    Block.@Nullable Problem problem;

    AxisState(int input, int depth, int expanding) {
      this.size = input;
      this.skipSize = new int[depth];
      this.crop = new int[Math.max(expanding, 1)];
      this.skipWindow = new int[depth][];
    }

    /** A map's size in messages: {@code 57x57} in 2D (square tiles), {@code 57} (along the axis) in 3D. */
    String square(int size) {
      return model.dimensions() == 3 ? Integer.toString(size) : size + "x" + size;
    }

    /** {@code " along z"} in a 3D net; nothing in 2D. */
    String along() {
      return Geometry.this.along();
    }
  }
}
