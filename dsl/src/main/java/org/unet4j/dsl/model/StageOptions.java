package org.unet4j.dsl.model;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.unet4j.dsl.SpecException;

/**
 * What every stage declares, contracting, bottleneck or expanding: its convolutions, their
 * normalization and activation, residual, dropout. {@link StageBuilder} (contracting stages and the
 * bottleneck) and {@link ExpandingStageBuilder} add what only their kind of stage has, so that a
 * skip or an upsampling cannot be given to a contracting stage: such a call does not compile.
 * Whatever is not said here comes from the model builder's defaults when the model is built.
 *
 * @param <B> the concrete builder, returned by every setter so that calls chain
 */
public abstract class StageOptions<B extends StageOptions<B>> {
  final String path;
  private @Nullable Integer convs;
  private @Nullable Integer kernel;
  private final List<Integer> convKernels = new ArrayList<>();
  private @Nullable Padding padding;
  private @Nullable Activation activation;
  private @Nullable Normalization normalization;
  double dropout;
  int kernelZ;
  private @Nullable Integer groups;
  private @Nullable Double leakySlope;
  private @Nullable Boolean residual;

  StageOptions(String path) {
    this.path = path;
  }

  /** This builder, as its own type. */
  abstract B self();

  /**
   * Adds one {@code kernel x kernel} convolution after those declared so far; each convolution has
   * its own kernel size ({@code conv(3).conv(5)}: a 3x3 then a 5x5 convolution).
   */
  public B conv(int kernel) {
    this.convKernels.add(kernel);
    this.convs = convs == null ? 1 : convs + 1;
    return self();
  }

  /** Sets the number of convolutions at once (instead of calling {@link #conv} repeatedly). */
  public B convs(int count) {
    this.convs = count;
    return self();
  }

  /** The kernel size of every convolution of this stage, those declared by {@link #conv} so far included. */
  public B kernel(int size) {
    this.kernel = size;
    this.convKernels.replaceAll(k -> size);
    return self();
  }

  /**
   * 3D nets: the kernel size along z (odd); 1 gives planar 1 x k x k convolutions for stacks whose z
   * spacing is coarser than x/y. Unset, kernels are k x k x k.
   */
  public B kernelZ(int size) {
    this.kernelZ = size;
    return self();
  }

  public B padding(Padding padding) {
    this.padding = padding;
    return self();
  }

  public B activation(Activation activation) {
    this.activation = activation;
    return self();
  }

  public B normalization(Normalization normalization) {
    this.normalization = normalization;
    return self();
  }

  /** Batch normalization after every convolution of this stage. */
  public B batchNorm() {
    return normalization(Normalization.BATCH);
  }

  /** Group normalization in {@code groups} channel groups after every convolution of this stage. */
  public B groupNorm(int groups) {
    this.groups = groups;
    return normalization(Normalization.GROUP);
  }

  /** Instance normalization (one group per channel) after every convolution of this stage. */
  public B instanceNorm() {
    return normalization(Normalization.INSTANCE);
  }

  /** Leaky ReLU with {@code slope} for negative inputs after every convolution of this stage. */
  public B leakyRelu(double slope) {
    this.leakySlope = slope;
    return activation(Activation.LEAKY_RELU);
  }

  /**
   * A residual stage: its input, centre-cropped to its output when the convolutions are unpadded
   * and through a 1x1 projection when the channels change, is added to the last convolution
   * before its activation.
   */
  public B residual() {
    this.residual = true;
    return self();
  }

  /** Dropout after the stage's last convolution, active only in training. */
  public B dropout(double rate) {
    this.dropout = rate;
    return self();
  }

  void refuse(int value, String setting, String why) {
    if (value != 0) {
      throw new SpecException(path + "." + setting, why + "; drop " + setting + "(" + value + ") here");
    }
  }

  int convs(ModelBuilder d) {
    return convs != null ? convs : d.convsPerStage;
  }

  /** The first convolution's kernel: the stage's first {@link #conv}, else its {@link #kernel}, else the model's. */
  int kernel(ModelBuilder d) {
    if (!convKernels.isEmpty()) {
      return convKernels.get(0);
    }
    return kernel != null ? kernel : d.kernel;
  }

  /**
   * Each convolution's kernel as {@link #conv} declared them; empty when they are all one size,
   * whatever the number of convolutions ({@code conv(3).convs(3)}: three 3x3 convolutions).
   */
  List<Integer> kernels() {
    boolean uniform = convKernels.stream().distinct().count() <= 1;
    return uniform ? List.of() : List.copyOf(convKernels);
  }

  Padding padding(ModelBuilder d) {
    return padding != null ? padding : d.padding;
  }

  Activation activation(ModelBuilder d) {
    return activation != null ? activation : d.activation;
  }

  Normalization normalization(ModelBuilder d) {
    return normalization != null ? normalization : d.normalization;
  }

  /** The stage's groups, or the model's when this stage is group-normalised without saying how. */
  int groups(ModelBuilder d) {
    if (groups != null) {
      return groups;
    }
    return normalization(d) == Normalization.GROUP ? d.groups : 0;
  }

  /** The stage's slope, or the model's when this stage has leaky ReLU without saying which. */
  double leakySlope(ModelBuilder d) {
    if (leakySlope != null) {
      return leakySlope;
    }
    return activation(d) == Activation.LEAKY_RELU ? d.leakySlope : Activation.DEFAULT_LEAKY_SLOPE;
  }

  boolean residual(ModelBuilder d) {
    return residual != null ? residual : d.residual;
  }
}
