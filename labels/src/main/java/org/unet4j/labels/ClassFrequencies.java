package org.unet4j.labels;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import com.google.common.primitives.Longs;
import java.util.Arrays;
import java.util.List;
import org.unet4j.dsl.recipe.ClassBalance;
import org.unet4j.dsl.recipe.WeightedCrossEntropyLoss;

/**
 * Pixel counts of the K classes of training targets (for the instance formats background and
 * cells), counted on the class labels the weight map is computed for (after separation borders,
 * {@link WeightMap#compute}); ignored pixels are not counted. Summed over a training set they give
 * the class balance of {@code dataset-frequency}: the paper's "weight map to balance the class
 * frequencies" (Sec. 3) taken over the training set rather than per image.
 *
 * @param counts the pixels of class 0, 1, ... K-1
 */
public record ClassFrequencies(List<Long> counts) {

  public ClassFrequencies {
    counts = ImmutableList.copyOf(counts);
    checkArgument(counts.size() >= 2, "counts of at least 2 classes, got %s", counts.size());
    for (long c : counts) {
      checkArgument(c >= 0, "pixel counts must be >= 0, got %s", counts);
    }
  }

  /** The counts of two classes, background and cells. */
  public ClassFrequencies(long background, long foreground) {
    this(List.of(background, foreground));
  }

  /** The counts {@code counts[c]} of class c. */
  public static ClassFrequencies of(long[] counts) {
    return new ClassFrequencies(Longs.asList(counts));
  }

  /** The counts of one image's class labels, after separation borders between touching cells. */
  public static ClassFrequencies of(InstanceLabels instances) {
    checkNotNull(instances, "instances");
    return of(ClassLabels.ofCells(instances));
  }

  /** The counts of K-class labels, ignored pixels left out. */
  public static ClassFrequencies of(ClassLabels labels) {
    checkNotNull(labels, "labels");
    return of(labels.counts());
  }

  /**
   * The counts of the targets a net of output stride {@code stride} is trained on: the majority
   * classes of the {@code stride x stride} blocks of {@code labels} ({@link Downsampling}, ignored
   * pixels not voting), counted from the image's top-left corner, the partial blocks at its right
   * and bottom edges left out, and blocks of ignored pixels only not counted. A thin class (the
   * boundary ring of three-class labels) wins few blocks, so it is rarer among these targets than
   * among the pixels, and its class-balance weight is that of what the loss sees. Stride 1 counts
   * the pixels, as {@link #of(ClassLabels)}. Training tiles put their blocks wherever the tile and its
   * augmentation fall, so these counts are those of one block grid standing for all of them.
   *
   * @throws IllegalArgumentException when {@code stride} is below 1
   */
  public static ClassFrequencies ofBlocks(ClassLabels labels, int stride) {
    checkNotNull(labels, "labels");
    checkArgument(stride >= 1, "stride must be at least 1, got %s", stride);
    if (stride == 1) {
      return of(labels);
    }
    int outWidth = labels.width() / stride;
    int outHeight = labels.height() / stride;
    long[] counts = new long[labels.classCount()];
    if (outWidth == 0 || outHeight == 0) {
      return of(counts);
    }
    int width = outWidth * stride;
    int height = outHeight * stride;
    int[] all = labels.toArray();
    int[] cropped = new int[width * height];
    for (int y = 0; y < height; y++) {
      System.arraycopy(all, y * labels.width(), cropped, y * width, width);
    }
    for (int c : new Downsampling(stride, ClassLabels.IGNORED).classes(cropped, width, height)) {
      if (c != ClassLabels.IGNORED) {
        counts[c]++;
      }
    }
    return of(counts);
  }

  /** The summed counts of {@code images}. */
  public static ClassFrequencies over(List<InstanceLabels> images) {
    checkNotNull(images, "images");
    ClassFrequencies sum = new ClassFrequencies(0, 0);
    for (InstanceLabels image : images) {
      sum = sum.plus(of(image));
    }
    return sum;
  }

  /** These counts and {@code other}'s, class by class; both have the same number of classes. */
  public ClassFrequencies plus(ClassFrequencies other) {
    checkArgument(other.counts.size() == counts.size(), "counts of %s classes cannot be added to %s", other.counts.size(),
        counts.size());
    long[] sum = new long[counts.size()];
    for (int c = 0; c < sum.length; c++) {
      sum[c] = counts.get(c) + other.counts.get(c);
    }
    return of(sum);
  }

  /** K, the number of classes counted. */
  public int classCount() {
    return counts.size();
  }

  /**
   * w_c = N / (K * count(c)) for every class c, N the pixels counted and K the classes present, so
   * w_c averages to 1 over the pixels counted; an absent class gets 0 (no pixel carries it).
   */
  public double[] inverseWeights() {
    double n = 0;
    int present = 0;
    for (long c : counts) {
      n += c;
      present += c > 0 ? 1 : 0;
    }
    double[] w = new double[counts.size()];
    for (int c = 0; c < w.length; c++) {
      long count = counts.get(c);
      w[c] = count > 0 ? n / (present * count) : 0;
    }
    return w;
  }

  /**
   * {@code loss} with a {@code dataset-frequency} class balance turned into the weights these
   * counts give ({@code given}), which {@link WeightMap} and {@link WeightMapCache} compute and
   * cache per image like any other; other losses as they are.
   */
  public WeightedCrossEntropyLoss resolve(WeightedCrossEntropyLoss loss) {
    checkNotNull(loss, "loss");
    return loss.classBalance() == ClassBalance.DATASET_FREQUENCY ? given(loss) : loss;
  }

  /**
   * {@code loss} with an {@code inverse-frequency} class balance turned into the weights these
   * counts give ({@code given}), for counts of one image other than its pixels' (such as
   * {@link #ofBlocks}); other losses as they are.
   */
  public WeightedCrossEntropyLoss resolvePerImage(WeightedCrossEntropyLoss loss) {
    checkNotNull(loss, "loss");
    return loss.classBalance() == ClassBalance.INVERSE_FREQUENCY ? given(loss) : loss;
  }

  private WeightedCrossEntropyLoss given(WeightedCrossEntropyLoss loss) {
    List<Double> weights = Arrays.stream(inverseWeights()).boxed().toList();
    return new WeightedCrossEntropyLoss(loss.w0(), loss.sigma(), ClassBalance.GIVEN, weights);
  }
}
