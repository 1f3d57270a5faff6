package org.unet4j.dsl.recipe;

import static com.google.common.base.Preconditions.checkNotNull;

import org.unet4j.dsl.Default;
import org.unet4j.dsl.Doc;
import org.unet4j.dsl.Range;
import org.unet4j.dsl.Specs;
import org.unet4j.dsl.SpecException;
import org.unet4j.dsl.json.SpecJson;

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

  /** The recipe format's defaults, read from the {@code @Default} annotations. */
  private static final NormalizationSpec DEFAULTS = SpecJson.defaults(NormalizationSpec.class);

  /** A builder that starts from the recipe format's defaults. */
  public static Builder builder() {
    return DEFAULTS.toBuilder();
  }

  /** A builder that starts from this spec's values, to build a changed copy. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Builds a normalisation spec: short-lived and mutable; {@link #build()} validates like the constructor and throws
   * a {@link org.unet4j.dsl.SpecException} naming the field.
   */
  public static final class Builder {
    private IntensityScaling scaling;
    private double low;
    private double high;

    private Builder(NormalizationSpec from) {
      this.scaling = from.scaling();
      this.low = from.low();
      this.high = from.high();
    }

    /** How raw intensities map to the net's input range. */
    public Builder scaling(IntensityScaling scaling) {
      this.scaling = checkNotNull(scaling, "scaling");
      return this;
    }

    public IntensityScaling scaling() {
      return scaling;
    }

    /** Low percentile (percentile scaling). */
    public Builder low(double low) {
      this.low = low;
      return this;
    }

    public double low() {
      return low;
    }

    /** High percentile (percentile scaling). */
    public Builder high(double high) {
      this.high = high;
      return this;
    }

    public double high() {
      return high;
    }

    public NormalizationSpec build() {
      return new NormalizationSpec(scaling, low, high);
    }
  }
}
