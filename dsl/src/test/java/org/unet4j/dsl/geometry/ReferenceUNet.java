package org.unet4j.dsl.geometry;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.unet4j.dsl.model.Axis;
import org.unet4j.dsl.model.ExpandingStageSpec;
import org.unet4j.dsl.model.Geometry;
import org.unet4j.dsl.model.LayerKind;
import org.unet4j.dsl.model.ModelSpec;
import org.unet4j.dsl.model.Padding;
import org.unet4j.dsl.model.PoolingKind;
import org.unet4j.dsl.model.SkipMode;
import org.unet4j.dsl.model.StageSpec;
import org.unet4j.dsl.model.Upsampling;

/**
 * A brute-force reference for {@link Geometry}, written the way the paper's Fig. 1 reads rather
 * than the way Geometry loops: a recursion over levels (the stage's convolutions, pooling,
 * everything below, then the expanding stage that pairs with this level) acting on explicit 1-D
 * feature maps. When tracking is on, every pixel of every map carries the set of input pixels it
 * depends on, so receptive fields come from the dependency sets themselves rather than from
 * interval arithmetic.
 *
 * <p>The rules are the ones the specs document, not Geometry's code: a k x k convolution is
 * centred on its pixel (unpadded: loses k/2 pixels each side; same: zero padding, which depends
 * on nothing); pooling with window = stride = p needs a size divisible by p; the p x p stride-p
 * up-convolution gives each input pixel a p-pixel block; the skip is centre-cropped, which needs
 * the same number of pixels removed on both sides; the head is an unpadded convolution.
 */
final class ReferenceUNet {

  /** A 1-D feature map: its size, channels and, when tracked, each pixel's input dependencies. */
  static final class FeatureMap {
    final int size;
    final int channels;
    final BitSet @Nullable [] deps;

    FeatureMap(int size, int channels, BitSet @Nullable [] deps) {
      this.size = size;
      this.channels = channels;
      this.deps = deps;
    }
  }

  /** One recorded layer, named as the compiler names it. */
  record Layer(String path, LayerKind kind, int size, int channels) {}

  /** The result at one input size: the output map, or the spec path of the first failing part. */
  record Outcome(int input, @Nullable FeatureMap output, @Nullable String failure, List<Layer> layers) {
    boolean valid() {
      return output != null;
    }

    int outputSize() {
      if (output == null) {
        throw new IllegalStateException("input " + input + " fails at " + failure);
      }
      return output.size;
    }
  }

  /** Thrown inside the recursion at the first part that cannot take its input. */
  private static final class Failure extends RuntimeException {
    final String path;

    Failure(String path) {
      super(path, null, false, false);
      this.path = path;
    }
  }

  /** Valid sizes per (net, to, limit), see {@link #validInputs}. */
  private static final Map<List<Object>, List<Integer>> VALID = new ConcurrentHashMap<>();

  private final ModelSpec net;
  private final Axis axis;
  private final boolean collect;
  private final List<Layer> layers = new ArrayList<>();

  private ReferenceUNet(ModelSpec net, Axis axis, boolean collect) {
    this.net = net;
    this.axis = axis;
    this.collect = collect;
  }

  /**
   * The pooling window after contracting stage {@code level} along this axis, by the rule the
   * specs document: a stage's {@code poolZ} along z of a 3D net when it is not 0, the model's
   * pooling size otherwise. The expanding stage paired with the level up-samples by the same.
   */
  private int pool(int level) {
    int z = net.contracting().get(level).poolZ();
    return axis == Axis.Z && z != 0 ? z : net.pooling().size();
  }

  /**
   * Each convolution's kernel along this axis, by the rule the specs document: {@code kernelZ} along
   * z when it is not 0; in-plane, {@code kernels[c]} when the stage lists them, else {@code kernel}.
   */
  private int[] kernels(int convs, int kernel, List<Integer> kernels, int kernelZ) {
    int[] sizes = new int[convs];
    for (int c = 0; c < convs; c++) {
      int inPlane = kernels.isEmpty() ? kernel : kernels.get(c);
      sizes[c] = axis == Axis.Z && kernelZ != 0 ? kernelZ : inPlane;
    }
    return sizes;
  }

  /**
   * Only whether {@code input} passes, the output size or the failing part: the layer list stays
   * empty and there are no dependency sets. Fast enough to sweep every size.
   */
  static Outcome probe(ModelSpec net, int input) {
    return run(net, Axis.Y, input, false, false);
  }

