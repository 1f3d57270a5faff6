package org.unet4j.recipes.eval;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.unet4j.recipes.data.DataException;

/**
 * Evaluates a prediction against its ground truth: the ISBI challenge metrics
 * ({@link IsbiMetrics}) and the object scores ({@link ObjectMetrics}) at one probability
 * threshold. A multi-page stack is one image of several pages.
 */
public final class Evaluator {
  private Evaluator() {}

  /**
   * @param truth the truth pages
   * @param pred the predicted pages, in the same order and of the same sizes
   * @param objectThreshold the probability threshold of the object scores (0.5 by default)
   * @throws DataException when the page counts or sizes differ, naming the page
   */
  public static ImageEvaluation evaluate(String name, List<GroundTruth> truth, List<CellProbabilities> pred,
      double objectThreshold) {
    return evaluate(name, truth, pred, objectThreshold, null);
  }

  /**
   * {@link #evaluate(String, List, List, double)}, with the object scores taken from
   * {@code instances} (the predicted objects, such as {@code unet4j predict}'s
   * {@code NAME_labels.tif}) when given rather than from the probabilities at the threshold.
   *
   * @throws DataException when the page counts or sizes differ, naming the page
   */
  public static ImageEvaluation evaluate(String name, List<GroundTruth> truth, List<CellProbabilities> pred,
      double objectThreshold, @Nullable List<GroundTruth> instances) {
    checkNotNull(name, "name");
    checkNotNull(truth, "truth");
    checkNotNull(pred, "pred");
    checkArgument(!truth.isEmpty(), "no truth pages");
    checkArgument(truth.size() == pred.size(), "the truth has %s page(s) but the prediction %s", truth.size(),
        pred.size());
    checkArgument(Double.isFinite(objectThreshold), "the object threshold must be finite, got %s", objectThreshold);
    for (int i = 0; i < truth.size(); i++) {
      GroundTruth t = truth.get(i);
      CellProbabilities p = pred.get(i);
      if (t.width() != p.width() || t.height() != p.height()) {
        throw new DataException((truth.size() > 1 ? "page " + (i + 1) + ": " : "") + "the truth is "
            + t.width() + "x" + t.height() + " but the prediction " + p.width() + "x" + p.height());
      }
    }
    if (instances != null) {
      checkArgument(instances.size() == truth.size(), "the truth has %s page(s) but the instances %s", truth.size(),
          instances.size());
      for (int i = 0; i < truth.size(); i++) {
        GroundTruth t = truth.get(i);
        GroundTruth p = instances.get(i);
        if (t.width() != p.width() || t.height() != p.height()) {
          throw new DataException((truth.size() > 1 ? "page " + (i + 1) + ": " : "") + "the truth is "
              + t.width() + "x" + t.height() + " but the instances " + p.width() + "x" + p.height());
        }
      }
    }
    IsbiScores isbi = IsbiMetrics.compute(truth, pred);
    ObjectScores objects = instances == null ? ObjectMetrics.compute(truth, pred, objectThreshold)
        : ObjectMetrics.computeInstances(truth, instances);
    return new ImageEvaluation(name, truth.size(), truth.get(0).width(), truth.get(0).height(), isbi, objects);
  }
}
