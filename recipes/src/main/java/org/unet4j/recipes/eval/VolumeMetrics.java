package org.unet4j.recipes.eval;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.List;
import org.unet4j.dsl.model.Size3;
import org.unet4j.labels.BorderThinning;
import org.unet4j.labels.ConnectedComponents3d;
import org.unet4j.labels.InstanceVolume;
import org.unet4j.recipes.data.DataException;

/**
 * The metrics of a volume scored as one 3D segmentation, for the predictions of a 3D net (a
 * recipe's {@code model.dimensions} 3): the definitions of {@link IsbiMetrics},
 * {@link ObjectMetrics} and {@link ClassMetrics} with voxels for pixels and 6-connected components
 * (face neighbours) for 4-connected ones, counted over the whole volume at once. An object that
 * continues from one plane into the next is one object here, where the slice-by-slice scores of a
 * stack see a piece in each plane.
 *
 * <ul>
 *   <li>{@code pixelError}: 1 - the best F-score of the cell voxels over the thresholds 0.0..1.0;
 *   <li>{@code randError}: 1 - the best foreground-restricted Rand F-score of the 6-connected
 *       components of prob &gt; th against those of the truth cells;
 *   <li>{@code vRand}, {@code vInfo}: the best scores after the 3D border thinning
 *       ({@link BorderThinning#thin(boolean[], Size3)}: the same watershed with 6-connected basins,
 *       which leaves one-voxel dams between cells);
 *   <li>{@code warpingError}: not defined (NaN). The challenge's warping error flips simple points
 *       of a 2D topology (cells 4-connected, membrane 8-connected); a volume's would need the 3D
 *       simple-point test (6/26-connectivity), which no benchmark of volume segmentation uses;
 *   <li>object scores: IoU and Dice of the foreground voxels, object F1, average precision and SEG
 *       of the 6-connected objects (or given instances) matched at IoU &gt; 0.5 by voxel overlap;
 *   <li>against index labels ({@link #classes}): per-class IoU, Dice and object F1 (6-connected
 *       objects of each class), as {@link ClassMetrics} scores an image. The ISBI metrics score
 *       binary cell/membrane maps and are not computed for index labels.
 * </ul>
 *
 * <p><b>Ignored voxels.</b> The voxels a truth marks not annotated ({@link InstanceVolume#ignored},
 * a recipe's {@code data.ignoreLabel}) are left out of every score, as {@link ClassMetrics} leaves
 * out an image's ignored pixels: they are taken out of the prediction (its cells, its components,
 * its instances) as well as of the truth before anything is counted or connected, so they add no
 * true, false or missed voxel, no pair to the Rand and V_info tables, and a predicted object lying
 * wholly among them is no false positive; the parts of objects inside them neither help nor hurt
 * their IoU. Taking voxels out may split an object; its pieces are then objects of their own.
 */
public final class VolumeMetrics {
  private VolumeMetrics() {}

  /**
   * The ISBI metrics of a volume, each at its own best threshold (the thresholds of
   * {@link Thresholds#isbi()}), the truth's ignored voxels left out; the warping error is NaN.
   *
   * @throws DataException when the sizes differ
   */
  public static IsbiScores isbi(InstanceVolume truth, VolumeProbabilities prediction) {
    checkSizes(truth, prediction.size(), "prediction");
    Size3 size = truth.size();
    // Ignored voxels hold label 0, so they are no truth cell.
    boolean[] cells = cells(truth.toArray());
    boolean[] ignored = truth.ignoredToArray();
    int[] truthComponents = new int[cells.length];
    TruthSegments segments = TruthSegments.of(truthComponents,
        ConnectedComponents3d.label(cells, size, truthComponents));
    double[] thresholds = Thresholds.toArray(Thresholds.isbi());
    int k = thresholds.length;
    double[] pixelF = new double[k];
    double[] randF = new double[k];
    double[] thinnedRandF = new double[k];
    double[] information = new double[k];
    IsbiMetrics.inParallel(k, cells.length, t -> {
      boolean[] proposal = without(prediction.cells(thresholds[t]), ignored);
      pixelF[t] = PixelCounts.of(cells, proposal).fScore();
      int[] components = new int[proposal.length];
      int count = ConnectedComponents3d.label(proposal, size, components);
      randF[t] = ForegroundOverlap.of(segments, components, count, false).rand().fScore();
      int[] thinned = BorderThinning.thin(proposal, size);
      ForegroundOverlap overlap = ForegroundOverlap.of(segments, thinned, IsbiMetrics.max(thinned), true);
      thinnedRandF[t] = overlap.rand().fScore();
      information[t] = overlap.information();
    });
    return new IsbiScores(
        BestScore.max(pixelF, thresholds).complement(),
        BestScore.max(randF, thresholds).complement(),
        new BestScore(Double.NaN, Double.NaN),
        BestScore.max(thinnedRandF, thresholds),
        BestScore.max(information, thresholds));
  }

