package org.unet4j.losses;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.unet4j.dsl.model.OutputActivation;
import org.unet4j.dsl.recipe.CombinedLoss;
import org.unet4j.dsl.recipe.CrossEntropyLoss;
import org.unet4j.dsl.recipe.DiceLoss;
import org.unet4j.dsl.recipe.FocalLoss;
import org.unet4j.dsl.recipe.LossSpec;
import org.unet4j.dsl.recipe.LossTerm;
import org.unet4j.dsl.recipe.WeightedCrossEntropyLoss;

/**
 * The graph form of every {@link LossSpec}. Each loss is built under a sub-scope named by its
 * recipe type ({@code weighted-cross-entropy}, {@code dice}, ...; a combined loss nests its terms
 * as {@code combined/0/...}).
 *
 * <p>Conventions shared by all losses (P = B * H * W pixels of the batch):
 * <ul>
 *   <li><b>Mean, not sum.</b> The paper's eq. 1 is the sum over the pixels of
 *       -w(x) log p_l(x)(x); unet4j divides it by P, so the loss and the gradient's scale do not
 *       grow with the tile or batch size and one learning rate fits any tile (a paper learning
 *       rate for a sum corresponds to P times that rate here). The division is by P, not by the
 *       sum of the weights, so a larger w0 still means larger steps near borders, as in the paper.
 *   <li><b>Soft-max</b> cross-entropies use the one-hot labels with
 *       {@code SoftmaxCrossEntropyWithLogits} on [P, C] rows, never the sparse op (no gradient in
 *       TF Java 1.1.0), {@code log(softmax)} (it underflows) or a 4-D {@code LogSoftmax} (its
 *       TF Java gradient sums over axis 1 instead of the class axis).
 *   <li><b>Sigmoid</b> losses treat every channel as an independent binary decision with target
 *       {@link LossInputs#oneHot()}; a pixel's cross-entropy is the sum over its channels (the
 *       negative log-likelihood of its label vector), which for C = 1 is the usual binary one.
 *   <li>Only the weighted cross-entropy reads the weight map; Dice and focal loss ignore it.
 *   <li><b>Ignored pixels</b> (label {@link LossInputs#IGNORED}) count in no loss: every pixel term
 *       is multiplied by {@link LossInputs#scored()} (0 there), Dice leaves them out of both sums,
 *       so neither the value nor the gradient depends on their predictions. The mean still divides
 *       by P, like the weights, so ignoring pixels does not rescale the others' gradient.
 * </ul>
 */
public final class Losses {
  /**
   * Lower bound on the focal loss' base 1 - p_t. Where p_t rounds to 1 the base is 0 and the
   * gradient of {@code Pow} (gamma * base^(gamma - 1)) is infinite or NaN for gamma < 1; the true
   * derivative there is 0, which the floor gives (the floored branch of {@code Maximum} gets none).
   */
  static final float FOCAL_BASE_FLOOR = 1e-30f;

  private static final int CHANNEL_AXIS = 3;

  private Losses() {}

  /**
   * The loss a recipe asks for. On a 3D net's inputs it is the same loss over the volume's planes
   * ({@link LossInputs#planes}): every built-in loss averages over pixels or sums over the batch, so
   * the planes as a batch of images give the mean over voxels (Dice: the sums over all voxels).
   */
  public static Loss of(LossSpec spec) {
    checkNotNull(spec, "spec");
    Loss overImages = overImages(spec);
    return (tf, inputs) -> overImages.build(tf, inputs.planes(tf));
  }

  private static Loss overImages(LossSpec spec) {
    if (spec instanceof WeightedCrossEntropyLoss) {
      // w0, sigma and the class balance shape the weight map, computed outside the graph and fed.
      return (tf, inputs) -> weightedCrossEntropy(tf.withSubScope("weighted-cross-entropy"), inputs);
    }
    if (spec instanceof CrossEntropyLoss) {
      return (tf, inputs) -> crossEntropy(tf.withSubScope("cross-entropy"), inputs);
    }
    if (spec instanceof DiceLoss dice) {
      double smooth = dice.smooth();
      return (tf, inputs) -> dice(tf.withSubScope("dice"), inputs, smooth);
    }
    if (spec instanceof FocalLoss focal) {
      double gamma = focal.gamma();
      return (tf, inputs) -> focal(tf.withSubScope("focal"), inputs, gamma);
    }
    if (spec instanceof CombinedLoss combined) {
      return combined(combined.terms());
    }
    throw new AssertionError("unknown loss spec " + spec.getClass().getName());
  }

