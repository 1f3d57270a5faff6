package org.unet4j.dsl.model;

import static com.google.common.base.Preconditions.checkNotNull;

import java.util.List;
import org.unet4j.dsl.Default;
import org.unet4j.dsl.Doc;
import org.unet4j.dsl.Range;
import org.unet4j.dsl.Specs;

/**
 * An expanding stage: a 2x2 up-convolution to {@code filters} channels (halving them in the paper;
 * {@code upConvFilters} when set), in a 3D net 2x2x2 or as the paired contracting stage pools (or,
 * with {@link Upsampling#BILINEAR}, bilinear upsampling and a learnt 3x3 convolution in its place),
 * the skip from the contracting stage at the same level centre-cropped and concatenated, then
 * {@code convs} convolutions with {@code filters} output channels ({@code kernel x kernel}, or
 * {@code kernels[c-1]} for convolution {@code c} when listed, as in {@link StageSpec}). Expanding stage {@code i} pairs
 * with contracting stage {@code depth - 1 - i}.
 */
@Doc("An expanding stage: 2x2 up-convolution, centre-cropped skip and concatenation, convolutions.")
public record ExpandingStageSpec(
    @Doc("output channels of the up-convolution and of every convolution")
        @Range(min = 1, max = 65536) int filters,
    @Doc("number of convolutions after the concatenation") @Default("2") @Range(min = 1, max = 8) int convs,
    @Doc("odd kernel size") @Default("3") @Range(min = 1, max = 15) int kernel,
    @Doc("valid (unpadded, the paper) or same") @Default("\"valid\"") Padding padding,
    @Doc(StageSpec.ACTIVATION_DOC) @Default("\"relu\"") Activation activation,
    @Doc(StageSpec.NORMALIZATION_DOC) @Default("\"none\"") Normalization normalization,
    @Doc("dropout rate after the last convolution, 0 for none")
        @Default("0") @Range(min = 0, max = 1, maxExclusive = true) double dropout,
    @Doc("center-crop (the paper), attention (the cropped skip gated by attention coefficients, Oktay et al."
        + " 2018) or none for no skip at this level")
        @Default("\"center-crop\"") SkipMode skip,
    @Doc("output channels of the up-convolution, 0 for filters (the 3D U-Net keeps the channels: 512 to 512)")
        @Default("0") @Range(min = 0, max = 65536) int upConvFilters,
    @Doc("3D nets: odd kernel size along z, 0 for kernel (k x k x k); 1 gives planar 1 x k x k convolutions")
        @Default("0") @Range(min = 0, max = 15) int kernelZ,
    @Doc(StageSpec.GROUPS_DOC) @Default("0") @Range(min = 0, max = 65536) int groups,
    @Doc(StageSpec.LEAKY_SLOPE_DOC) @Default("0.2") @Range(min = 0, max = 1, maxExclusive = true)
        double leakySlope,
    @Doc(StageSpec.RESIDUAL_DOC) @Default("false") boolean residual,
    @Doc("up-conv (the paper's p x p up-convolution) or bilinear (bilinear interpolation by p with half-pixel"
        + " centres, then a learnt 3x3 convolution padded as the stage; unpadded, floor(p/2) + 1 pixels fewer on"
        + " each side)") @Default("\"up-conv\"") Upsampling upsampling,
    @Doc(StageSpec.KERNELS_DOC) @Default("[]") List<Integer> kernels) {

  public ExpandingStageSpec {
    checkNotNull(padding, "padding");
    checkNotNull(activation, "activation");
    checkNotNull(normalization, "normalization");
    checkNotNull(skip, "skip");
    checkNotNull(upsampling, "upsampling");
    Specs.checkComponent(ExpandingStageSpec.class, "filters", filters);
    Specs.checkComponent(ExpandingStageSpec.class, "convs", convs);
    Specs.checkComponent(ExpandingStageSpec.class, "kernel", kernel);
    Specs.checkComponent(ExpandingStageSpec.class, "dropout", dropout);
    Specs.checkComponent(ExpandingStageSpec.class, "upConvFilters", upConvFilters);
    Specs.checkComponent(ExpandingStageSpec.class, "kernelZ", kernelZ);
    StageSpec.checkOddKernel(kernel);
    StageSpec.checkOddKernelZ(kernelZ);
    kernels = StageSpec.checkKernels(kernels, convs, kernel);
    Specs.checkComponent(ExpandingStageSpec.class, "groups", groups);
    Specs.checkComponent(ExpandingStageSpec.class, "leakySlope", leakySlope);
    StageSpec.checkGroups(normalization, groups, new int[] {filters});
    StageSpec.checkLeakySlope(activation, leakySlope);
  }

  /** An expanding stage as format version 4 wrote it: every convolution has {@code kernel}. */
  public ExpandingStageSpec(int filters, int convs, int kernel, Padding padding, Activation activation,
      Normalization normalization, double dropout, SkipMode skip, int upConvFilters, int kernelZ, int groups,
      double leakySlope, boolean residual, Upsampling upsampling) {
    this(filters, convs, kernel, padding, activation, normalization, dropout, skip, upConvFilters, kernelZ, groups,
        leakySlope, residual, upsampling, List.of());
  }

  /** An expanding stage as format version 3 wrote it: up-convolved. */
  public ExpandingStageSpec(int filters, int convs, int kernel, Padding padding, Activation activation,
      Normalization normalization, double dropout, SkipMode skip, int upConvFilters, int kernelZ, int groups,
      double leakySlope, boolean residual) {
    this(filters, convs, kernel, padding, activation, normalization, dropout, skip, upConvFilters, kernelZ, groups,
        leakySlope, residual, Upsampling.UP_CONV);
  }

  /**
   * An expanding stage as format versions 2 and 3 before block kinds knew it: no group
   * normalization, leaky ReLU slope 0.2, not residual.
   */
  public ExpandingStageSpec(int filters, int convs, int kernel, Padding padding, Activation activation,
      Normalization normalization, double dropout, SkipMode skip, int upConvFilters, int kernelZ) {
    this(filters, convs, kernel, padding, activation, normalization, dropout, skip, upConvFilters, kernelZ, 0,
        Activation.DEFAULT_LEAKY_SLOPE, false);
  }

  /** An expanding stage of a 2D net, or of a 3D net with k x k x k kernels, up-convolving to {@code filters}. */
  public ExpandingStageSpec(int filters, int convs, int kernel, Padding padding, Activation activation,
      Normalization normalization, double dropout, SkipMode skip) {
    this(filters, convs, kernel, padding, activation, normalization, dropout, skip, 0, 0);
  }

  /** Output channels of the up-convolution: {@link #upConvFilters} when set, else {@link #filters}. */
  public int upFilters() {
    return upConvFilters != 0 ? upConvFilters : filters;
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
    return StageSpec.convKernel(kernels, kernel, c);
  }

  /** The kernel size of convolution {@code c} (1-based) along {@code axis}: {@link #kernelZ} along z when set. */
  public int convKernelAlong(int c, Axis axis) {
    return axis == Axis.Z && kernelZ != 0 ? kernelZ : convKernel(c);
  }

  /** The paper's expanding stage: up-conv, crop and concat, two unpadded 3x3 convolutions. */
  public static ExpandingStageSpec paper(int filters) {
    return new ExpandingStageSpec(filters, 2, 3, Padding.VALID, Activation.RELU, Normalization.NONE, 0.0,
        SkipMode.CENTER_CROP);
  }
}
