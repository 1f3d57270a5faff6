package org.unet4j.losses;

import static com.google.common.base.Preconditions.checkNotNull;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.unet4j.dsl.model.OutputActivation;

/**
 * What a {@link Loss} reads for one batch of B tiles of H x W output pixels and C classes.
 *
 * <p>Build it with {@link #of}, which derives {@link #oneHot()} from the labels once so every term
 * of a combined loss shares it. The weight map (eq. 2) is computed outside the graph, in Java, and
 * fed like the labels; losses other than the weighted cross-entropy ignore it, and TensorFlow then
 * does not require it to be fed.
 *
 * @param logits the head's output before the activation, float32 [B, H, W, C]
 * @param labels the class index of every pixel, int32 [B, H, W], each in [0, C) or {@link #IGNORED};
 *     for one sigmoid channel (C = 1) label 1 is the foreground and 0 the background
 * @param oneHot the labels as float32 targets [B, H, W, C]: one-hot over the C classes, or for
 *     C = 1 the single foreground indicator (label == 1); all 0 on ignored pixels
 * @param weights the per-pixel weight w(x) of eq. 1, float32 [B, H, W]
 * @param scored 1 where the pixel counts, 0 where its label is {@link #IGNORED}, float32 [B, H, W]:
 *     every built-in loss multiplies its pixel terms (and Dice its sums) by it, so an ignored pixel
 *     changes neither the loss nor its gradient
 * @param classes the number of classes C (the logits' channels)
 * @param activation how logits become probabilities: a soft-max over C, or a sigmoid per channel
 */
public record LossInputs(
    Operand<TFloat32> logits,
    Operand<TInt32> labels,
    Operand<TFloat32> oneHot,
    Operand<TFloat32> weights,
    Operand<TFloat32> scored,
    int classes,
    OutputActivation activation) {

  /** The label of a pixel no loss sees (the data spec's ignore label); any negative label counts. */
  public static final int IGNORED = -1;

  public LossInputs {
    checkNotNull(logits, "logits");
    checkNotNull(labels, "labels");
    checkNotNull(oneHot, "oneHot");
    checkNotNull(weights, "weights");
    checkNotNull(scored, "scored");
    checkNotNull(activation, "activation");
    checkClasses(classes, activation);
    checkShape("logits", logits.shape(), 4, classes);
    checkShape("scored", scored.shape(), 3, -1);
    checkShape("oneHot", oneHot.shape(), 4, classes);
    checkShape("labels", labels.shape(), 3, -1);
    checkShape("weights", weights.shape(), 3, -1);
  }

  /**
   * The inputs of a loss with the one-hot targets and the scored pixels built from {@code labels} in
   * the graph of {@code tf} ({@code OneHot} has no gradient, but labels are not differentiated).
   *
   * @throws IllegalArgumentException when {@code classes} is below 1, is 1 with a soft-max (whose
   *     single probability is always 1), or disagrees with the logits' static shape
   */
  public static LossInputs of(
      Ops tf,
      Operand<TFloat32> logits,
      Operand<TInt32> labels,
      Operand<TFloat32> weights,
      int classes,
      OutputActivation activation) {
    checkNotNull(tf, "tf");
    checkNotNull(labels, "labels");
    checkNotNull(activation, "activation");
    checkClasses(classes, activation);
    // Check what OneHot reads before building it, so a bad label shape is reported as such.
    checkShape("labels", labels.shape(), 3, -1);
    Operand<TFloat32> scored = tf.dtypes.cast(tf.math.greaterEqual(labels, tf.constant(0)), TFloat32.class);
    return new LossInputs(logits, labels, oneHot(tf, labels, classes), weights, scored, classes, activation);
  }

  /** As {@link #of}, with every pixel weighted 1 (for losses that take no weight map). */
  public static LossInputs unweighted(
      Ops tf, Operand<TFloat32> logits, Operand<TInt32> labels, int classes, OutputActivation activation) {
    checkNotNull(tf, "tf");
    checkNotNull(labels, "labels");
    Operand<TFloat32> ones = tf.onesLike(tf.dtypes.cast(labels, TFloat32.class));
    return of(tf, logits, labels, ones, classes, activation);
  }

  private static Operand<TFloat32> oneHot(Ops tf, Operand<TInt32> labels, int classes) {
    if (classes == 1) {
      // One sigmoid channel models the foreground: the target is 1 where the label is 1.
      Operand<TFloat32> foreground = tf.dtypes.cast(tf.math.equal(labels, tf.constant(1)), TFloat32.class);
      return tf.expandDims(foreground, tf.constant(-1));
    }
    // OneHot gives a row of zeros for an index outside [0, C): an ignored label is no class.
    return tf.oneHot(labels, tf.constant(classes), tf.constant(1f), tf.constant(0f));
  }

  private static void checkClasses(int classes, OutputActivation activation) {
    if (classes < 1) {
      throw new IllegalArgumentException("classes: expected at least 1, got " + classes);
    }
    if (classes == 1 && activation == OutputActivation.SOFTMAX) {
      throw new IllegalArgumentException("classes: a soft-max over 1 class is always 1 and cannot be"
          + " trained; use 2 classes (background, foreground) or the sigmoid output activation");
    }
  }

  /** Checks what is known statically; a placeholder of unknown shape passes. */
  private static void checkShape(String name, Shape shape, int rank, long channels) {
    if (shape.isUnknown()) {
      return;
    }
    if (shape.numDimensions() != rank) {
      throw new IllegalArgumentException(name + ": expected rank " + rank
          + (rank == 4 ? " [B, H, W, C]" : " [B, H, W]") + ", got shape " + shape);
    }
    long c = shape.size(rank - 1);
    if (channels > 0 && c >= 0 && c != channels) {
      throw new IllegalArgumentException(name + ": " + c + " channels but the loss expects "
          + channels + " classes, got shape " + shape);
    }
  }
}
