package org.unet4j.recipes.eval;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.unet4j.dsl.model.Size3;
import org.unet4j.labels.InstanceVolume;
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

  /**
   * Evaluates a predicted volume against its truth as one 3D segmentation ({@link VolumeMetrics}):
   * the ISBI metrics but the warping error (NaN) and the object scores of 6-connected objects.
   * The evaluation's pages are the volume's planes.
   *
   * The voxels the truth marks not annotated are left out of every score.
   *
   * @param instances the predicted objects, or null for the 6-connected components of the
   *     probability above {@code objectThreshold}
   * @throws DataException when the sizes differ or the instances have voxels that are not annotated
   */
  public static ImageEvaluation evaluateVolume(String name, InstanceVolume truth, VolumeProbabilities prediction,
      double objectThreshold, @Nullable InstanceVolume instances) {
    checkNotNull(name, "name");
    checkNotNull(prediction, "prediction");
    checkArgument(Double.isFinite(objectThreshold), "the object threshold must be finite, got %s", objectThreshold);
    IsbiScores isbi = VolumeMetrics.isbi(truth, prediction);
    ObjectScores objects = instances == null ? VolumeMetrics.objects(truth, prediction, objectThreshold)
        : VolumeMetrics.instanceObjects(truth, instances);
    Size3 size = truth.size();
    return new ImageEvaluation(name, size.z(), size.x(), size.y(), isbi, objects);
  }

  /**
   * Evaluates a predicted class volume against index labels as one 3D segmentation, each given as
   * its planes in order: the per-class scores of {@link VolumeMetrics#classes} and the object
   * scores of the 6-connected foreground (every class but 0) against the truth's, the voxels the
   * truth marks {@code ignoreLabel} left out of both. The ISBI metrics score binary cell/membrane
   * maps and are NaN here, as for the images of {@link #evaluateClasses}.
   *
   * @param instances the predicted objects (such as a 3D net's {@code NAME_labels.tif}), or null
   *     for the 6-connected components of the predicted foreground
   * @param ignoreLabel the truth value to leave out, or negative for none
   * @throws DataException when the plane counts or sizes differ
   */
  public static ImageEvaluation evaluateClassVolume(String name, List<ClassMap> truth, List<ClassMap> predicted,
      @Nullable InstanceVolume instances, int ignoreLabel) {
    checkNotNull(name, "name");
    checkNotNull(truth, "truth");
    checkNotNull(predicted, "predicted");
    checkArgument(!truth.isEmpty(), "no truth planes");
    if (truth.size() != predicted.size()) {
      throw new DataException("the truth has " + truth.size() + " plane(s) but the prediction " + predicted.size());
    }
    ClassMap first = truth.get(0);
    for (int z = 0; z < truth.size(); z++) {
      ClassMap p = predicted.get(z);
      if (p.width() != first.width() || p.height() != first.height()) {
        throw new DataException("plane " + z + ": the truth is " + first.width() + "x" + first.height()
            + " but the prediction " + p.width() + "x" + p.height());
      }
    }
    InstanceVolume truthObjects = VolumeMetrics.foreground(truth, truth, ignoreLabel);
    // The predicted foreground's components are formed outside the ignored voxels; as predicted
    // objects they label every voxel (0 where ignored), so the marks are dropped.
    ObjectScores objects = VolumeMetrics.instanceObjects(truthObjects, instances != null ? instances
        : InstanceVolume.of(VolumeMetrics.foreground(predicted, truth, ignoreLabel).toArray(), truthObjects.size()));
    BestScore none = new BestScore(Double.NaN, Double.NaN);
    return new ImageEvaluation(name, truth.size(), first.width(), first.height(),
        new IsbiScores(none, none, none, none, none), objects, VolumeMetrics.classes(truth, predicted, ignoreLabel));
  }

  /**
   * Evaluates a predicted class map against index labels (pixel value = class): the per-class
   * scores ({@link ClassMetrics}) and the object scores of the foreground (every class but 0)
   * against the truth's foreground objects, the pixels the truth marks {@code ignoreLabel} left out
   * of both. The ISBI metrics score binary cell/membrane maps and are NaN here.
   *
   * @param instances the predicted objects (such as {@code NAME_labels.tif}), or null for the
   *     4-connected components of the predicted foreground
   * @param ignoreLabel the truth value to leave out, or negative for none
   * @throws DataException when the page counts or sizes differ, naming the page
   */
  public static ImageEvaluation evaluateClasses(String name, List<ClassMap> truth, List<ClassMap> predicted,
      @Nullable List<GroundTruth> instances, int ignoreLabel) {
    checkNotNull(name, "name");
    checkNotNull(truth, "truth");
    checkNotNull(predicted, "predicted");
    checkArgument(!truth.isEmpty(), "no truth pages");
    checkArgument(truth.size() == predicted.size(), "the truth has %s page(s) but the prediction %s", truth.size(),
        predicted.size());
    checkArgument(instances == null || instances.size() == truth.size(),
        "the truth has %s page(s) but the instances %s", truth.size(), instances == null ? 0 : instances.size());
    List<GroundTruth> truthObjects = new ArrayList<>(truth.size());
    List<GroundTruth> predictedObjects = new ArrayList<>(truth.size());
    for (int i = 0; i < truth.size(); i++) {
      ClassMap t = truth.get(i);
      String page = truth.size() > 1 ? "page " + (i + 1) + ": " : "";
      ClassMap p = predicted.get(i);
      if (t.width() != p.width() || t.height() != p.height()) {
        throw new DataException(page + "the truth is " + t.width() + "x" + t.height() + " but the prediction "
            + p.width() + "x" + p.height());
      }
      truthObjects.add(ClassMetrics.foregroundObjects(t, t, ignoreLabel));
      if (instances == null) {
        predictedObjects.add(ClassMetrics.foregroundObjects(p, t, ignoreLabel));
      } else {
        GroundTruth objects = instances.get(i);
        if (t.width() != objects.width() || t.height() != objects.height()) {
          throw new DataException(page + "the truth is " + t.width() + "x" + t.height() + " but the instances "
              + objects.width() + "x" + objects.height());
        }
        predictedObjects.add(ClassMetrics.withoutIgnored(objects, t, ignoreLabel));
      }
    }
    BestScore none = new BestScore(Double.NaN, Double.NaN);
    IsbiScores isbi = new IsbiScores(none, none, none, none, none);
    return new ImageEvaluation(name, truth.size(), truth.get(0).width(), truth.get(0).height(), isbi,
        ObjectMetrics.computeInstances(truthObjects, predictedObjects),
        ClassMetrics.compute(truth, predicted, ignoreLabel));
  }
}