  /**
   * The object scores of the 6-connected components of prob &gt; {@code threshold} against the
   * truth's instances, the truth's ignored voxels left out.
   *
   * @throws DataException when the sizes differ
   */
  public static ObjectScores objects(InstanceVolume truth, VolumeProbabilities prediction, double threshold) {
    checkSizes(truth, prediction.size(), "prediction");
    InstanceVolume predicted = ConnectedComponents3d.instances(prediction.cells(threshold), truth.ignoredToArray(),
        truth.size());
    return ObjectMetrics.compare(truth.toArray(), truth.cellCount(), predicted.toArray(), predicted.cellCount(),
        threshold);
  }

  /**
   * The object scores of predicted instances as they are (such as a 3D net's post-processed
   * objects), the truth's ignored voxels taken out of them; the scores' threshold is NaN.
   *
   * @throws DataException when the sizes differ or the predicted instances have voxels that are not
   *     annotated
   */
  public static ObjectScores instanceObjects(InstanceVolume truth, InstanceVolume predicted) {
    checkNotNull(predicted, "predicted");
    checkSizes(truth, predicted.size(), "instances");
    if (predicted.ignoredCount() > 0) {
      throw new DataException("the predicted instances have " + predicted.ignoredCount() + " voxel(s) marked not"
          + " annotated; predicted objects label every voxel, 0 for background");
    }
    int[] kept = predicted.toArray();
    boolean[] ignored = truth.ignoredToArray();
    for (int i = 0; i < kept.length; i++) {
      if (ignored[i]) {
        kept[i] = 0;
      }
    }
    InstanceVolume compact = InstanceVolume.of(kept, predicted.size());
    return ObjectMetrics.compare(truth.toArray(), truth.cellCount(), compact.toArray(), compact.cellCount(),
        Double.NaN);
  }

  /**
   * The per-class scores of a predicted class volume against index labels, each given as its planes
   * in order (z = the page number): IoU and Dice of every class's voxels and the object F1 of its
   * 6-connected components, with their means over the foreground classes, the voxels whose truth
   * is {@code ignoreLabel} left out ({@link ClassMetrics}'s rules).
   *
   * @param ignoreLabel the truth value to leave out, or negative for none
   * @throws DataException when the planes differ in size
   */
  public static ClassEvaluation classes(List<ClassMap> truth, List<ClassMap> predicted, int ignoreLabel) {
    return ClassMetrics.computeVolume(truth, predicted, ignoreLabel);
  }

  /**
   * The foreground (every class but 0) of index-label planes as one volume of objects: its
   * 6-connected components, the voxels that hold {@code ignoreLabel} not annotated. What the object
   * scores of a class volume compare: the truth's ({@code labels} = {@code truth}) against the
   * prediction's.
   *
   * @param labels the planes whose foreground is taken (the truth, or a predicted class map)
   * @param truth the planes whose {@code ignoreLabel} voxels are left out
   * @throws DataException when the planes differ in size
   */
  public static InstanceVolume foreground(List<ClassMap> labels, List<ClassMap> truth, int ignoreLabel) {
    checkNotNull(labels, "labels");
    checkNotNull(truth, "truth");
    checkArgument(!labels.isEmpty() && labels.size() == truth.size(), "%s plane(s) of labels but %s of truth",
        labels.size(), truth.size());
    int[] values = ClassMetrics.voxels(labels);
    int[] truthValues = ClassMetrics.voxels(truth);
    ClassMap first = labels.get(0);
    Size3 size = new Size3(labels.size(), first.height(), first.width());
    checkArgument(truth.get(0).width() == first.width() && truth.get(0).height() == first.height(),
        "the labels are %sx%s per plane, the truth %sx%s", first.width(), first.height(), truth.get(0).width(),
        truth.get(0).height());
    boolean[] mask = new boolean[values.length];
    boolean[] ignored = new boolean[values.length];
    for (int i = 0; i < values.length; i++) {
      mask[i] = values[i] != 0;
      ignored[i] = ignoreLabel >= 0 && truthValues[i] == ignoreLabel;
    }
    return ConnectedComponents3d.instances(mask, ignored, size);
  }

  private static boolean[] without(boolean[] proposal, boolean[] ignored) {
    for (int i = 0; i < proposal.length; i++) {
      proposal[i] &= !ignored[i];
    }
    return proposal;
  }

  private static void checkSizes(InstanceVolume truth, Size3 other, String role) {
    checkNotNull(truth, "truth");
    if (!truth.size().equals(other)) {
      throw new DataException("the truth is " + truth.size() + " but the " + role + " " + other
          + " (sizes are z x y x x); a volume is scored against a truth of its own size");
    }
  }

  private static boolean[] cells(int[] instances) {
    boolean[] cells = new boolean[instances.length];
    for (int i = 0; i < instances.length; i++) {
      cells[i] = instances[i] > 0;
    }
    return cells;
  }
}
