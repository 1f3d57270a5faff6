package org.unet4j.dsl.model;

import org.unet4j.dsl.SpecException;

/**
 * Declares a contracting stage or the bottleneck: {@code s.conv(3).conv(3).dropout(0.5)}. It has no
 * skip or upsampling setters: those belong to {@link ExpandingStageBuilder}.
 */
public final class StageBuilder extends StageOptions<StageBuilder> {
  private int firstConvFilters;
  private int poolZ;

  StageBuilder(String path) {
    super(path);
  }

  @Override
  StageBuilder self() {
    return this;
  }

  /**
   * 3D nets, contracting stages only: the pooling window and stride along z after this stage (1:
   * pool x/y only, 1 x 2 x 2); the paired expanding stage up-convolves by the same factor. Unset,
   * the model's pooling size.
   */
  public StageBuilder poolZ(int size) {
    this.poolZ = size;
    return this;
  }

  /**
   * 3D nets: a stage for data whose z spacing is coarser than x/y, as the 3D U-Net's successors
   * use in their first stages: 1 x k x k convolutions and, after a contracting stage, 1 x p x p
   * pooling (z is neither convolved nor pooled).
   */
  public StageBuilder planar() {
    this.poolZ = path.startsWith("contracting") ? 1 : 0;
    return kernelZ(1);
  }

  /** Output channels of the stage's first convolution, when they differ from the stage's filters. */
  public StageBuilder firstConvFilters(int filters) {
    this.firstConvFilters = filters;
    return this;
  }

  StageSpec toStage(int filters, ModelBuilder defaults) {
    try {
      return new StageSpec(filters, convs(defaults), kernel(defaults), padding(defaults), activation(defaults),
          normalization(defaults), dropout, firstConvFilters, kernelZ, poolZ, groups(defaults), leakySlope(defaults),
          residual(defaults), kernels());
    } catch (SpecException e) {
      throw e.under(path);
    }
  }

  StageSpec toBottleneck(int filters, ModelBuilder defaults) {
    refuse(poolZ, "poolZ", "the bottleneck is not pooled");
    return toStage(filters, defaults);
  }
}
