package org.unet4j.dsl.model;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Declares the expanding path from the bottleneck up: {@code e.stage(512, s -> s.conv(3).conv(3))}.
 * Stage {@code i} pairs with contracting stage {@code depth - 1 - i}; declaring fewer stages than
 * the contracting path has gives a coarser output.
 */
public final class ExpandingBuilder {
  private final List<Integer> filters = new ArrayList<>();
  private final List<ExpandingStageBuilder> stages = new ArrayList<>();

  ExpandingBuilder() {}

  /** Adds the next stage up: a 2x2 up-convolution to {@code filters} channels, skip, convolutions. */
  public ExpandingBuilder stage(int filters, Consumer<ExpandingStageBuilder> stage) {
    ExpandingStageBuilder builder = new ExpandingStageBuilder("expanding[" + stages.size() + "]");
    stage.accept(builder);
    this.filters.add(filters);
    this.stages.add(builder);
    return this;
  }

  /** Adds the next stage up with the model's default convolutions and a centre-cropped skip. */
  public ExpandingBuilder stage(int filters) {
    return stage(filters, s -> {});
  }

  List<ExpandingStageSpec> build(ModelBuilder defaults) {
    List<ExpandingStageSpec> specs = new ArrayList<>();
    for (int i = 0; i < stages.size(); i++) {
      specs.add(stages.get(i).toExpanding(filters.get(i), defaults));
    }
    return specs;
  }
}