  /**
   * The unweighted cross-entropy of every pixel, -log p_l(x)(x), as [B, H, W]: the loss map to look
   * at, and the per-pixel term of eq. 1 before the weight; 0 on ignored pixels. For sigmoid outputs
   * it is the sum of the channels' binary cross-entropies.
   */
  public static Operand<TFloat32> pixelCrossEntropy(Ops tf, LossInputs inputs) {
    checkNotNull(tf, "tf");
    checkNotNull(inputs, "inputs");
    if (inputs.activation() == OutputActivation.SIGMOID) {
      Operand<TFloat32> perChannel = sigmoidCrossEntropy(tf, inputs.logits(), inputs.oneHot());
      return tf.math.mul(inputs.scored(), tf.reduceSum(perChannel, tf.constant(CHANNEL_AXIS)));
    }
    // SoftmaxCrossEntropyWithLogits wants rows of C logits; the labels' shape restores [B, H, W].
    Operand<TInt32> rows = tf.constant(new int[] {-1, inputs.classes()});
    Operand<TFloat32> perRow = tf.nn.softmaxCrossEntropyWithLogits(
        tf.reshape(inputs.logits(), rows), tf.reshape(inputs.oneHot(), rows)).loss();
    // An ignored pixel's zero one-hot row makes its loss 0 but not its gradient (softmax - labels).
    return tf.math.mul(inputs.scored(), tf.reshape(perRow, tf.shape(inputs.labels())));
  }

  /** Eq. 1: the mean over the pixels of w(x) times the pixel's cross-entropy. */
  private static Operand<TFloat32> weightedCrossEntropy(Ops tf, LossInputs inputs) {
    return meanOverPixels(tf, tf.math.mul(inputs.weights(), pixelCrossEntropy(tf, inputs)));
  }

  private static Operand<TFloat32> crossEntropy(Ops tf, LossInputs inputs) {
    return meanOverPixels(tf, pixelCrossEntropy(tf, inputs));
  }

  /**
   * Soft Dice, 1 - mean_c (2 sum(p_c y_c) + s) / (sum p_c + sum y_c + s), over the foreground
   * classes c = 1..C-1 (channel 0 when C = 1). The sums run over the whole batch, so a tile
   * without foreground does not make its own 0/0 ratio; p are the soft-max or sigmoid
   * probabilities (0 on ignored pixels), y the one-hot labels.
   */
  private static Operand<TFloat32> dice(Ops tf, LossInputs inputs, double smooth) {
    Operand<TFloat32> p = tf.math.mul(probabilities(tf, inputs), tf.expandDims(inputs.scored(), tf.constant(-1)));
    Operand<TFloat32> y = inputs.oneHot();
    int c = inputs.classes();
    if (c > 1) {
      Operand<TInt32> begin = tf.constant(new int[] {0, 0, 0, 1});
      Operand<TInt32> size = tf.constant(new int[] {-1, -1, -1, c - 1});
      p = tf.slice(p, begin, size);
      y = tf.slice(y, begin, size);
    }
    Operand<TInt32> pixels = tf.constant(new int[] {0, 1, 2});
    Operand<TFloat32> intersection = tf.reduceSum(tf.math.mul(p, y), pixels);
    Operand<TFloat32> total = tf.math.add(tf.reduceSum(p, pixels), tf.reduceSum(y, pixels));
    Operand<TFloat32> s = tf.constant((float) smooth);
    Operand<TFloat32> perClass = tf.math.div(
        tf.math.add(tf.math.mul(tf.constant(2f), intersection), s), tf.math.add(total, s));
    return tf.math.sub(tf.constant(1f), tf.math.mean(perClass, tf.constant(0)));
  }

