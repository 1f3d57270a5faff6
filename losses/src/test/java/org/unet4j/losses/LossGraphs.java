package org.unet4j.losses;

import java.util.HashMap;
import java.util.Map;
import org.unet4j.dsl.recipe.LossSpec;

/**
 * The graphs of a test class's losses. A loss graph depends only on the activation, the classes and
 * the spec (the batch is fed), so the tests share one per combination; closed after the class.
 */
final class LossGraphs implements AutoCloseable {
  private final Map<String, GraphLoss> graphs = new HashMap<>();

  GraphLoss of(Batch b, LossSpec spec) {
    return graphs.computeIfAbsent(b.activation() + " " + b.classes() + " " + spec,
        key -> new GraphLoss(Losses.of(spec), b.classes(), b.activation()));
  }

  @Override
  public void close() {
    graphs.values().forEach(GraphLoss::close);
    graphs.clear();
  }
}
