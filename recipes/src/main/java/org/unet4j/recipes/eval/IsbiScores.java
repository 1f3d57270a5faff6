package org.unet4j.recipes.eval;

import static com.google.common.base.Preconditions.checkNotNull;

/**
 * The ISBI 2012 challenge's five numbers for one image or stack, each at its own best threshold:
 * errors (lower is better) {@code pixelError}, {@code randError}, {@code warpingError}; scores
 * (higher is better) {@code vRand}, {@code vInfo}.
 */
public record IsbiScores(BestScore pixelError, BestScore randError, BestScore warpingError, BestScore vRand,
    BestScore vInfo) {

  public IsbiScores {
    checkNotNull(pixelError, "pixelError");
    checkNotNull(randError, "randError");
    checkNotNull(warpingError, "warpingError");
    checkNotNull(vRand, "vRand");
    checkNotNull(vInfo, "vInfo");
  }
}
