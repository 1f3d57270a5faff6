package org.unet4j.recipes.infer;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import org.jspecify.annotations.Nullable;
import org.unet4j.dsl.model.Size3;
import org.unet4j.dsl.recipe.ThinningMethod;
import org.unet4j.labels.BorderThinning;
import org.unet4j.labels.ConnectedComponents3d;
import org.unet4j.labels.FaceNeighbours;

/**
 * Thin boundaries in a probability map ({@code inference.thinBoundaries}): the regions of the foreground
 * above the threshold (4-connected) grow over the boundary pixels until one-pixel dams separate them, in one of
 * two orders ({@link ThinningMethod}):
 *
 * <ul>
 *   <li>{@code border}: the border thinning of the ISBI challenge's V_rand ({@link BorderThinning}, a
 *       breadth-first watershed of the thresholded foreground), every boundary pixel alike, so the dams run
 *       halfway between the regions;
 *   <li>{@code ridge}: a watershed of the net's foreground probability (Meyer's priority flood): the waiting
 *       boundary pixel of highest probability joins first (ties: the one that has waited longest; the pixels
 *       beside the regions wait in raster order), taking the region of its labelled 4-neighbours, or becoming a
 *       dam where two different regions meet in them. The dams run along the boundary's ridge, where the net is
 *       surest of it, and a boundary the net barely drew is crossed last. With a floor, pixels whose probability
 *       is below it never join: the boundary the net is that sure of stays as predicted.
 * </ul>
 *
 * <p>A boundary pixel that joins a region is raised just above the threshold, by its own foreground probability
 * p: to {@code threshold + MARGIN * (0.1 + 0.9 * p / threshold)} (at most 1), from {@code threshold + MARGIN / 10}
 * where the net said 0 to {@code threshold + }{@link #MARGIN} at the threshold. So the map thresholded where the
 * recipe thresholds gives the thinned regions; the dams and every other pixel keep the net's probabilities, so at
 * thresholds above {@code threshold + MARGIN} the map is the net's own; and the raised pixels keep the net's order
 * among themselves.
 *
 * <p>The order matters to a measure that visits the pixels in order of their distance to a threshold: the
 * ISBI warping error warps the truth onto the map by flipping the pixels where they disagree, the most
 * certain first. Raised to one value, all the raised pixels would tie and be flipped in scan order, so that a
 * thick boundary were eaten along its length instead of from both sides towards the dam; on the ISBI CPU
 * recipe's held-out slices that turned the warping error of the map above threshold + MARGIN from the net's
 * 0.00083 into 0.00110.
 *
 * <p>Why: a net's boundaries are usually thicker than the truth's, and a measure that counts the boundary
 * pixels inside the truth's cells as lost (the ISBI challenge's Rand error, unlike its V_rand) penalises that
 * thickness. Thinning keeps the regions and their number (each one grows, none is split or merged), so the
 * objects are the same; only the boundaries between them become one pixel wide. It is meant for images that
 * cells tile (EM membranes): on objects scattered over a background every object would grow over the
 * background. A volume ({@link #thin(VolumeProbabilities, double, ThinningMethod, double)}) is thinned the same
 * way in 3D: 6-connected regions, face neighbours, dams one voxel thick.
 *
 * <p>The other classes follow the foreground: of a two-class map, class 0 becomes 1 minus the raised
 * foreground; of a map of 3 or more classes (foreground = 1 - class 0), class 0 becomes 1 minus the raised
 * foreground and the others are scaled to sum to it, in their proportions (equal shares where they were all
 * 0). A map without any pixel above the threshold is returned as it is: there is no region to grow.
 */
public final class BoundaryThinning {
  /** How far above the threshold a boundary pixel that joins a region is raised at most. */
  public static final float MARGIN = 0.01f;
  /** A boundary pixel waiting in the ridge flood's heap. */
  private static final int WAITING = -1;
  /** A boundary pixel where two regions met in the ridge flood. */
  private static final int DAM = -2;

  private BoundaryThinning() {}

  /**
   * {@code map} with the boundaries between its regions above {@code threshold} thinned by {@code method} (see the
   * class comment); {@link ThinningMethod#NONE} returns it as it is.
   *
   * @param floor ridge thinning only: boundary pixels with a foreground probability below it never join a region
   *     (0: all may)
   * @throws IllegalArgumentException for a threshold or floor outside 0..1, or a floor above 0 with another method
   */
  public static ProbabilityMap thin(ProbabilityMap map, double threshold, ThinningMethod method, double floor) {
    checkNotNull(map, "map");
    checkSettings(threshold, method, floor);
    if (method == ThinningMethod.NONE) {
      return map;
    }
    float[] values = thinned(map.values(), map.classes(), map.foreground(), new Size3(1, map.height(), map.width()),
        threshold, method, floor);
    return values == null ? map : new ProbabilityMap(map.width(), map.height(), map.classes(), values);
  }

