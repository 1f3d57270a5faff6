package org.unet4j.dsl.model;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Declares the contracting path stage by stage: {@code c.stage(64, s -> s.conv(3).conv(3))}. */
public final class ContractingBuilder {
  private final List<Integer> filters = new ArrayList<>();
  private final List<StageBuilder> stages = new ArrayList<>();

  ContractingBuilder() {}

  /** Adds the next stage down, with {@code filters} output channels; pooling follows it. */
  public ContractingBuilder stage(int filters, Consumer<StageBuilder> stage) {
    StageBuilder builder = new StageBuilder("contracting[" + stages.size() + "]");
    stage.accept(builder);
    this.filters.add(filters);
    this.stages.add(builder);
    return this;
  }

  /** Adds the next stage down with the model's default convolutions. */
  public ContractingBuilder stage(int filters) {
    return stage(filters, s -> {});
  }

  List<StageSpec> build(ModelBuilder defaults) {
    List<StageSpec> specs = new ArrayList<>();
    for (int i = 0; i < stages.size(); i++) {
      specs.add(stages.get(i).toStage(filters.get(i), defaults));
    }
    return specs;
  }
}
