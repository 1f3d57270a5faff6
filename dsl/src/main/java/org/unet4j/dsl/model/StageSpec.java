package org.unet4j.dsl.model;

import static com.google.common.base.Preconditions.checkNotNull;

import org.unet4j.dsl.Default;
import org.unet4j.dsl.Doc;
import org.unet4j.dsl.Range;
import org.unet4j.dsl.Specs;
import org.unet4j.dsl.SpecException;

/**
 * A contracting stage or the bottleneck: {@code convs} convolutions of {@code kernel x kernel} with
 * {@code filters} output channels, each followed by the optional normalization and the activation,
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
        @Default("0") @Range(min = 0, max = 1, maxExclusive = true) double dropout) {

  public StageSpec {
    checkNotNull(padding, "padding");
    checkNotNull(activation, "activation");
    checkNotNull(normalization, "normalization");
    Specs.checkComponent(StageSpec.class, "filters", filters);
    Specs.checkComponent(StageSpec.class, "convs", convs);
    Specs.checkComponent(StageSpec.class, "kernel", kernel);
    Specs.checkComponent(StageSpec.class, "dropout", dropout);
    checkOddKernel(kernel);
  }

  /** The paper's stage: two unpadded 3x3 convolutions with ReLU, no dropout. */
  public static StageSpec paper(int filters) {
    return new StageSpec(filters, 2, 3, Padding.VALID, Activation.RELU, Normalization.NONE, 0.0);
  }

  /** This stage with another dropout rate. */
  public StageSpec withDropout(double rate) {
    return new StageSpec(filters, convs, kernel, padding, activation, normalization, rate);
  }

  static void checkOddKernel(int kernel) {
    if (kernel % 2 == 0) {
      throw new SpecException("kernel", "expected an odd size so that crops stay centred (1, 3, 5, ...), got "
          + kernel);
    }
  }
}