  /** {@link #probe} along {@code axis} of a 3D net. */
  static Outcome probe(ModelSpec net, Axis axis, int input) {
    return run(net, axis, input, false, false);
  }

  /**
   * Runs {@code net} on a 1-D input of {@code input} pixels and lists its layers; {@code track}
   * adds the dependency sets.
   */
  static Outcome run(ModelSpec net, int input, boolean track) {
    return run(net, Axis.Y, input, track, true);
  }

  /** {@link #run} along {@code axis} of a 3D net. */
  static Outcome run(ModelSpec net, Axis axis, int input, boolean track) {
    return run(net, axis, input, track, true);
  }

  private static Outcome run(ModelSpec net, Axis axis, int input, boolean track, boolean collect) {
    ReferenceUNet ref = new ReferenceUNet(net, axis, collect);
    BitSet[] deps = null;
    if (track) {
      deps = new BitSet[input];
      for (int i = 0; i < input; i++) {
        deps[i] = new BitSet(input);
        deps[i].set(i);
      }
    }
    try {
      FeatureMap top = ref.level(0, new FeatureMap(input, net.inputChannels(), deps));
      FeatureMap out = ref.conv(top, net.head().kernel(), Padding.VALID, net.classes(), "head", -1);
      ref.record("head", -1, "", LayerKind.HEAD, out);
      return new Outcome(input, out, null, List.copyOf(ref.layers));
    } catch (Failure f) {
      return new Outcome(input, null, f.path, List.copyOf(ref.layers));
    }
  }

  /**
   * The valid inputs in [1, to], by trying each, and then the first valid input above {@code to}
   * (up to {@code limit}), if any; remembered per net since several tests sweep the same nets.
   */
  static List<Integer> validInputs(ModelSpec net, int to, int limit) {
    return VALID.computeIfAbsent(List.of(net, to, limit), k -> {
      List<Integer> valid = new ArrayList<>();
      for (int n = 1; n <= to; n++) {
        if (probe(net, n).valid()) {
          valid.add(n);
        }
      }
      for (int n = to + 1; n <= limit; n++) {
        if (probe(net, n).valid()) {
          valid.add(n);
          break;
        }
      }
      return List.copyOf(valid);
    });
  }

  /**
   * The sub-net from {@code level} down: this level's stage, pooling, the levels below (or the
   * bottleneck), and on the way back up the expanding stage paired with this level, if declared.
   */
  private FeatureMap level(int level, FeatureMap in) {
    StageSpec stage = net.contracting().get(level);
    FeatureMap features = stage(in, "contracting", level,
        kernels(stage.convs(), stage.kernel(), stage.kernels(), stage.kernelZ()), stage.padding(),
        stage.firstConvFilters(), stage.filters(), stage.residual(), stage.dropout());
    FeatureMap pooled = pool(features, level);
    record("contracting", level, "pool",
        net.pooling().kind() == PoolingKind.STRIDED_CONV ? LayerKind.DOWN_CONV : LayerKind.POOL, pooled);
    FeatureMap below;
    if (level + 1 < net.depth()) {
      below = level(level + 1, pooled);
    } else {
      StageSpec b = net.bottleneck();
      below = stage(pooled, "bottleneck", -1, kernels(b.convs(), b.kernel(), b.kernels(), b.kernelZ()), b.padding(),
          b.firstConvFilters(), b.filters(), b.residual(), b.dropout());
    }
    int i = net.depth() - 1 - level; // expanding stage i pairs with contracting stage depth-1-i
    if (i >= net.expanding().size()) {
      return below;
    }
    ExpandingStageSpec e = net.expanding().get(i);
    // Oktay et al.'s gate has F_int channels: half the skip's here, at least one.
    int gateChannels = Math.max(1, features.channels / 2);
    if (e.skip() == SkipMode.ATTENTION) {
      record("expanding", i, "gate", LayerKind.GATE, new FeatureMap(below.size, gateChannels, null));
    }
    int upFilters = e.upConvFilters() != 0 ? e.upConvFilters() : e.filters();
    FeatureMap up;
    if (e.upsampling() == Upsampling.BILINEAR) {
      FeatureMap fine = bilinear(below, pool(level), e.padding(), i);
      record("expanding", i, "upsample", LayerKind.UPSAMPLE, fine);
      if (e.padding() == Padding.VALID && fine.size < 3) {
        throw new Failure(specPath("expanding", i) + ".upsampling");
      }
      up = conv(fine, 3, e.padding(), upFilters, "expanding", i);
      record("expanding", i, "upconv", LayerKind.CONV, up);
    } else {
      up = upConv(below, upFilters, pool(level));
      record("expanding", i, "upconv", LayerKind.UP_CONV, up);
    }
    if (e.skip() != SkipMode.NONE) {
      FeatureMap skip = centreCrop(features, up.size, i);
      if (e.skip() == SkipMode.ATTENTION) {
        // The gated skip pixel j: the skip's pixel j times a coefficient from it and the gating
        // signal's pixel under it, the one the up-convolution spreads over j.
        skip = gate(skip, below, pool(level));
        record("expanding", i, "attention", LayerKind.ATTENTION, skip);
      }
      up = concat(skip, up);
      record("expanding", i, "concat", LayerKind.CROP_CONCAT, up);
    }
    return stage(up, "expanding", i, kernels(e.convs(), e.kernel(), e.kernels(), e.kernelZ()), e.padding(), 0,
        e.filters(), e.residual(), e.dropout());
  }

