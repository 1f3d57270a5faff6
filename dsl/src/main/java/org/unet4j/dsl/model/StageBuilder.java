package org.unet4j.dsl.model;

import org.jspecify.annotations.Nullable;
import org.unet4j.dsl.SpecException;

/**
 * Declares one stage: {@code s.conv(3).conv(3).dropout(0.5)}. Whatever is not said here comes
 * from the model builder's defaults when the model is built.
 */
public final class StageBuilder {
  private final String path;
  private @Nullable Integer convs;
  private @Nullable Integer kernel;
  private @Nullable Padding padding;
  private @Nullable Activation activation;
  private @Nullable Normalization normalization;
  private double dropout;
  private @Nullable SkipMode skip;
  private @Nullable Upsampling upsampling;
  private int firstConvFilters;
  private int upConvFilters;
  private int kernelZ;
  private int poolZ;
  private @Nullable Integer groups;
  private @Nullable Double leakySlope;
  private @Nullable Boolean residual;

  StageBuilder(String path) {
    this.path = path;
  }

  /** Adds one {@code kernel x kernel} convolution; all convolutions of a stage share one kernel. */
  public StageBuilder conv(int kernel) {
    if (this.kernel != null && this.kernel != kernel) {
      throw new SpecException(path, "the convolutions of a stage share one kernel size; got " + this.kernel
          + " then " + kernel);
    }
    this.kernel = kernel;
    this.convs = convs == null ? 1 : convs + 1;
    return this;
  }

  /** Sets the number of convolutions at once (instead of calling {@link #conv} repeatedly). */
  public StageBuilder convs(int count) {
    this.convs = count;
    return this;
  }

  /** The kernel size of this stage's convolutions. */
  public StageBuilder kernel(int size) {
    this.kernel = size;
    return this;
  }

  /**
   * 3D nets: the kernel size along z (odd); 1 gives planar 1 x k x k convolutions for stacks whose z
   * spacing is coarser than x/y. Unset, kernels are k x k x k.
   */
  public StageBuilder kernelZ(int size) {
    this.kernelZ = size;
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
    this.kernelZ = 1;
    this.poolZ = path.startsWith("contracting") ? 1 : 0;
    return this;
  }

  /** Output channels of the stage's first convolution, when they differ from the stage's filters. */
  public StageBuilder firstConvFilters(int filters) {
    this.firstConvFilters = filters;
    return this;
  }

  /** Expanding stages only: output channels of the up-convolution, when they differ from the stage's filters. */
  public StageBuilder upConvFilters(int filters) {
    this.upConvFilters = filters;
    return this;
  }

  public StageBuilder padding(Padding padding) {
    this.padding = padding;
    return this;
  }

  public StageBuilder activation(Activation activation) {
    this.activation = activation;
    return this;
  }

  public StageBuilder normalization(Normalization normalization) {
    this.normalization = normalization;
    return this;
  }

  /** Batch normalization after every convolution of this stage. */
  public StageBuilder batchNorm() {
    return normalization(Normalization.BATCH);
  }

  /** Group normalization in {@code groups} channel groups after every convolution of this stage. */
  public StageBuilder groupNorm(int groups) {
    this.groups = groups;
    return normalization(Normalization.GROUP);
  }

  /** Instance normalization (one group per channel) after every convolution of this stage. */
  public StageBuilder instanceNorm() {
    return normalization(Normalization.INSTANCE);
  }

  /** Leaky ReLU with {@code slope} for negative inputs after every convolution of this stage. */
  public StageBuilder leakyRelu(double slope) {
    this.leakySlope = slope;
    return activation(Activation.LEAKY_RELU);
  }

  /**
   * A residual stage: its input, centre-cropped to its output when the convolutions are unpadded
   * and through a 1x1 projection when the channels change, is added to the last convolution
   * before its activation.
   */
  public StageBuilder residual() {
    this.residual = true;
    return this;
  }

  /** Expanding stages only: an attention-gated skip ({@link SkipMode#ATTENTION}). */
  public StageBuilder attentionSkip() {
    return skip(SkipMode.ATTENTION);
  }

