package org.unet4j.recipes.eval;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.List;
import org.unet4j.dsl.model.Size3;
import org.unet4j.labels.ConnectedComponents;
import org.unet4j.labels.ConnectedComponents3d;
import org.unet4j.labels.InstanceLabels;
import org.unet4j.labels.LabelOverlap;
import org.unet4j.recipes.data.DataException;

/**
 * Per-class scores of a predicted class map against index labels ({@link ClassEvaluation}), for
 * nets of any number of classes K. K is one more than the largest class in the truth or the
 * prediction outside the ignored pixels, and at least 2.
 *
 * <p><b>Ignored pixels.</b> The truth's pixels that hold {@code ignoreLabel} (e.g. 255 for
 * "unsure") are left out of every score: they count neither as true nor as predicted pixels of any
 * class, and before objects are formed they are taken out of the predicted map as well as of the
 * truth, so a predicted object lying wholly in an ignored region is no false positive, and the
 * parts of objects inside one neither help nor hurt their IoU. (Taking pixels out may split an
 * object; its pieces are then objects of their own.)
 *
 * <p>A stack sums the counts of its pages: pixels, objects and matches. A volume
 * ({@link VolumeMetrics#classes}) is one block: its objects are the 6-connected components of each
 * class through the planes.
 */
public final class ClassMetrics {
  /** The ignore label that ignores nothing. */
  public static final int NO_IGNORE = -1;

  private ClassMetrics() {}

  /**
   * The scores of every class of {@code predicted} against {@code truth}, page by page.
   *
   * @param ignoreLabel the truth value to leave out, or negative for none
   */
  public static ClassEvaluation compute(List<ClassMap> truth, List<ClassMap> predicted, int ignoreLabel) {
    checkPages(truth, predicted);
    List<Block> pages = new ArrayList<>(truth.size());
    for (int page = 0; page < truth.size(); page++) {
      ClassMap t = truth.get(page);
      pages.add(new Block(new Size3(1, t.height(), t.width()), t.array(), predicted.get(page).array()));
    }
    return compute(pages, ignoreLabel);
  }

  /**
   * The scores of every class of a predicted class volume against its truth, the planes of each
   * given in order (z = the page number), with the objects of each class its 6-connected components
   * through the planes ({@link VolumeMetrics#classes}).
   *
   * @param ignoreLabel the truth value to leave out, or negative for none
   */
  static ClassEvaluation computeVolume(List<ClassMap> truth, List<ClassMap> predicted, int ignoreLabel) {
    checkPages(truth, predicted);
    ClassMap first = truth.get(0);
    Size3 size = new Size3(truth.size(), first.height(), first.width());
    return compute(List.of(new Block(size, voxels(truth), voxels(predicted))), ignoreLabel);
  }

  /**
   * The planes of a stack of class maps as one z-major array.
   *
   * @throws DataException when the planes differ in size
   */
  static int[] voxels(List<ClassMap> planes) {
    ClassMap first = planes.get(0);
    int plane = first.width() * first.height();
    int[] voxels = new int[plane * planes.size()];
    for (int z = 0; z < planes.size(); z++) {
      ClassMap p = planes.get(z);
      VolumeProbabilities.requireSameSize(z, p.width(), p.height(), first.width(), first.height());
      System.arraycopy(p.array(), 0, voxels, z * plane, plane);
    }
    return voxels;
  }

  private static void checkPages(List<ClassMap> truth, List<ClassMap> predicted) {
    checkNotNull(truth, "truth");
    checkNotNull(predicted, "predicted");
    checkArgument(truth.size() == predicted.size() && !truth.isEmpty(), "%s truth page(s) but %s predicted page(s)",
        truth.size(), predicted.size());
    for (int page = 0; page < truth.size(); page++) {
      ClassMap t = truth.get(page);
      ClassMap p = predicted.get(page);
      checkArgument(t.width() == p.width() && t.height() == p.height(), "page %s: truth %sx%s, prediction %sx%s",
          page + 1, t.width(), t.height(), p.width(), p.height());
    }
  }

  /**
   * A truth and a predicted class map over the same voxels, whose objects are formed within it: a
   * page (one plane, where 6-connectivity is 4-connectivity) or a whole volume.
   */
  private record Block(Size3 size, int[] truth, int[] predicted) {}

