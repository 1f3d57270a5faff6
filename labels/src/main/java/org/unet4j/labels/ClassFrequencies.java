package org.unet4j.labels;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.List;
import org.unet4j.dsl.recipe.ClassBalance;
import org.unet4j.dsl.recipe.WeightedCrossEntropyLoss;

/**
 * Pixel counts of the two classes of training targets, background and cells, counted on the class
 * labels the weight map is computed for (after separation borders, {@link WeightMap#compute}).
 * Summed over a training set they give the class balance of {@code dataset-frequency}: the paper's
 * "weight map to balance the class frequencies" (Sec. 3) taken over the training set rather than
 * per image.
 */
public record ClassFrequencies(long background, long foreground) {

  public ClassFrequencies {
    checkArgument(background >= 0 && foreground >= 0, "pixel counts must be >= 0, got %s and %s", background,
        foreground);
  }

  /** The counts of one image's class labels, after separation borders between touching cells. */
  public static ClassFrequencies of(InstanceLabels instances) {
    checkNotNull(instances, "instances");
    long foreground = 0;
    for (byte c : SeparationBorders.classLabels(SeparationBorders.separate(instances))) {
      if (c != 0) {
        foreground++;
      }
    }
    return new ClassFrequencies((long) instances.width() * instances.height() - foreground, foreground);
  }

  /** The summed counts of {@code images}. */
  public static ClassFrequencies over(List<InstanceLabels> images) {
    checkNotNull(images, "images");
    long background = 0;
    long foreground = 0;
    for (InstanceLabels image : images) {
      ClassFrequencies f = of(image);
      background += f.background;
      foreground += f.foreground;
    }
    return new ClassFrequencies(background, foreground);
  }

  /**
   * w_c = N / (K * count(c)) for background (index 0) and cells (index 1), N the pixels and K the
   * classes present, so w_c averages to 1 over the pixels counted; an absent class gets 0 (no
   * pixel carries it).
   */
  public double[] inverseWeights() {
    double n = background + foreground;
    int present = (background > 0 ? 1 : 0) + (foreground > 0 ? 1 : 0);
    return new double[] {
      background > 0 ? n / (present * background) : 0,
      foreground > 0 ? n / (present * foreground) : 0
    };
  }

  /**
   * {@code loss} with a {@code dataset-frequency} class balance turned into the weights these
   * counts give ({@code given}), which {@link WeightMap} and {@link WeightMapCache} compute and
   * cache per image like any other; other losses as they are.
   */
  public WeightedCrossEntropyLoss resolve(WeightedCrossEntropyLoss loss) {
    checkNotNull(loss, "loss");
    if (loss.classBalance() != ClassBalance.DATASET_FREQUENCY) {
      return loss;
    }
    double[] w = inverseWeights();
    return new WeightedCrossEntropyLoss(loss.w0(), loss.sigma(), ClassBalance.GIVEN, List.of(w[0], w[1]));
  }
}
