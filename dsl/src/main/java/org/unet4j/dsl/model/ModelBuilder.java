package org.unet4j.dsl.model;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.unet4j.dsl.SpecException;

/**
 * A short-lived, mutable description of a {@link ModelSpec}; {@link #build()} validates it all at
 * once. Either describe the family ({@code depth(4).baseFilters(64)}: filters double at every
 * stage, the expanding path mirrors the contracting one) or declare every stage.
 */
public final class ModelBuilder {
  int inputChannels = 1;
  int classes = 2;
  private int dimensions = 2;
  int convsPerStage = 2;
  int kernel = 3;
  Padding padding = Padding.VALID;
  Activation activation = Activation.RELU;
  Normalization normalization = Normalization.NONE;
  int groups;
  double leakySlope = Activation.DEFAULT_LEAKY_SLOPE;
  boolean residual;
  SkipMode skip = SkipMode.CENTER_CROP;
  Upsampling upsampling = Upsampling.UP_CONV;
  private Pooling pooling = Pooling.max(2);
  private @Nullable Integer depth;
  private int baseFilters = 64;
  private double dropout;
  private @Nullable ContractingBuilder contracting;
  private @Nullable Integer bottleneckFilters;
  private @Nullable StageBuilder bottleneck;
  private @Nullable ExpandingBuilder expanding;
  private HeadSpec head = HeadSpec.paper();

  ModelBuilder() {}

  /** Channels of the input image (1 for grayscale microscopy). */
  public ModelBuilder inputChannels(int channels) {
    this.inputChannels = channels;
    return this;
  }

  /** Output classes K of the pixel-wise soft-max (2 in the paper). */
  public ModelBuilder classes(int classes) {
    this.classes = classes;
    return this;
  }

  /**
   * 2 for images (the default), 3 for volumes: every kernel, pooling and up-convolution gains a z
   * extent, the same as in-plane unless a stage sets its own ({@link StageBuilder#kernelZ},
   * {@link StageBuilder#poolZ}, {@link StageBuilder#planar}).
   */
  public ModelBuilder dimensions(int dimensions) {
    this.dimensions = dimensions;
    return this;
  }

  /** Family shortcut: number of poolings (4 in the paper). */
  public ModelBuilder depth(int depth) {
    this.depth = depth;
    return this;
  }

  /** Family shortcut: filters of the first stage, doubled at every stage down (64 in the paper). */
  public ModelBuilder baseFilters(int filters) {
    this.baseFilters = filters;
    return this;
  }

  /** Family shortcut: dropout at the end of the contracting path (last stage and bottleneck). */
  public ModelBuilder dropout(double rate) {
    this.dropout = rate;
    return this;
  }

  /** Default number of convolutions in a stage that does not declare its own. */
  public ModelBuilder convsPerStage(int convs) {
    this.convsPerStage = convs;
    return this;
  }

  /** Default kernel size of a stage that does not declare its own. */
  public ModelBuilder kernel(int size) {
    this.kernel = size;
    return this;
  }

  /** Default padding of a stage that does not declare its own. */
  public ModelBuilder padding(Padding padding) {
    this.padding = padding;
    return this;
  }

  /** Default activation of a stage that does not declare its own. */
  public ModelBuilder activation(Activation activation) {
    this.activation = activation;
    return this;
  }

  /** Default normalization of a stage that does not declare its own. */
  public ModelBuilder normalization(Normalization normalization) {
    this.normalization = normalization;
    return this;
  }

  /** Batch normalization in every stage that does not declare otherwise. */
  public ModelBuilder batchNorm() {
    return normalization(Normalization.BATCH);
  }

  /** Group normalization in {@code groups} channel groups in every stage that does not declare otherwise. */
  public ModelBuilder groupNorm(int groups) {
    this.groups = groups;
    return normalization(Normalization.GROUP);
  }

  /** Instance normalization in every stage that does not declare otherwise. */
  public ModelBuilder instanceNorm() {
    return normalization(Normalization.INSTANCE);
  }

  /** Leaky ReLU with {@code slope} for negative inputs in every stage that does not declare otherwise. */
  public ModelBuilder leakyRelu(double slope) {
    this.leakySlope = slope;
    return activation(Activation.LEAKY_RELU);
  }

  /** Every stage residual (see {@link StageBuilder#residual()}), contracting, bottleneck and expanding. */
  public ModelBuilder residual() {
    this.residual = true;
    return this;
  }

  /** The skip of every expanding stage that does not declare its own ({@link SkipMode#CENTER_CROP} unless set). */
  public ModelBuilder skip(SkipMode mode) {
    this.skip = mode;
    return this;
  }

  /** Attention-gated skips ({@link SkipMode#ATTENTION}) in every expanding stage that does not declare otherwise. */
  public ModelBuilder attentionSkips() {
    return skip(SkipMode.ATTENTION);
  }

  /**
   * How every expanding stage that does not declare its own up-samples ({@link Upsampling#UP_CONV}
   * unless set).
   */
  public ModelBuilder upsampling(Upsampling upsampling) {
    this.upsampling = upsampling;
    return this;
  }

  /** Bilinear upsampling and a learnt 3x3 convolution ({@link Upsampling#BILINEAR}) in every expanding stage. */
  public ModelBuilder bilinearUpsampling() {
    return upsampling(Upsampling.BILINEAR);
  }

