package org.unet4j.recipes.eval;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * What remains after warping the truth onto a binarised proposal, by kind (Jain et al. 2010):
 * every remaining mismatch is one pixel of one kind. Only merges and splits are topological errors
 * of a boundary detector; the warping error is their number over the pixels. Counts of a stack
 * are the sums over its slices.
 */
public record WarpingCounts(long merges, long splits, long holeAdditions, long holeDeletions,
    long objectAdditions, long objectDeletions, long pixels) {
  public static final WarpingCounts ZERO = new WarpingCounts(0, 0, 0, 0, 0, 0, 0);

  public WarpingCounts {
    checkArgument(merges >= 0 && splits >= 0 && holeAdditions >= 0 && holeDeletions >= 0 && objectAdditions >= 0
        && objectDeletions >= 0 && pixels >= 0, "counts are >= 0");
  }

  /** Merge and split pixels: the warping error's numerator. */
  public long topologyErrors() {
    return merges + splits;
  }

  /** All mismatches left after warping, of any kind. */
  public long mismatches() {
    return merges + splits + holeAdditions + holeDeletions + objectAdditions + objectDeletions;
  }

  /** (merges + splits) / pixels. */
  public double error() {
    return pixels == 0 ? 0 : (double) topologyErrors() / pixels;
  }

  public WarpingCounts plus(WarpingCounts other) {
    return new WarpingCounts(merges + other.merges, splits + other.splits, holeAdditions + other.holeAdditions,
        holeDeletions + other.holeDeletions, objectAdditions + other.objectAdditions,
        objectDeletions + other.objectDeletions, pixels + other.pixels);
  }
}
