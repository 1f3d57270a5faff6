package org.unet4j.spark;

import java.io.Serializable;
import java.util.List;
import org.unet4j.recipes.eval.Scores;

/**
 * The evaluation of one prediction against its ground truth, as {@code unet4j evaluate} computes
 * it: the ISBI challenge metrics each at its best threshold, and the object scores at the
 * prediction's threshold. NaN where a metric is undefined.
 */
public record ImageScores(double pixelError, double randError, double warpingError, double vRand, double vInfo,
    double iou, double dice, double objectF1, double ap, double seg) implements Serializable {
  private static final long serialVersionUID = 2L;

  /** The column names, in the order of {@link #values()}. */
  public static final List<String> COLUMNS = List.of("pixelError", "randError", "warpingError", "vRand", "vInfo",
      "iou", "dice", "objectF1", "ap", "seg");

  static ImageScores of(Scores s) {
    return new ImageScores(s.pixelError(), s.randError(), s.warpingError(), s.vRand(), s.vInfo(), s.iou(), s.dice(),
        s.objectF1(), s.ap(), s.seg());
  }

  /** The scores in the order of {@link #COLUMNS}. */
  public double[] values() {
    return new double[] {pixelError, randError, warpingError, vRand, vInfo, iou, dice, objectF1, ap, seg};
  }
}