  /**
   * Focal loss (Lin et al. 2017), the pixel mean of -(1 - p_t)^gamma log p_t with p_t the
   * probability of the true class (for sigmoids, of each channel's target, summed over channels).
   * log p_t is minus the stable cross-entropy, never log(p): TF Java's gradient of
   * {@code LogSoftmax} sums over axis 1, so it is wrong for [B, H, W, C] logits, and the fused
   * {@code SoftmaxCrossEntropyWithLogits} on [P, C] rows is used instead. 1 - p_t =
   * -expm1(log p_t) keeps its precision where p_t is close to 1. gamma = 0 gives the cross-entropy.
   */
  private static Operand<TFloat32> focal(Ops tf, LossInputs inputs, double gamma) {
    Operand<TFloat32> logPt = tf.math.neg(inputs.activation() == OutputActivation.SIGMOID
        ? sigmoidCrossEntropy(tf, inputs.logits(), inputs.oneHot())
        : pixelCrossEntropy(tf, inputs));
    Operand<TFloat32> oneMinusPt = tf.math.neg(tf.math.expm1(logPt));
    Operand<TFloat32> base = tf.math.maximum(oneMinusPt, tf.constant(FOCAL_BASE_FLOOR));
    Operand<TFloat32> term = tf.math.mul(tf.math.pow(base, tf.constant((float) gamma)), tf.math.neg(logPt));
    if (inputs.activation() == OutputActivation.SIGMOID) {
      term = tf.reduceSum(term, tf.constant(CHANNEL_AXIS));
    }
    return meanOverPixels(tf, tf.math.mul(inputs.scored(), term));
  }

  private static Loss combined(List<LossTerm> specTerms) {
    // Resolve the terms once, so a bad one fails when the loss is made, not at build time.
    ImmutableList<Loss> losses =
        specTerms.stream().map(t -> of(t.loss())).collect(ImmutableList.toImmutableList());
    ImmutableList<Float> weights =
        specTerms.stream().map(t -> (float) t.weight()).collect(ImmutableList.toImmutableList());
    return (tf, inputs) -> {
      Ops scope = tf.withSubScope("combined");
      Operand<TFloat32> sum = weightedTerm(scope, 0, weights.get(0), losses.get(0), inputs);
      for (int i = 1; i < losses.size(); i++) {
        sum = scope.math.add(sum, weightedTerm(scope, i, weights.get(i), losses.get(i), inputs));
      }
      return sum;
    };
  }

  private static Operand<TFloat32> weightedTerm(
      Ops scope, int index, float weight, Loss loss, LossInputs inputs) {
    Ops tf = scope.withSubScope(Integer.toString(index));
    return tf.math.mul(tf.constant(weight), loss.build(tf, inputs));
  }

  /** The soft-max over the classes or the sigmoid of every channel, [B, H, W, C]. */
  private static Operand<TFloat32> probabilities(Ops tf, LossInputs inputs) {
    return inputs.activation() == OutputActivation.SIGMOID
        ? tf.math.sigmoid(inputs.logits())
        : tf.nn.softmax(inputs.logits());
  }

  /**
   * The binary cross-entropy -z log s(x) - (1 - z) log(1 - s(x)) of every element, as
   * softplus(x) - x z. That equals the familiar relu(x) - x z + log1p(exp(-|x|)) and is as stable
   * (TF's Softplus never overflows), but its gradient is exactly s(x) - z everywhere, whereas the
   * relu/abs form's gradient at x = 0 comes out as -z (both kinks get subgradient 0), which is
   * wrong for the all-zero logits of a fresh or dead head.
   */
  private static Operand<TFloat32> sigmoidCrossEntropy(
      Ops tf, Operand<TFloat32> logits, Operand<TFloat32> targets) {
    return tf.math.sub(tf.math.softplus(logits), tf.math.mul(logits, targets));
  }

  private static Operand<TFloat32> meanOverPixels(Ops tf, Operand<TFloat32> perPixel) {
    return tf.math.mean(perPixel, tf.constant(new int[] {0, 1, 2}));
  }
}
