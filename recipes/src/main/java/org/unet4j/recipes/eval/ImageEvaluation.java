package org.unet4j.recipes.eval;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import org.jspecify.annotations.Nullable;

/**
 * The evaluation of one image (or multi-page stack, {@code pages} &gt; 1) of {@code width} x
 * {@code height} pixels per page: the ISBI metrics at their best thresholds and the object scores
 * at one threshold; scored against index labels, also the per-class scores ({@code classes}, null
 * otherwise), and then the ISBI metrics are NaN, since they score binary cell/membrane maps.
 */
public record ImageEvaluation(String name, int pages, int width, int height, IsbiScores isbi,
    ObjectScores objects, @Nullable ClassEvaluation classes) {

  public ImageEvaluation {
    checkNotNull(name, "name");
    checkNotNull(isbi, "isbi");
    checkNotNull(objects, "objects");
    checkArgument(pages >= 1 && width >= 1 && height >= 1, "pages and size must be >= 1, got %s page(s) of %sx%s",
        pages, width, height);
  }

  /** The evaluation of a binary truth, without per-class scores. */
  public ImageEvaluation(String name, int pages, int width, int height, IsbiScores isbi, ObjectScores objects) {
    this(name, pages, width, height, isbi, objects, null);
  }

  /** The ten headline numbers. */
  public Scores scores() {
    return new Scores(isbi.pixelError().value(), isbi.randError().value(), isbi.warpingError().value(),
        isbi.vRand().value(), isbi.vInfo().value(), objects.iou(), objects.dice(), objects.objectF1(),
        objects.ap(), objects.seg());
  }
}
