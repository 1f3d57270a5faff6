package org.unet4j.losses;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A training loss: builds the ops that reduce a batch's logits, labels and weights to one scalar to
 * minimise. The built-in losses come from {@link Losses#of}; a custom one is a lambda, in Kotlin
 * {@code Loss { tf, inputs -> ... }}.
 *
 * <p>Implementations must use only ops that have a gradient in TensorFlow Java (see
 * {@code TFJAVA.md}); the trainer differentiates the result w.r.t. the model's variables.
 */
@FunctionalInterface
public interface Loss {

  /**
   * Adds this loss to the graph of {@code tf} and returns it as a scalar.
   *
   * @param tf the ops to build with, usually scoped (e.g. under {@code loss})
   * @param inputs the logits, labels and weights of one batch
   */
  Operand<TFloat32> build(Ops tf, LossInputs inputs);
}