  /**
   * An attention-gated skip: the gating map repeated p times (pixel t of the repeat is gating pixel
   * t / p) and centre-cropped to the skip, so skip pixel j depends on itself and on gating pixel
   * (j + o) / p, o being the crop (0 after an up-convolution, whose map is the repeat's size).
   */
  private static FeatureMap gate(FeatureMap skip, FeatureMap gating, int pool) {
    int offset = (gating.size * pool - skip.size) / 2;
    BitSet[] deps = null;
    if (skip.deps != null && gating.deps != null) {
      deps = new BitSet[skip.size];
      for (int j = 0; j < skip.size; j++) {
        deps[j] = (BitSet) skip.deps[j].clone();
        deps[j].or(gating.deps[(j + offset) / pool]);
      }
    }
    return new FeatureMap(skip.size, skip.channels, deps);
  }

  /**
   * The convolutions of {@code part} ({@code contracting}, {@code bottleneck}, {@code expanding}),
   * one per kernel, the first to {@code firstFilters} channels when that is not 0.
   */
  private FeatureMap stage(FeatureMap in, String part, int index, int[] kernels, Padding padding,
      int firstFilters, int filters, boolean residual, double dropout) {
    FeatureMap x = in;
    for (int c = 1; c <= kernels.length; c++) {
      x = conv(x, kernels[c - 1], padding, c == 1 && firstFilters != 0 ? firstFilters : filters, part, index);
      if (collect) {
        record(part, index, "conv" + c, LayerKind.CONV, x);
      }
    }
    if (residual) {
      // The stage's input, centre-cropped to its output, added to it.
      FeatureMap shortcut = centreCrop(in, x.size, index);
      FeatureMap sum = concat(x, shortcut);
      x = new FeatureMap(x.size, x.channels, sum.deps);
      record(part, index, "shortcut", LayerKind.SHORTCUT, x);
    }
    if (dropout > 0) {
      record(part, index, "dropout", LayerKind.DROPOUT, x);
    }
    return x;
  }

  /** The spec path of a part, as error messages name it: {@code contracting[2]}, {@code bottleneck}. */
  private static String specPath(String part, int index) {
    return index < 0 ? part : part + "[" + index + "]";
  }

  /** Output pixel j is centred on input pixel j + k/2 (unpadded) or j (same, zeros outside). */
  private FeatureMap conv(FeatureMap in, int kernel, Padding padding, int filters, String part, int index) {
    int r = kernel / 2;
    int size = padding == Padding.VALID ? in.size - 2 * r : in.size;
    if (size < 1) {
      throw new Failure(specPath(part, index));
    }
    BitSet[] deps = null;
    if (in.deps != null) {
      deps = new BitSet[size];
      for (int j = 0; j < size; j++) {
        int centre = padding == Padding.VALID ? j + r : j;
        BitSet d = new BitSet();
        for (int t = centre - r; t <= centre + r; t++) {
          if (t >= 0 && t < in.size) {
            d.or(in.deps[t]);
          }
        }
        deps[j] = d;
      }
    }
    return new FeatureMap(size, filters, deps);
  }