  /**
   * {@code volume} thinned as a whole, in 3D: its regions are the 6-connected components of the voxels above
   * {@code threshold}, and they grow through face neighbours (x-1, y-1, z-1, x+1, y+1, z+1), so the dams are
   * one voxel thick; the waiting voxels start in z-major order. A volume of one plane is thinned as its image.
   *
   * @throws IllegalArgumentException as {@link #thin(ProbabilityMap, double, ThinningMethod, double)}
   */
  public static VolumeProbabilities thin(VolumeProbabilities volume, double threshold, ThinningMethod method,
      double floor) {
    checkNotNull(volume, "volume");
    checkSettings(threshold, method, floor);
    if (method == ThinningMethod.NONE) {
      return volume;
    }
    float[] values = thinned(volume.values(), volume.classes(), volume.foreground(), volume.size(), threshold,
        method, floor);
    return values == null ? volume : new VolumeProbabilities(volume.size(), volume.classes(), values);
  }

  private static void checkSettings(double threshold, ThinningMethod method, double floor) {
    checkNotNull(method, "method");
    checkArgument(threshold >= 0 && threshold <= 1, "a threshold is a probability 0..1, got %s", threshold);
    checkArgument(floor >= 0 && floor <= 1, "a floor is a probability 0..1, got %s", floor);
    checkArgument(floor == 0 || method == ThinningMethod.RIDGE, "only ridge thinning stops at a floor, got %s with"
        + " floor %s", method, floor);
  }

  /** The thinned values (classes last), or null when no voxel is above the threshold. */
  private static float @Nullable [] thinned(float[] values, int classes, float[] foreground, Size3 size,
      double threshold, ThinningMethod method, double floor) {
    boolean[] cells = new boolean[foreground.length];
    boolean any = false;
    for (int i = 0; i < cells.length; i++) {
      cells[i] = foreground[i] > threshold;
      any |= cells[i];
    }
    if (!any) {
      return null;
    }
    int[] regions = method == ThinningMethod.BORDER ? BorderThinning.thin(cells, size)
        : ridge(foreground, cells, size, floor);
    float[] out = values.clone();
    for (int i = 0; i < cells.length; i++) {
      if (!cells[i] && regions[i] > 0) {
        raise(out, i * classes, classes, foreground[i], raised(foreground[i], threshold));
      }
    }
    return out;
  }

  /**
   * The ridge flood: the regions (face-connected components of {@code cells}, labelled 1..n) grown over the
   * boundary voxels of foreground at least {@code floor}, highest foreground first; 0 on dams and on the voxels not
   * reached.
   */
  static int[] ridge(float[] foreground, boolean[] cells, Size3 size, double floor) {
    int n = cells.length;
    int[] label = new int[n];
    ConnectedComponents3d.label(cells, size, label);
    FaceNeighbours grid = new FaceNeighbours(size);
    PixelHeap heap = new PixelHeap(n);
    int arrival = 0;
    int[] around = new int[6];
    for (int p = 0; p < n; p++) {
      if (label[p] == 0 && foreground[p] >= floor && grid.touchesRegion(label, p, around)) {
        label[p] = WAITING;
        heap.push(PixelHeap.priority(foreground[p], arrival++), p);
      }
    }
    while (heap.size > 0) {
      int p = heap.pop();
      int region = 0;
      boolean dam = false;
      for (int q : grid.neighbours(p, around)) {
        if (q >= 0 && label[q] > 0) {
          dam |= region != 0 && label[q] != region;
          region = region == 0 ? label[q] : region;
        }
      }
      // A voxel waits only beside a region or a voxel that joined one, and joining is final: region > 0.
      if (dam) {
        label[p] = DAM;
        continue;
      }
      label[p] = region;
      for (int q : around) {
        if (q >= 0 && label[q] == 0 && foreground[q] >= floor) {
          label[q] = WAITING;
          heap.push(PixelHeap.priority(foreground[q], arrival++), q);
        }
      }
    }
    for (int p = 0; p < n; p++) {
      label[p] = Math.max(0, label[p]);
    }
    return label;
  }

  /**
   * The foreground a boundary pixel of foreground {@code p} (at most {@code threshold}) gets when it joins a
   * region: {@code threshold + MARGIN * (0.1 + 0.9 * p / threshold)}, at most 1; above the threshold in
   * float32 too, and never lower for a higher {@code p}.
   */
  static float raised(float p, double threshold) {
    double share = threshold > 0 ? Math.max(0, p) / threshold : 0;
    return (float) Math.min(1.0, threshold + MARGIN * (0.1 + 0.9 * share));
  }

  /** Sets the foreground of the pixel whose classes start at {@code at} from {@code was} to {@code to}. */
  private static void raise(float[] values, int at, int classes, float was, float to) {
    if (classes == 1) {
      values[at] = to;
      return;
    }
    values[at] = 1 - to;
    if (classes == 2) {
      values[at + 1] = to;
      return;
    }
    // The classes but 0 held `was` (1 - class 0) together; they now hold `to`, in the same proportions.
    for (int k = 1; k < classes; k++) {
      values[at + k] = was > 0 ? values[at + k] * (to / was) : to / (classes - 1);
    }
  }
}