  /** Down-sampling between stages ({@code Pooling.max(2)} in the paper). */
  public ModelBuilder pooling(Pooling pooling) {
    this.pooling = pooling;
    return this;
  }

  /**
   * Down-sampling between stages by kind and window; unlike {@code Pooling.max(size)}, whose
   * record reports a bad size as {@code size}, a bad size here is reported as {@code pooling.size}.
   */
  public ModelBuilder pooling(PoolingKind kind, int size) {
    try {
      this.pooling = new Pooling(kind, size);
    } catch (SpecException e) {
      throw e.under("pooling");
    }
    return this;
  }

  /** Declares the contracting path stage by stage. */
  public ModelBuilder contracting(Consumer<ContractingBuilder> stages) {
    ContractingBuilder builder = new ContractingBuilder();
    stages.accept(builder);
    this.contracting = builder;
    return this;
  }

  /** Declares the bottleneck below the last pooling. */
  public ModelBuilder bottleneck(int filters, Consumer<StageBuilder> stage) {
    StageBuilder builder = new StageBuilder("bottleneck");
    stage.accept(builder);
    this.bottleneckFilters = filters;
    this.bottleneck = builder;
    return this;
  }

  /** Declares the bottleneck with the default convolutions. */
  public ModelBuilder bottleneck(int filters) {
    return bottleneck(filters, s -> {});
  }

  /** Declares the expanding path stage by stage, from the bottleneck up. */
  public ModelBuilder expanding(Consumer<ExpandingBuilder> stages) {
    ExpandingBuilder builder = new ExpandingBuilder();
    stages.accept(builder);
    this.expanding = builder;
    return this;
  }

  /**
   * The paper's expanding path (the default): one stage per contracting stage, each with the
   * filters, convolutions and kernels of its contracting partner and a centre-cropped skip.
   */
  public ModelBuilder expandingMirrorsContracting() {
    this.expanding = null;
    return this;
  }

  /** The final convolution ({@code 1} in the paper) and the output activation. */
  public ModelBuilder head(int kernel, OutputActivation activation) {
    try {
      this.head = new HeadSpec(kernel, activation);
    } catch (SpecException e) {
      throw e.under("head");
    }
    return this;
  }

  /** Validates everything and returns the spec; a {@link SpecException} names the offending path. */
  public ModelSpec build() {
    List<StageSpec> down = contractingStages();
    StageSpec bottom = bottleneckStage(down);
    List<ExpandingStageSpec> up = expanding != null ? expanding.build(this) : mirror(down, skip, upsampling);
    return new ModelSpec(inputChannels, classes, dimensions, pooling, down, bottom, up, head);
  }

  private List<StageSpec> contractingStages() {
    if (contracting != null) {
      List<StageSpec> stages = contracting.build(this);
      if (depth != null && depth != stages.size()) {
        throw new SpecException("contracting", "depth(" + depth + ") was set but " + stages.size()
            + " stages were declared; drop depth() or declare " + depth + " stages");
      }
      return stages;
    }
    int d = depth != null ? depth : 4;
    if (d < 1 || d > ModelSpec.MAX_DEPTH) {
      throw new SpecException("depth", "expected 1.." + ModelSpec.MAX_DEPTH + ", got " + d);
    }
    if (baseFilters < 1 || (long) baseFilters << d > 65536) {
      throw new SpecException("baseFilters", "expected 1.." + (65536 >> d) + " at depth " + d + ", got " + baseFilters);
    }
    List<StageSpec> stages = new ArrayList<>();
    for (int level = 0; level < d; level++) {
      String path = "contracting[" + level + "]";
      StageSpec stage = new StageBuilder(path).toStage(baseFilters << level, this);
      // != 0 rather than > 0: a negative rate must reach validation, not vanish
      stages.add(level == d - 1 && dropout != 0 ? withDropout(path, stage) : stage);
    }
    return stages;
  }

  private StageSpec bottleneckStage(List<StageSpec> down) {
    if (bottleneck != null && bottleneckFilters != null) {
      return bottleneck.toBottleneck(bottleneckFilters, this);
    }
    int filters = down.isEmpty() ? baseFilters : down.get(down.size() - 1).filters() * 2;
    StageSpec stage = new StageBuilder("bottleneck").toBottleneck(filters, this);
    return dropout != 0 ? withDropout("bottleneck", stage) : stage;
  }

  private StageSpec withDropout(String path, StageSpec stage) {
    try {
      return stage.withDropout(dropout);
    } catch (SpecException e) {
      throw e.under(path);
    }
  }

  private static List<ExpandingStageSpec> mirror(List<StageSpec> down, SkipMode skip, Upsampling upsampling) {
    List<ExpandingStageSpec> up = new ArrayList<>();
    for (int level = down.size() - 1; level >= 0; level--) {
      StageSpec s = down.get(level);
      up.add(new ExpandingStageSpec(s.filters(), s.convs(), s.kernel(), s.padding(), s.activation(),
          s.normalization(), 0.0, skip, 0, s.kernelZ(), s.groups(), s.leakySlope(),
          s.residual(), upsampling, s.kernels()));
    }
    return up;
  }
}
