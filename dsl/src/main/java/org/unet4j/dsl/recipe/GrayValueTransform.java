package org.unet4j.dsl.recipe;

import org.unet4j.dsl.Default;
import org.unet4j.dsl.Doc;
import org.unet4j.dsl.Range;
import org.unet4j.dsl.Specs;
import org.unet4j.dsl.TypeName;
import org.unet4j.dsl.json.SpecJson;

/**
 * Gray-value variation (paper Sec. 3.1): on normalised intensities, add a brightness offset in
 * [-brightness, brightness], multiply by a contrast factor in [1-contrast, 1+contrast], apply a
 * gamma in [1-gamma, 1+gamma] and add Gaussian noise with standard deviation {@code noise}.
 */
@TypeName("gray-value")
@Doc("Brightness, contrast, gamma and noise changes on normalised intensities.")
public record GrayValueTransform(
    @Doc("chance that a training sample gets this transform") @Default("1") @Range(min = 0, max = 1)
        double probability,
    @Doc("offset added, uniform in [-brightness, brightness]") @Default("0.1") @Range(min = 0, max = 1)
        double brightness,
    @Doc("factor applied, uniform in [1 - contrast, 1 + contrast]") @Default("0.2") @Range(min = 0, max = 0.99)
        double contrast,
    @Doc("gamma exponent, uniform in [1 - gamma, 1 + gamma]") @Default("0.2") @Range(min = 0, max = 0.99)
        double gamma,
    @Doc("standard deviation of additive Gaussian noise") @Default("0.02") @Range(min = 0, max = 1) double noise)
    implements TransformSpec {

  public GrayValueTransform {
    Specs.checkComponent(GrayValueTransform.class, "probability", probability);
    Specs.checkComponent(GrayValueTransform.class, "brightness", brightness);
    Specs.checkComponent(GrayValueTransform.class, "contrast", contrast);
    Specs.checkComponent(GrayValueTransform.class, "gamma", gamma);
    Specs.checkComponent(GrayValueTransform.class, "noise", noise);
  }

  /** The recipe format's defaults, read from the {@code @Default} annotations. */
  private static final GrayValueTransform DEFAULTS = SpecJson.defaults(GrayValueTransform.class);

  /** A builder that starts from the recipe format's defaults. */
  public static Builder builder() {
    return DEFAULTS.toBuilder();
  }

  /** A builder that starts from this spec's values, to build a changed copy. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Builds a gray-value change: short-lived and mutable; {@link #build()} validates like the constructor and throws
   * a {@link org.unet4j.dsl.SpecException} naming the field.
   */
  public static final class Builder {
    private double probability;
    private double brightness;
    private double contrast;
    private double gamma;
    private double noise;

    private Builder(GrayValueTransform from) {
      this.probability = from.probability();
      this.brightness = from.brightness();
      this.contrast = from.contrast();
      this.gamma = from.gamma();
      this.noise = from.noise();
    }

    /** Chance that a training sample gets this transform. */
    public Builder probability(double probability) {
      this.probability = probability;
      return this;
    }

    public double probability() {
      return probability;
    }

    /** Offset added, uniform in [-brightness, brightness]. */
    public Builder brightness(double brightness) {
      this.brightness = brightness;
      return this;
    }

    public double brightness() {
      return brightness;
    }

    /** Factor applied, uniform in [1 - contrast, 1 + contrast]. */
    public Builder contrast(double contrast) {
      this.contrast = contrast;
      return this;
    }

    public double contrast() {
      return contrast;
    }

    /** Gamma exponent, uniform in [1 - gamma, 1 + gamma]. */
    public Builder gamma(double gamma) {
      this.gamma = gamma;
      return this;
    }

    public double gamma() {
      return gamma;
    }

    /** Standard deviation of additive Gaussian noise. */
    public Builder noise(double noise) {
      this.noise = noise;
      return this;
    }

    public double noise() {
      return noise;
    }

    public GrayValueTransform build() {
      return new GrayValueTransform(probability, brightness, contrast, gamma, noise);
    }
  }
}
