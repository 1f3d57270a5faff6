package org.unet4j.recipes.eval;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.unet4j.dsl.recipe.LabelFormat;
import org.unet4j.labels.ConnectedComponents;
import org.unet4j.labels.InstanceLabels;
import org.unet4j.recipes.data.FilePattern;
import org.unet4j.recipes.data.Image;
import org.unet4j.recipes.data.ImageIo;
import org.unet4j.recipes.data.PixelType;

/**
 * The classical baseline a learned segmentation has to beat: Otsu's global threshold (N. Otsu,
 * "A threshold selection method from gray-level histograms", 1979) on channel 0, then each
 * 4-connected component of the pixels above it is one object. Nothing else: no smoothing, no
 * hole filling, no size filter.
 *
 * <p>Otsu's threshold {@code t} maximises the between-class variance
 * {@code w0 w1 (mu0 - mu1)^2} of the classes {@code v <= t} and {@code v > t}. For 8- and 16-bit
 * images every integer value between the image's minimum and maximum is a candidate, so the
 * threshold is exact; float images are binned into {@value #FLOAT_BINS} equal bins between their
 * minimum and maximum, the candidates being the bins' upper edges. Among equal maxima the smallest
 * threshold wins.
 */
public final class OtsuBaseline {
  /** Histogram bins for float images. */
  static final int FLOAT_BINS = 4096;

  private OtsuBaseline() {}

  /** Otsu's threshold of channel 0: a pixel is foreground when its value is greater. */
  public static double threshold(Image image) {
    checkNotNull(image, "image");
    float[] values = image.channel(0);
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    for (float v : values) {
      checkArgument(!Float.isNaN(v), "the image holds NaN; Otsu's threshold needs numbers");
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    if (min == max) {
      return max;
    }
    boolean integers = image.type() != PixelType.FLOAT32;
    int bins = integers ? (int) (max - min) + 1 : FLOAT_BINS;
    double width = integers ? 1 : ((double) max - min) / bins;
    long[] histogram = new long[bins];
    for (float v : values) {
      int bin = integers ? (int) (v - min) : (int) Math.min(bins - 1, (v - min) / width);
      histogram[bin]++;
    }
    // Sums per bin of the bin's representative value: the integer itself, or the bin's centre.
    double total = values.length;
    double sumAll = 0;
    for (int b = 0; b < bins; b++) {
      sumAll += histogram[b] * (b + (integers ? 0 : 0.5));
    }
    double best = -1;
    int bestBin = 0;
    long below = 0;
    double sumBelow = 0;
    for (int b = 0; b < bins - 1; b++) {
      below += histogram[b];
      sumBelow += histogram[b] * (b + (integers ? 0 : 0.5));
      if (below == 0 || below == values.length) {
        continue;
      }
      double w0 = below / total;
      double w1 = 1 - w0;
      double mu0 = sumBelow / below;
      double mu1 = (sumAll - sumBelow) / (values.length - below);
      double between = w0 * w1 * (mu0 - mu1) * (mu0 - mu1);
      if (between > best) {
        best = between;
        bestBin = b;
      }
    }
    return integers ? min + bestBin : min + (bestBin + 1) * width;
  }

  /** The objects: 4-connected components of channel 0 above Otsu's threshold. */
  public static InstanceLabels segment(Image image) {
    double t = threshold(image);
    float[] values = image.channel(0);
    boolean[] foreground = new boolean[values.length];
    for (int i = 0; i < values.length; i++) {
      foreground[i] = values[i] > t;
    }
    int[] labels = new int[values.length];
    ConnectedComponents.label(foreground, image.width(), image.height(), labels);
    return InstanceLabels.of(labels, image.width(), image.height());
  }

  /**
   * The baseline on a folder of images scored against their masks ({@code MASKS/NAME.png} for
   * {@code IMAGES/NAME.*}), as predictions are scored: the mask as the probability map, its
   * components as the instances.
   */
  public static EvaluationSummary evaluate(Path images, Path masks, LabelFormat truthFormat) {
    List<ImageEvaluation> evaluations = new ArrayList<>();
    for (Path file : FilePattern.resolve("images", images.toString(), Path.of(""))) {
      String name = FilePattern.stem(file);
      Image image = ImageIo.read(file);
      Image mask = ImageIo.read(masks.resolve(name + ".png"));
      InstanceLabels objects = segment(image);
      int[] labels = objects.toArray();
      float[] foreground = new float[labels.length];
      for (int i = 0; i < labels.length; i++) {
        foreground[i] = labels[i] == 0 ? 0 : 1;
      }
      evaluations.add(Evaluator.evaluate(name, List.of(GroundTruth.decode(mask, truthFormat)),
          List.of(new CellProbabilities(image.width(), image.height(), foreground)), ObjectMetrics.DEFAULT_THRESHOLD,
          List.of(GroundTruth.of(objects))));
    }
    return EvaluationSummary.of(evaluations);
  }
}
