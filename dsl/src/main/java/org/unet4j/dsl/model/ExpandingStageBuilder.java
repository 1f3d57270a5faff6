package org.unet4j.dsl.model;

import org.jspecify.annotations.Nullable;
import org.unet4j.dsl.SpecException;

/**
 * Declares an expanding stage: {@code s.conv(3).conv(3).attentionSkip()}. Besides what every stage
 * declares ({@link StageOptions}), it says how the coarser map is brought up (the up-convolution's
 * channels, or bilinear upsampling) and how the skip from the contracting stage at its level is used.
 */
public final class ExpandingStageBuilder extends StageOptions<ExpandingStageBuilder> {
  private @Nullable SkipMode skip;
  private @Nullable Upsampling upsampling;
  private int upConvFilters;

  ExpandingStageBuilder(String path) {
    super(path);
  }

  @Override
  ExpandingStageBuilder self() {
    return this;
  }

  /** 3D nets: planar 1 x k x k convolutions; the stage up-samples by its contracting partner's pooling. */
  public ExpandingStageBuilder planar() {
    return kernelZ(1);
  }

  /** Output channels of the up-convolution, when they differ from the stage's filters. */
  public ExpandingStageBuilder upConvFilters(int filters) {
    this.upConvFilters = filters;
    return this;
  }

  /** How the coarser map is brought up to this level ({@link Upsampling}). */
  public ExpandingStageBuilder upsampling(Upsampling upsampling) {
    this.upsampling = upsampling;
    return this;
  }

  /** Bilinear upsampling and a learnt 3x3 convolution instead of the up-convolution. */
  public ExpandingStageBuilder bilinearUpsampling() {
    return upsampling(Upsampling.BILINEAR);
  }

  /** How the skip from the contracting stage at this level is used. */
  public ExpandingStageBuilder skip(SkipMode mode) {
    this.skip = mode;
    return this;
  }

  /** An attention-gated skip ({@link SkipMode#ATTENTION}). */
  public ExpandingStageBuilder attentionSkip() {
    return skip(SkipMode.ATTENTION);
  }

  /** No skip connection at this level. */
  public ExpandingStageBuilder noSkip() {
    return skip(SkipMode.NONE);
  }

  ExpandingStageSpec toExpanding(int filters, ModelBuilder defaults) {
    try {
      return new ExpandingStageSpec(filters, convs(defaults), kernel(defaults), padding(defaults),
          activation(defaults), normalization(defaults), dropout, skip != null ? skip : defaults.skip,
          upConvFilters, kernelZ, groups(defaults), leakySlope(defaults), residual(defaults),
          upsampling != null ? upsampling : defaults.upsampling, kernels());
    } catch (SpecException e) {
      throw e.under(path);
    }
  }
}