  /** Pixel j of the pooled map covers pixels [j p, j p + p - 1]; leftover pixels are an error. */
  private FeatureMap pool(FeatureMap in, int level) {
    int pool = pool(level);
    if (in.size % pool != 0) {
      throw new Failure(specPath("contracting", level) + ".pool");
    }
    int size = in.size / pool;
    BitSet[] deps = null;
    if (in.deps != null) {
      deps = new BitSet[size];
      for (int j = 0; j < size; j++) {
        BitSet d = new BitSet();
        for (int t = 0; t < pool; t++) {
          d.or(in.deps[j * pool + t]);
        }
        deps[j] = d;
      }
    }
    return new FeatureMap(size, in.channels, deps);
  }

  /** Up-convolution, window = stride = p: output pixel j comes from input pixel j / p only. */
  private FeatureMap upConv(FeatureMap in, int filters, int pool) {
    int size = in.size * pool;
    BitSet[] deps = null;
    if (in.deps != null) {
      deps = new BitSet[size];
      for (int j = 0; j < size; j++) {
        deps[j] = in.deps[j / pool];
      }
    }
    return new FeatureMap(size, filters, deps);
  }

  /**
   * Bilinear upsampling by p as TensorFlow's {@code half_pixel_centers} defines it: fine pixel j
   * samples the coarse map at x = (j + 1/2) / p - 1/2 and mixes pixels floor(x) and floor(x) + 1
   * with weights 1 - frac(x) and frac(x); a pixel with weight 0 is no dependency. Same padding
   * keeps all p n pixels and clamps x to the map; valid keeps those with 0 <= x <= n - 1 and
   * requires them to be the centre of the p n (as many dropped left as right).
   */
  private FeatureMap bilinear(FeatureMap in, int pool, Padding padding, int stage) {
    List<BitSet> fine = new ArrayList<>();
    int first = -1;
    for (int j = 0; j < in.size * pool; j++) {
      double x = (j + 0.5) / pool - 0.5;
      boolean inside = x >= 0 && x <= in.size - 1;
      if (padding == Padding.VALID && !inside) {
        continue;
      }
      if (first < 0) {
        first = j;
      }
      double clamped = Math.min(Math.max(x, 0), in.size - 1);
      int lo = (int) Math.floor(clamped);
      BitSet d = new BitSet();
      if (in.deps != null) {
        d.or(in.deps[lo]);
        if (clamped > lo) {
          d.or(in.deps[lo + 1]);
        }
      }
      fine.add(d);
    }
    if (fine.isEmpty()) {
      throw new Failure(specPath("expanding", stage) + ".upsampling");
    }
    int dropped = in.size * pool - fine.size();
    if (first != dropped - first) {
      throw new AssertionError("bilinear upsampling dropped " + first + " pixels left, " + (dropped - first)
          + " right");
    }
    return new FeatureMap(fine.size(), in.channels, in.deps == null ? null : fine.toArray(new BitSet[0]));
  }

  /** The centre {@code size} pixels of {@code skip}; as many removed left as right. */
  private FeatureMap centreCrop(FeatureMap skip, int size, int stage) {
    int removed = skip.size - size;
    if (removed < 0 || removed % 2 != 0) {
      throw new Failure(specPath("expanding", stage));
    }
    BitSet[] deps = null;
    if (skip.deps != null) {
      deps = new BitSet[size];
      System.arraycopy(skip.deps, removed / 2, deps, 0, size);
    }
    return new FeatureMap(size, skip.channels, deps);
  }

  private static FeatureMap concat(FeatureMap a, FeatureMap b) {
    if (a.size != b.size) {
      throw new AssertionError("concat of " + a.size + " and " + b.size);
    }
    BitSet[] deps = null;
    if (a.deps != null && b.deps != null) {
      deps = new BitSet[a.size];
      for (int j = 0; j < a.size; j++) {
        deps[j] = (BitSet) a.deps[j].clone();
        deps[j].or(b.deps[j]);
      }
    }
    return new FeatureMap(a.size, a.channels + b.channels, deps);
  }

  /** Records a layer under its graph path: {@code contracting/2/conv1}, {@code expanding/0/upconv}. */
  private void record(String part, int index, String leaf, LayerKind kind, FeatureMap map) {
    if (collect) {
      String path = (index < 0 ? part : part + "/" + index) + (leaf.isEmpty() ? "" : "/" + leaf);
      layers.add(new Layer(path, kind, map.size, map.channels));
    }
  }
}
