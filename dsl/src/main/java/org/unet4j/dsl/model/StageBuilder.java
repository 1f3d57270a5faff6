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

  /** Expanding stages only: no skip connection at this level. */
  public StageBuilder noSkip() {
    return skip(SkipMode.NONE);
  }

  StageSpec toStage(int filters, ModelBuilder defaults) {
    if (skip != null) {
      throw new SpecException(path + ".skip", "only expanding stages have a skip connection; drop skip()/noSkip()"
          + " here or move it to the expanding stage of this level");
    }
    try {
      return new StageSpec(filters, convs(defaults), kernel(defaults), padding(defaults), activation(defaults),
          normalization(defaults), dropout);
    } catch (SpecException e) {
      throw e.under(path);
    }
  }

  ExpandingStageSpec toExpanding(int filters, ModelBuilder defaults) {
    try {
      return new ExpandingStageSpec(filters, convs(defaults), kernel(defaults), padding(defaults),
          activation(defaults), normalization(defaults), dropout, skip != null ? skip : SkipMode.CENTER_CROP);
    } catch (SpecException e) {
      throw e.under(path);
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
}
