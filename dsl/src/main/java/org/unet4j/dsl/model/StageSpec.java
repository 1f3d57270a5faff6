package org.unet4j.dsl.model;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import com.google.common.math.IntMath;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.unet4j.dsl.Default;
import org.unet4j.dsl.Doc;
import org.unet4j.dsl.Range;
import org.unet4j.dsl.Specs;
import org.unet4j.dsl.SpecException;

/**
 * A contracting stage or the bottleneck: {@code convs} convolutions of {@code kernel x kernel}, or of
 * {@code kernels[c-1]} for convolution {@code c} when {@code kernels} lists one size per convolution
 * (in a 3D net {@code kernelZ x k x k}), with {@code filters} output channels ({@code firstConvFilters}
 * for the first when set), each followed by the optional normalization and the activation,
 * then dropout when its rate is above zero (the paper puts dropout at the end of the contracting
 * path). Pooling after a contracting stage is the model's {@link Pooling}.
 */
@Doc("A contracting stage or the bottleneck: convolutions, then optional dropout.")
public record StageSpec(
    @Doc("output channels of every convolution") @Range(min = 1, max = 65536) int filters,
    @Doc("number of convolutions") @Default("2") @Range(min = 1, max = 8) int convs,
    @Doc("odd kernel size") @Default("3") @Range(min = 1, max = 15) int kernel,
    @Doc("valid (unpadded, the paper) or same") @Default("\"valid\"") Padding padding,
    @Doc(ACTIVATION_DOC) @Default("\"relu\"") Activation activation,
    @Doc(NORMALIZATION_DOC) @Default("\"none\"") Normalization normalization,
    @Doc("dropout rate after the last convolution, 0 for none")
        @Default("0") @Range(min = 0, max = 1, maxExclusive = true) double dropout,
    @Doc("output channels of the first convolution, 0 for filters (the 3D U-Net's stages go 32 then 64)")
        @Default("0") @Range(min = 0, max = 65536) int firstConvFilters,
    @Doc("3D nets: odd kernel size along z, 0 for kernel (k x k x k); 1 gives planar 1 x k x k convolutions"
        + " for stacks whose z spacing is coarser than x/y") @Default("0") @Range(min = 0, max = 15) int kernelZ,
    @Doc("3D nets, contracting stages: pooling window and stride along z after this stage, 0 for the model's"
        + " pooling size; 1 pools x/y only (1 x 2 x 2); the paired expanding stage up-convolves by the same factor")
        @Default("0") @Range(min = 0, max = 4) int poolZ,
    @Doc(GROUPS_DOC) @Default("0") @Range(min = 0, max = 65536) int groups,
    @Doc(LEAKY_SLOPE_DOC) @Default("0.2") @Range(min = 0, max = 1, maxExclusive = true) double leakySlope,
    @Doc(RESIDUAL_DOC) @Default("false") boolean residual,
    @Doc(KERNELS_DOC) @Default("[]") List<Integer> kernels) {

  static final String ACTIVATION_DOC = "after each convolution: relu (the paper), leaky-relu (slope leakySlope), elu"
      + " or gelu";
  static final String NORMALIZATION_DOC = "between each convolution and its activation: none (the paper), batch,"
      + " group (groups channel groups) or instance; any but none replaces the convolution's bias";
  static final String GROUPS_DOC = "group normalization: channel groups, dividing every convolution's output"
      + " channels; 0 with any other normalization";
  static final String LEAKY_SLOPE_DOC = "leaky-relu: the slope for negative inputs; left at 0.2 with any other"
      + " activation";
  static final String RESIDUAL_DOC = "a residual stage: its input (centre-cropped when unpadded, through a 1x1"
      + " projection when the channels change) is added to the last convolution before its activation";

  static final String KERNELS_DOC = "the in-plane kernel size of each convolution, first to last, when they"
      + " differ (conv(3).conv(5)): one odd size per convolution, the first equal to kernel; [] when every"
      + " convolution has kernel";

  public StageSpec {
    checkNotNull(padding, "padding");
    checkNotNull(activation, "activation");
    checkNotNull(normalization, "normalization");
    Specs.checkComponent(StageSpec.class, "filters", filters);
    Specs.checkComponent(StageSpec.class, "convs", convs);
    Specs.checkComponent(StageSpec.class, "kernel", kernel);
    Specs.checkComponent(StageSpec.class, "dropout", dropout);
    Specs.checkComponent(StageSpec.class, "firstConvFilters", firstConvFilters);
    Specs.checkComponent(StageSpec.class, "kernelZ", kernelZ);
    Specs.checkComponent(StageSpec.class, "poolZ", poolZ);
    Specs.checkComponent(StageSpec.class, "groups", groups);
    Specs.checkComponent(StageSpec.class, "leakySlope", leakySlope);
    checkOddKernel(kernel);
    checkOddKernelZ(kernelZ);
    kernels = checkKernels(kernels, convs, kernel);
    checkGroups(normalization, groups, firstConvFilters != 0 ? new int[] {firstConvFilters, filters}
        : new int[] {filters});
    checkLeakySlope(activation, leakySlope);
  }

  /** A stage as format version 4 wrote it: every convolution has {@code kernel}. */
  public StageSpec(int filters, int convs, int kernel, Padding padding, Activation activation,
      Normalization normalization, double dropout, int firstConvFilters, int kernelZ, int poolZ, int groups,
      double leakySlope, boolean residual) {
    this(filters, convs, kernel, padding, activation, normalization, dropout, firstConvFilters, kernelZ, poolZ, groups,
        leakySlope, residual, List.of());
  }

  /**
   * A stage as format versions 2 and 3 before block kinds knew it: no group normalization, leaky
   * ReLU slope 0.2, not residual.
   */
  public StageSpec(int filters, int convs, int kernel, Padding padding, Activation activation,
      Normalization normalization, double dropout, int firstConvFilters, int kernelZ, int poolZ) {
    this(filters, convs, kernel, padding, activation, normalization, dropout, firstConvFilters, kernelZ, poolZ, 0,
        Activation.DEFAULT_LEAKY_SLOPE, false);
  }

  /** A stage of a 2D net, or of a 3D net with k x k x k kernels, whose convolutions all have {@code filters}. */
  public StageSpec(int filters, int convs, int kernel, Padding padding, Activation activation,
      Normalization normalization, double dropout) {
    this(filters, convs, kernel, padding, activation, normalization, dropout, 0, 0, 0);
  }

  /** The paper's stage: two unpadded 3x3 convolutions with ReLU, no dropout. */
  public static StageSpec paper(int filters) {
    return new StageSpec(filters, 2, 3, Padding.VALID, Activation.RELU, Normalization.NONE, 0.0);
  }

  /** This stage with another dropout rate. */
  public StageSpec withDropout(double rate) {
    return new StageSpec(filters, convs, kernel, padding, activation, normalization, rate, firstConvFilters,
        kernelZ, poolZ, groups, leakySlope, residual, kernels);
  }

  /** Output channels of convolution {@code c} (1-based): {@link #firstConvFilters} for the first when set. */
  public int convFilters(int c) {
    return c == 1 && firstConvFilters != 0 ? firstConvFilters : filters;
  }

  /**
   * The kernel size along {@code axis} of the first convolution, and of every one unless {@link
   * #kernels} lists them: {@link #kernelZ} along z when set, else {@link #kernel}.
   */
  public int kernelAlong(Axis axis) {
    return axis == Axis.Z && kernelZ != 0 ? kernelZ : kernel;
  }

  /** The in-plane kernel size of convolution {@code c} (1-based): {@code kernels[c-1]} when listed, else {@link #kernel}. */
  public int convKernel(int c) {
    return convKernel(kernels, kernel, c);
  }

  /** The kernel size of convolution {@code c} (1-based) along {@code axis}: {@link #kernelZ} along z when set. */
  public int convKernelAlong(int c, Axis axis) {
    return axis == Axis.Z && kernelZ != 0 ? kernelZ : convKernel(c);
  }

  /** The in-plane kernel of convolution {@code c} of a stage whose {@code kernels} may be empty. */
  static int convKernel(List<Integer> kernels, int kernel, int c) {
    return kernels.isEmpty() ? kernel : kernels.get(c - 1);
  }

  /**
   * Per-convolution kernels: empty, or one odd size per convolution whose first is {@code kernel}
   * (so that a reader of {@code kernel} alone sees the first convolution right). A list whose sizes
   * are all {@code kernel} says nothing more than {@code kernel} and becomes empty, so that equal
   * stages are equal specs however they were declared.
   */
  static List<Integer> checkKernels(List<Integer> kernels, int convs, int kernel) {
    checkNotNull(kernels, "kernels");
    if (kernels.isEmpty()) {
      return List.of();
    }
    if (kernels.size() != convs) {
      throw new SpecException("kernels", "lists " + kernels.size() + " sizes for " + convs + " convolutions;"
          + " expected one odd size per convolution (" + convs + ") or [] for kernel " + kernel + " everywhere");
    }
    for (int c = 0; c < kernels.size(); c++) {
      Integer k = kernels.get(c);
      if (k == null || k < 1 || k > 15 || k % 2 == 0) {
        throw new SpecException("kernels[" + c + "]", "conv" + (c + 1) + ": expected an odd size 1..15 so that"
            + " crops stay centred (1, 3, 5, ...), got " + k);
      }
    }
    if (kernels.get(0) != kernel) {
      throw new SpecException("kernel", "is the first convolution's kernel when kernels are listed; expected "
          + kernels.get(0) + " (kernels " + kernels + "), got " + kernel);
    }
    boolean uniform = kernels.stream().allMatch(k -> k == kernel);
    return uniform ? List.of() : ImmutableList.copyOf(kernels);
  }

  static void checkOddKernelZ(int kernelZ) {
    if (kernelZ != 0 && kernelZ % 2 == 0) {
      throw new SpecException("kernelZ", "expected 0 (as kernel) or an odd size so that crops stay centred"
          + " (1, 3, 5, ...), got " + kernelZ);
    }
  }

  /** Group normalization needs its groups, which must divide each convolution's channels; others take none. */
  static void checkGroups(Normalization normalization, int groups, int[] channels) {
    if (normalization != Normalization.GROUP) {
      if (groups != 0) {
        throw new SpecException("groups", "only group normalization has groups; expected 0, got " + groups);
      }
      return;
    }
    if (groups == 0) {
      throw new SpecException("groups", "group normalization needs groups >= 1 that divide the channels of "
          + "every convolution (" + channelList(channels) + ")");
    }
    for (int c : channels) {
      if (c % groups != 0) {
        throw new SpecException("groups", groups + " groups do not divide " + c + " channels; expected a divisor of "
            + channelList(channels) + ": " + divisors(greatestCommonDivisor(channels)));
      }
    }
  }

  private static String channelList(int[] channels) {
    return Arrays.stream(channels).distinct().mapToObj(String::valueOf).collect(Collectors.joining(" and "));
  }

  private static String divisors(int n) {
    return IntStream.rangeClosed(1, n).filter(d -> n % d == 0).mapToObj(String::valueOf)
        .collect(Collectors.joining(", "));
  }

  private static int greatestCommonDivisor(int[] channels) {
    int g = 0;
    for (int c : channels) {
      g = IntMath.gcd(g, c);
    }
    return g;
  }

  /** A slope other than the default would be ignored by any activation but leaky ReLU, so it is refused. */
  static void checkLeakySlope(Activation activation, double leakySlope) {
    if (activation != Activation.LEAKY_RELU && leakySlope != Activation.DEFAULT_LEAKY_SLOPE) {
      throw new SpecException("leakySlope", "only leaky-relu has a slope; expected the default "
          + Activation.DEFAULT_LEAKY_SLOPE + ", got " + leakySlope);
    }
  }

  static void checkOddKernel(int kernel) {
    if (kernel % 2 == 0) {
      throw new SpecException("kernel", "expected an odd size so that crops stay centred (1, 3, 5, ...), got "
          + kernel);
    }
  }
}
