package org.unet4j.losses;

import static com.google.common.base.Preconditions.checkNotNull;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TType;
import org.unet4j.dsl.model.OutputActivation;

/**
 * What a {@link Loss} reads for one batch of B tiles of H x W output pixels and C classes, or of
 * a 3D net's B blocks of D x H x W output voxels: then logits and one-hot targets are rank 5
 * [B, D, H, W, C] and labels and weights rank 4 [B, D, H, W] ({@link #volumes()}).
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
    int rank = logits.shape().isUnknown() ? 4 : logits.shape().numDimensions();
    if (rank != 4 && rank != 5) {
      throw new IllegalArgumentException("logits: expected rank 4 [B, H, W, C] or 5 [B, D, H, W, C], got shape "
          + logits.shape());
    }
    checkShape("logits", logits.shape(), rank, classes);
    checkShape("labels", labels.shape(), rank - 1, -1);
    checkShape("oneHot", oneHot.shape(), rank, classes);
    checkShape("weights", weights.shape(), rank - 1, -1);
    checkShape("scored", scored.shape(), rank - 1, -1);
  }

  /** Whether these are a 3D net's inputs: rank-5 logits [B, D, H, W, C]. */
  public boolean volumes() {
    return !logits.shape().isUnknown() && logits.shape().numDimensions() == 5;
  }

  /**
   * The same inputs with a volume's planes as images: [B, D, H, W, ...] reshaped to
   * [B * D, H, W, ...], so that a loss written for images, which averages over pixels or sums over
   * the batch, gives the volume's loss; these inputs themselves when they are images.
   */
  public LossInputs planes(Ops tf) {
    checkNotNull(tf, "tf");
    if (!volumes()) {
      return this;
    }
    return new LossInputs(foldDepth(tf, logits, 5), foldDepth(tf, labels, 4), foldDepth(tf, oneHot, 5),
        foldDepth(tf, weights, 4), foldDepth(tf, scored, 4), classes, activation);
  }

  /** [B, D, rest...] to [B * D, rest...], the rest from the runtime shape. */
  private static <T extends TType> Operand<T> foldDepth(Ops tf, Operand<T> x, int rank) {
    Operand<TInt32> rest = tf.slice(tf.shape(x), tf.constant(new int[] {2}), tf.constant(new int[] {rank - 2}));
    return tf.reshape(x, tf.concat(List.of(tf.constant(new int[] {-1}), rest), tf.constant(0)));
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
    checkShape("labels", labels.shape(), labels.shape().isUnknown() || labels.shape().numDimensions() != 4 ? 3 : 4,
        -1);
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
          + switch (rank) {
            case 5 -> " [B, D, H, W, C]";
            case 4 -> name.equals("logits") || name.equals("oneHot") ? " [B, H, W, C]" : " [B, D, H, W]";
            default -> " [B, H, W]";
          } + ", got shape " + shape);
    }
    long c = shape.size(rank - 1);
    if (channels > 0 && c >= 0 && c != channels) {
      throw new IllegalArgumentException(name + ": " + c + " channels but the loss expects "
          + channels + " classes, got shape " + shape);
    }
  }
}
