package org.unet4j.dsl.recipe;

import static com.google.common.base.Preconditions.checkNotNull;

import org.unet4j.dsl.Default;
import org.unet4j.dsl.Doc;
import org.unet4j.dsl.Range;
import org.unet4j.dsl.Specs;
import org.unet4j.dsl.SpecException;

/** Intensity normalisation of input images, applied the same way in training and prediction. */
@Doc("Intensity normalisation of input images.")
public record NormalizationSpec(
    @Doc("per image: percentile (the low and high percentiles to 0 and 1), min-max or z-score; or type-range"
        + " (divide by 255, 65535)")
        @Default("\"percentile\"") IntensityScaling scaling,
    @Doc("low percentile (percentile scaling)") @Default("1") @Range(min = 0, max = 100) double low,
    @Doc("high percentile (percentile scaling)") @Default("99.8") @Range(min = 0, max = 100) double high) {

  public NormalizationSpec {
    checkNotNull(scaling, "scaling");
    Specs.checkComponent(NormalizationSpec.class, "low", low);
    Specs.checkComponent(NormalizationSpec.class, "high", high);
    if (low >= high) {
      throw new SpecException("low", "expected below high (" + high + "), got " + low);
    }
  }

  /** Percentiles 1 and 99.8 per image. */
  public static NormalizationSpec percentile() {
    return new NormalizationSpec(IntensityScaling.PERCENTILE, 1, 99.8);
  }
}
