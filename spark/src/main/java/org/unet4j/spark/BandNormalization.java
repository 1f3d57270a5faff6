package org.unet4j.spark;

import java.io.Serializable;
import org.unet4j.recipes.data.NormalizationStats;

/**
 * The normalisation of a whole page, computed once and given to every row band of it, so that
 * each band is normalised as the whole page is ({@link NormalizationStats}); for a volume split
 * into plane ranges, that of the whole volume, given to every range.
 */
public record BandNormalization(double offset, double scale) implements Serializable {
  private static final long serialVersionUID = 1L;

  static BandNormalization of(NormalizationStats stats) {
    return new BandNormalization(stats.offset(), stats.scale());
  }

  NormalizationStats stats() {
    return new NormalizationStats(offset, scale);
  }
}
