package org.unet4j.dsl.model;

import static com.google.common.base.Preconditions.checkNotNull;

import org.unet4j.dsl.Default;
import org.unet4j.dsl.Doc;
import org.unet4j.dsl.Range;
import org.unet4j.dsl.Specs;
import org.unet4j.dsl.SpecException;

/**
 * A contracting stage or the bottleneck: {@code convs} convolutions of {@code kernel x kernel} (in a 3D
 * net {@code kernelZ x kernel x kernel}) with {@code filters} output channels ({@code firstConvFilters}
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
    @Doc("after each convolution: relu (the paper), leaky-relu (slope 0.2) or elu") @Default("\"relu\"")
        Activation activation,
    @Doc("between each convolution and its activation: none (the paper) or batch (the convolution then has no bias)")
        @Default("\"none\"") Normalization normalization,
    @Doc("dropout rate after the last convolution, 0 for none")
        @Default("0") @Range(min = 0, max = 1, maxExclusive = true) double dropout,
    @Doc("output channels of the first convolution, 0 for filters (the 3D U-Net's stages go 32 then 64)")
        @Default("0") @Range(min = 0, max = 65536) int firstConvFilters,
    @Doc("3D nets: odd kernel size along z, 0 for kernel (k x k x k); 1 gives planar 1 x k x k convolutions"
        + " for stacks whose z spacing is coarser than x/y") @Default("0") @Range(min = 0, max = 15) int kernelZ,
    @Doc("3D nets, contracting stages: pooling window and stride along z after this stage, 0 for the model's"
        + " pooling size; 1 pools x/y only (1 x 2 x 2); the paired expanding stage up-convolves by the same factor")
        @Default("0") @Range(min = 0, max = 4) int poolZ) {

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
    checkOddKernel(kernel);
    checkOddKernelZ(kernelZ);
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
        kernelZ, poolZ);
  }

  /** Output channels of convolution {@code c} (1-based): {@link #firstConvFilters} for the first when set. */
  public int convFilters(int c) {
    return c == 1 && firstConvFilters != 0 ? firstConvFilters : filters;
  }

  /** The kernel size along {@code axis}: {@link #kernelZ} along z when set, else {@link #kernel}. */
  public int kernelAlong(Axis axis) {
    return axis == Axis.Z && kernelZ != 0 ? kernelZ : kernel;
  }

  static void checkOddKernelZ(int kernelZ) {
    if (kernelZ != 0 && kernelZ % 2 == 0) {
      throw new SpecException("kernelZ", "expected 0 (as kernel) or an odd size so that crops stay centred"
          + " (1, 3, 5, ...), got " + kernelZ);
    }
  }

  static void checkOddKernel(int kernel) {
    if (kernel % 2 == 0) {
      throw new SpecException("kernel", "expected an odd size so that crops stay centred (1, 3, 5, ...), got "
          + kernel);
    }
  }
}