  private static ClassEvaluation compute(List<Block> blocks, int ignoreLabel) {
    int classes = 2;
    long ignored = 0;
    for (Block block : blocks) {
      int[] tv = block.truth();
      int[] pv = block.predicted();
      for (int i = 0; i < tv.length; i++) {
        // A class predicted only where the truth is ignored is no class of the scores either.
        if (tv[i] == ignoreLabel) {
          ignored++;
        } else {
          classes = Math.max(classes, Math.max(tv[i], pv[i]) + 1);
        }
      }
    }
    ImmutableList.Builder<ClassScores> scores = ImmutableList.builder();
    for (int k = 0; k < classes; k++) {
      scores.add(score(blocks, ignoreLabel, k));
    }
    return new ClassEvaluation(Math.max(ignoreLabel, NO_IGNORE), ignored, scores.build());
  }

  private static ClassScores score(List<Block> blocks, int ignoreLabel, int k) {
    long truthPixels = 0;
    long predictedPixels = 0;
    long shared = 0;
    int truthObjects = 0;
    int predictedObjects = 0;
    int matched = 0;
    for (Block block : blocks) {
      int[] tv = block.truth();
      int[] pv = block.predicted();
      boolean[] inTruth = new boolean[tv.length];
      boolean[] inPrediction = new boolean[tv.length];
      for (int i = 0; i < tv.length; i++) {
        boolean counted = tv[i] != ignoreLabel;
        inTruth[i] = counted && tv[i] == k;
        inPrediction[i] = counted && pv[i] == k;
        truthPixels += inTruth[i] ? 1 : 0;
        predictedPixels += inPrediction[i] ? 1 : 0;
        shared += inTruth[i] && inPrediction[i] ? 1 : 0;
      }
      if (k == 0) {
        continue;
      }
      int[] truthLabels = new int[tv.length];
      int[] predictedLabels = new int[tv.length];
      int truthCount = ConnectedComponents3d.label(inTruth, block.size(), truthLabels);
      int predictedCount = ConnectedComponents3d.label(inPrediction, block.size(), predictedLabels);
      LabelOverlap overlap = LabelOverlap.of(truthLabels, truthCount, predictedLabels, predictedCount);
      truthObjects += truthCount;
      predictedObjects += predictedCount;
      for (int pair = 0; pair < overlap.pairs(); pair++) {
        if (overlap.pairIou(pair) > 0.5) {
          matched++;
        }
      }
    }
    return ClassScores.of(k, truthPixels, predictedPixels, shared, truthObjects, predictedObjects, matched);
  }

  /**
   * The objects of the foreground (every class but 0) of {@code labels}, its 4-connected
   * components, with the pixels that {@code truth} ignores taken out: what the object scores of an
   * index-label evaluation compare.
   */
  public static GroundTruth foregroundObjects(ClassMap labels, ClassMap truth, int ignoreLabel) {
    checkNotNull(labels, "labels");
    int[] values = labels.array();
    int[] ignore = sameSize(labels.width(), labels.height(), truth).array();
    boolean[] mask = new boolean[values.length];
    for (int i = 0; i < mask.length; i++) {
      mask[i] = values[i] != 0 && ignore[i] != ignoreLabel;
    }
    int[] objects = new int[mask.length];
    ConnectedComponents.label(mask, labels.width(), labels.height(), objects);
    return GroundTruth.of(InstanceLabels.of(objects, labels.width(), labels.height()));
  }

  /** {@code instances} with the pixels that {@code truth} ignores taken out, renumbered 1..n. */
  public static GroundTruth withoutIgnored(GroundTruth instances, ClassMap truth, int ignoreLabel) {
    checkNotNull(instances, "instances");
    int[] values = instances.instances();
    int[] ignore = sameSize(instances.width(), instances.height(), truth).array();
    for (int i = 0; i < values.length; i++) {
      if (ignore[i] == ignoreLabel) {
        values[i] = 0;
      }
    }
    return GroundTruth.of(InstanceLabels.of(values, instances.width(), instances.height()));
  }

  private static ClassMap sameSize(int width, int height, ClassMap truth) {
    checkNotNull(truth, "truth");
    checkArgument(truth.width() == width && truth.height() == height, "the truth is %sx%s, the labels %sx%s",
        truth.width(), truth.height(), width, height);
    return truth;
  }
}
