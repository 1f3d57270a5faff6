package org.unet4j.recipes.eval;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The scores of one class of an index-label evaluation ({@link ClassMetrics}), ignored pixels left
 * out: {@code iou} = |T ∩ P| / |T ∪ P| and {@code dice} = 2|T ∩ P| / (|T| + |P|) of the class's
 * true pixels T and predicted pixels P, and {@code objectF1} = 2TP / (2TP + FP + FN) of its
 * objects (4-connected components of the class, matched one to one at IoU &gt; 0.5). Each is NaN
 * where it is undefined: IoU and Dice when the class is neither true nor predicted anywhere, object
 * F1 when there is no object of the class on either side, and always for class 0, the background,
 * which has no objects. A mean over images ({@link #mean}) sums the counts.
 *
 * @param label the class, 0..K-1
 * @param truthPixels |T|
 * @param predictedPixels |P|
 * @param truthObjects the true objects of the class
 * @param predictedObjects the predicted objects of the class
 * @param matched the pairs matched at IoU &gt; 0.5
 */
public record ClassScores(int label, double iou, double dice, double objectF1, long truthPixels,
    long predictedPixels, int truthObjects, int predictedObjects, int matched) {

  public ClassScores {
    checkArgument(label >= 0, "classes are counted from 0, got %s", label);
    checkArgument(truthPixels >= 0 && predictedPixels >= 0 && matched >= 0 && matched <= truthObjects
        && matched <= predictedObjects, "class %s: counts %s, %s, %s, %s, %s", label, truthPixels, predictedPixels,
        truthObjects, predictedObjects, matched);
  }

  /** The scores of class {@code label} from its counts. */
  static ClassScores of(int label, long truthPixels, long predictedPixels, long sharedPixels, int truthObjects,
      int predictedObjects, int matched) {
    long both = truthPixels + predictedPixels;
    double iou = both == 0 ? Double.NaN : (double) sharedPixels / (both - sharedPixels);
    double dice = both == 0 ? Double.NaN : 2.0 * sharedPixels / both;
    int objects = truthObjects + predictedObjects;
    double objectF1 = objects == 0 ? Double.NaN : 2.0 * matched / objects;
    return new ClassScores(label, iou, dice, objectF1, truthPixels, predictedPixels, truthObjects, predictedObjects,
        matched);
  }

  /** The mean of each score of one class over images (NaN skipped), the counts summed. */
  public static ClassScores mean(List<ClassScores> scores) {
    checkNotNull(scores, "scores");
    checkArgument(!scores.isEmpty(), "the mean of no scores");
    int label = scores.get(0).label();
    checkArgument(scores.stream().allMatch(s -> s.label() == label), "the scores of one class, got %s", scores);
    return new ClassScores(label, mean(scores, ClassScores::iou), mean(scores, ClassScores::dice),
        mean(scores, ClassScores::objectF1), scores.stream().mapToLong(ClassScores::truthPixels).sum(),
        scores.stream().mapToLong(ClassScores::predictedPixels).sum(),
        scores.stream().mapToInt(ClassScores::truthObjects).sum(),
        scores.stream().mapToInt(ClassScores::predictedObjects).sum(),
        scores.stream().mapToInt(ClassScores::matched).sum());
  }

  /** The mean of {@code metric} over {@code scores}, NaN skipped (NaN when all are). */
  static double mean(List<ClassScores> scores, ToDoubleFunction<ClassScores> metric) {
    return scores.stream().mapToDouble(metric).filter(v -> !Double.isNaN(v)).average().orElse(Double.NaN);
  }
}
