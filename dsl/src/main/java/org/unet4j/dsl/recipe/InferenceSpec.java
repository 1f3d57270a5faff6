package org.unet4j.dsl.recipe;

import static com.google.common.base.Preconditions.checkNotNull;

import org.unet4j.dsl.Default;
import org.unet4j.dsl.Doc;
import org.unet4j.dsl.Range;

/**
 * Overlap-tile prediction (paper Fig. 2) and post-processing: the input tile, test-time
 * augmentation, the foreground threshold and clean-up of the instance labels.
 */
@Doc("Overlap-tile prediction, test-time augmentation and post-processing.")
public record InferenceSpec(
    @Doc("input tile size in pixels; must be valid for the model") @Default("572") @Range(min = 1, max = 65536)
        int tile,
    @Doc("tiles predicted together") @Default("1") @Range(min = 1, max = 256) int batchSize,
    @Default("\"none\"") TestTimeAugmentation tta,
    @Doc("foreground probability above which a pixel is foreground") @Default("0.5") @Range(min = 0, max = 1)
        double threshold,
    @Doc("objects smaller than this many pixels are dropped") @Default("0") @Range(min = 0, max = 1e9)
        int minObjectSize,
    @Doc("fill holes inside objects") @Default("false") boolean fillHoles) {

  public InferenceSpec {
    checkNotNull(tta, "tta");
  }

  /** Tile 572, no TTA, threshold 0.5, no clean-up. */
  public static InferenceSpec paper() {
    return new InferenceSpec(572, 1, TestTimeAugmentation.NONE, 0.5, 0, false);
  }
}
