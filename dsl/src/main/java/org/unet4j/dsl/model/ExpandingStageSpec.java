package org.unet4j.dsl.model;

import static com.google.common.base.Preconditions.checkNotNull;

import org.unet4j.dsl.Default;
import org.unet4j.dsl.Doc;
import org.unet4j.dsl.Range;
import org.unet4j.dsl.Specs;

/**
 * An expanding stage: a 2x2 up-convolution to {@code filters} channels (halving them in the paper),
 * the skip from the contracting stage at the same level centre-cropped and concatenated, then
 * {@code convs} convolutions with {@code filters} output channels. Expanding stage {@code i} pairs
 * with contracting stage {@code depth - 1 - i}.
 */
@Doc("An expanding stage: 2x2 up-convolution, centre-cropped skip and concatenation, convolutions.")
public record ExpandingStageSpec(
    @Doc("output channels of the up-convolution and of every convolution")
        @Range(min = 1, max = 65536) int filters,
    @Doc("number of convolutions after the concatenation") @Default("2") @Range(min = 1, max = 8) int convs,
    @Doc("odd kernel size") @Default("3") @Range(min = 1, max = 15) int kernel,
    @Doc("valid (unpadded, the paper) or same") @Default("\"valid\"") Padding padding,
    @Doc("after each convolution: relu (the paper), leaky-relu (slope 0.2) or elu") @Default("\"relu\"")
        Activation activation,
    @Doc("between each convolution and its activation: none (the paper) or batch (the convolution then has no bias)")
        @Default("\"none\"") Normalization normalization,
    @Doc("dropout rate after the last convolution, 0 for none")
        @Default("0") @Range(min = 0, max = 1, maxExclusive = true) double dropout,
    @Doc("center-crop (the paper) or none for no skip at this level")
        @Default("\"center-crop\"") SkipMode skip) {

  public ExpandingStageSpec {
    checkNotNull(padding, "padding");
    checkNotNull(activation, "activation");
    checkNotNull(normalization, "normalization");
    checkNotNull(skip, "skip");
    Specs.checkComponent(ExpandingStageSpec.class, "filters", filters);
    Specs.checkComponent(ExpandingStageSpec.class, "convs", convs);
    Specs.checkComponent(ExpandingStageSpec.class, "kernel", kernel);
    Specs.checkComponent(ExpandingStageSpec.class, "dropout", dropout);
    StageSpec.checkOddKernel(kernel);
  }

  /** The paper's expanding stage: up-conv, crop and concat, two unpadded 3x3 convolutions. */
  public static ExpandingStageSpec paper(int filters) {
    return new ExpandingStageSpec(filters, 2, 3, Padding.VALID, Activation.RELU, Normalization.NONE, 0.0,
        SkipMode.CENTER_CROP);
  }
}
