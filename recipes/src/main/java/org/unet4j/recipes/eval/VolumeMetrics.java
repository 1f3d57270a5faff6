package org.unet4j.recipes.eval;

import static com.google.common.base.Preconditions.checkNotNull;

import org.unet4j.dsl.model.Size3;
import org.unet4j.labels.ConnectedComponents3d;
import org.unet4j.labels.InstanceVolume;
import org.unet4j.recipes.data.DataException;

/**
 * The metrics of a volume scored as one 3D segmentation, for the predictions of a 3D net (a
 * recipe's {@code model.dimensions} 3): the definitions of {@link IsbiMetrics} and
 * {@link ObjectMetrics} with voxels for pixels and 6-connected components (face neighbours) for
 * 4-connected ones, counted over the whole volume at once. An object that continues from one plane
 * into the next is one object here, where the slice-by-slice scores of a stack see a piece in
 * each plane.
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
 *       of the 6-connected objects (or given instances) matched at IoU &gt; 0.5 by voxel overlap.
 * </ul>
 *
 * <p>Every voxel of the truth is scored, so a truth with voxels that are not annotated (an ignore
 * label) is refused.
 */
public final class VolumeMetrics {
  private VolumeMetrics() {}

  /**
   * The ISBI metrics of a volume, each at its own best threshold (the thresholds of
   * {@link Thresholds#isbi()}); the warping error is NaN.
   *
   * @throws DataException when the sizes differ or the truth has voxels that are not annotated
   */
  public static IsbiScores isbi(InstanceVolume truth, VolumeProbabilities prediction) {
    checkSizes(truth, prediction.size(), "prediction");
    Size3 size = truth.size();
    boolean[] cells = cells(truth.toArray());
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
      boolean[] proposal = prediction.cells(thresholds[t]);
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
   * truth's instances.
   *
   * @throws DataException when the sizes differ or the truth has voxels that are not annotated
   */
  public static ObjectScores objects(InstanceVolume truth, VolumeProbabilities prediction, double threshold) {
    checkSizes(truth, prediction.size(), "prediction");
    boolean[] predicted = prediction.cells(threshold);
    int[] objects = new int[predicted.length];
    int count = ConnectedComponents3d.label(predicted, truth.size(), objects);
    return ObjectMetrics.compare(truth.toArray(), truth.cellCount(), objects, count, threshold);
  }

  /**
   * The object scores of predicted instances as they are (such as a 3D net's post-processed
   * objects); the scores' threshold is NaN.
   *
   * @throws DataException when the sizes differ or a volume has voxels that are not annotated
   */
  public static ObjectScores instanceObjects(InstanceVolume truth, InstanceVolume predicted) {
    checkNotNull(predicted, "predicted");
    checkSizes(truth, predicted.size(), "instances");
    if (predicted.ignoredCount() > 0) {
      throw new DataException("the predicted instances have " + predicted.ignoredCount() + " voxel(s) marked not"
          + " annotated; predicted objects label every voxel, 0 for background");
    }
    return ObjectMetrics.compare(truth.toArray(), truth.cellCount(), predicted.toArray(), predicted.cellCount(),
        Double.NaN);
  }

  private static void checkSizes(InstanceVolume truth, Size3 other, String role) {
    checkNotNull(truth, "truth");
    if (!truth.size().equals(other)) {
      throw new DataException("the truth is " + truth.size() + " but the " + role + " " + other
          + " (sizes are z x y x x); a volume is scored against a truth of its own size");
    }
    if (truth.ignoredCount() > 0) {
      throw new DataException("the truth has " + truth.ignoredCount() + " voxel(s) that are not annotated; the"
          + " volume scores count every voxel, so score a fully annotated truth (no ignore label)");
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
