package org.unet4j.recipes.infer;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import org.unet4j.labels.BorderThinning;

/**
 * Thin boundaries in a probability map ({@code inference.thinBoundaries}): the regions of the foreground
 * above the threshold grow over the boundary pixels until one-pixel dams separate them, by the border
 * thinning of the ISBI challenge's V_rand ({@link BorderThinning}: a watershed of the thresholded
 * foreground, 4-connected regions). A boundary pixel that joins a region is raised just above the threshold,
 * by its own foreground probability p: to {@code threshold + MARGIN * (0.1 + 0.9 * p / threshold)} (at most 1),
 * from {@code threshold + MARGIN / 10} where the net said 0 to {@code threshold + }{@link #MARGIN} at the
 * threshold. So the map thresholded where the recipe thresholds gives the thinned regions; the dams and every
 * other pixel keep the net's probabilities, so at thresholds above {@code threshold + MARGIN} the map is the
 * net's own; and the raised pixels keep the net's order among themselves.
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
 * background.
 *
 * <p>The other classes follow the foreground: of a two-class map, class 0 becomes 1 minus the raised
 * foreground; of a map of 3 or more classes (foreground = 1 - class 0), class 0 becomes 1 minus the raised
 * foreground and the others are scaled to sum to it, in their proportions (equal shares where they were all
 * 0). A map without any pixel above the threshold is returned as it is: there is no region to grow.
 */
public final class BoundaryThinning {
  /** How far above the threshold a boundary pixel that joins a region is raised at most. */
  public static final float MARGIN = 0.01f;

  private BoundaryThinning() {}

  /** {@code map} with the boundaries between its regions above {@code threshold} thinned (see the class comment). */
  public static ProbabilityMap thin(ProbabilityMap map, double threshold) {
    checkNotNull(map, "map");
    checkArgument(threshold >= 0 && threshold <= 1, "a threshold is a probability 0..1, got %s", threshold);
    float[] foreground = map.foreground();
    boolean[] cells = new boolean[foreground.length];
    boolean any = false;
    for (int i = 0; i < cells.length; i++) {
      cells[i] = foreground[i] > threshold;
      any |= cells[i];
    }
    if (!any) {
      return map;
    }
    int[] regions = BorderThinning.thin(cells, map.width(), map.height());
    float[] values = map.values().clone();
    int classes = map.classes();
    for (int i = 0; i < cells.length; i++) {
      if (!cells[i] && regions[i] > 0) {
        raise(values, i * classes, classes, foreground[i], raised(foreground[i], threshold));
      }
    }
    return new ProbabilityMap(map.width(), map.height(), classes, values);
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