  /** Dropout after the stage's last convolution, active only in training. */
  public StageBuilder dropout(double rate) {
    this.dropout = rate;
    return this;
  }

  /** Expanding stages only: how the skip from the contracting stage at this level is used. */
  public StageBuilder skip(SkipMode mode) {
    this.skip = mode;
    return this;
  }

  /** Expanding stages only: how the coarser map is brought up to this level ({@link Upsampling}). */
  public StageBuilder upsampling(Upsampling upsampling) {
    this.upsampling = upsampling;
    return this;
  }

  /** Expanding stages only: bilinear upsampling and a learnt 3x3 convolution instead of the up-convolution. */
  public StageBuilder bilinearUpsampling() {
    return upsampling(Upsampling.BILINEAR);
  }

  /** Expanding stages only: no skip connection at this level. */
  public StageBuilder noSkip() {
    return skip(SkipMode.NONE);
  }

  StageSpec toStage(int filters, ModelBuilder defaults) {
    if (skip != null) {
      throw new SpecException(path + ".skip", "only expanding stages have a skip connection; drop skip()/noSkip()"
          + " here or move it to the expanding stage of this level");
    }
    refuse(upConvFilters, "upConvFilters", "only expanding stages have an up-convolution");
    if (upsampling != null) {
      throw new SpecException(path + ".upsampling", "only expanding stages up-sample; drop upsampling()/"
          + "bilinearUpsampling() here or move it to the expanding stage of this level");
    }
    try {
      return new StageSpec(filters, convs(defaults), kernel(defaults), padding(defaults), activation(defaults),
          normalization(defaults), dropout, firstConvFilters, kernelZ, poolZ, groups(defaults), leakySlope(defaults),
          residual(defaults));
    } catch (SpecException e) {
      throw e.under(path);
    }
  }

  StageSpec toBottleneck(int filters, ModelBuilder defaults) {
    refuse(poolZ, "poolZ", "the bottleneck is not pooled");
    return toStage(filters, defaults);
  }

  ExpandingStageSpec toExpanding(int filters, ModelBuilder defaults) {
    refuse(firstConvFilters, "firstConvFilters", "an expanding stage's convolutions all have its filters; "
        + "its up-convolution's are upConvFilters");
    refuse(poolZ, "poolZ", "expanding stages up-convolve by the pooling of their contracting partner");
    try {
      return new ExpandingStageSpec(filters, convs(defaults), kernel(defaults), padding(defaults),
          activation(defaults), normalization(defaults), dropout, skip != null ? skip : defaults.skip,
          upConvFilters, kernelZ, groups(defaults), leakySlope(defaults), residual(defaults),
          upsampling != null ? upsampling : defaults.upsampling);
    } catch (SpecException e) {
      throw e.under(path);
    }
  }

  private void refuse(int value, String setting, String why) {
    if (value != 0) {
      throw new SpecException(path + "." + setting, why + "; drop " + setting + "(" + value + ") here");
    }
  }

  private int convs(ModelBuilder d) {
    return convs != null ? convs : d.convsPerStage;
  }

  private int kernel(ModelBuilder d) {
    return kernel != null ? kernel : d.kernel;
  }

  private Padding padding(ModelBuilder d) {
    return padding != null ? padding : d.padding;
  }

  private Activation activation(ModelBuilder d) {
    return activation != null ? activation : d.activation;
  }

  private Normalization normalization(ModelBuilder d) {
    return normalization != null ? normalization : d.normalization;
  }

  /** The stage's groups, or the model's when this stage is group-normalised without saying how. */
  private int groups(ModelBuilder d) {
    if (groups != null) {
      return groups;
    }
    return normalization(d) == Normalization.GROUP ? d.groups : 0;
  }

  /** The stage's slope, or the model's when this stage has leaky ReLU without saying which. */
  private double leakySlope(ModelBuilder d) {
    if (leakySlope != null) {
      return leakySlope;
    }
    return activation(d) == Activation.LEAKY_RELU ? d.leakySlope : Activation.DEFAULT_LEAKY_SLOPE;
  }

  private boolean residual(ModelBuilder d) {
    return residual != null ? residual : d.residual;
  }
}
