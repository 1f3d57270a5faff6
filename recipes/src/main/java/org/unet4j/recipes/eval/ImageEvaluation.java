package org.unet4j.recipes.eval;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

/**
 * The evaluation of one image (or multi-page stack, {@code pages} &gt; 1) of {@code width} x
 * {@code height} pixels per page: the ISBI metrics at their best thresholds and the object scores
 * at one threshold.
 */
public record ImageEvaluation(String name, int pages, int width, int height, IsbiScores isbi,
    ObjectScores objects) {

  public ImageEvaluation {
    checkNotNull(name, "name");
    checkNotNull(isbi, "isbi");
    checkNotNull(objects, "objects");
    checkArgument(pages >= 1 && width >= 1 && height >= 1, "pages and size must be >= 1, got %s page(s) of %sx%s",
        pages, width, height);
  }

  /** The ten headline numbers. */
  public Scores scores() {
    return new Scores(isbi.pixelError().value(), isbi.randError().value(), isbi.warpingError().value(),
        isbi.vRand().value(), isbi.vInfo().value(), objects.iou(), objects.dice(), objects.objectF1(),
        objects.ap(), objects.seg());
  }
}
