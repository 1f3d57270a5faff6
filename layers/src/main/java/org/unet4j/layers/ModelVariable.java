package org.unet4j.layers;

import static com.google.common.base.Preconditions.checkNotNull;

import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * A variable of a compiled model: its spec path ({@code contracting/2/conv1/kernel}, also its op
 * name in the graph and its key in checkpoints), the variable, and whether training updates it by
 * gradient. Batch-norm moving averages are not trainable: the model's
 * {@link CompiledModel#movingAverageUpdate()} updates them.
 */
public record ModelVariable(String path, Variable<TFloat32> variable, boolean trainable) {

  public ModelVariable {
    checkNotNull(path, "path");
    checkNotNull(variable, "variable");
  }

  /** The static shape, e.g. {@code [3, 3, 64, 128]} for a kernel. */
  public Shape shape() {
    return variable.shape();
  }

  /** Number of scalars held. */
  public long size() {
    return variable.shape().size();
  }
}
