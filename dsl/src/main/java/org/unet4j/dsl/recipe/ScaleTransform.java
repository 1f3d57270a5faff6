package org.unet4j.dsl.recipe;

import org.unet4j.dsl.Default;
import org.unet4j.dsl.Doc;
import org.unet4j.dsl.Range;
import org.unet4j.dsl.Specs;
import org.unet4j.dsl.SpecException;
import org.unet4j.dsl.TypeName;
import org.unet4j.dsl.json.SpecJson;

/** Isotropic zoom by a factor drawn log-uniformly from [minFactor, maxFactor]. */
@TypeName("scale")
@Doc("Isotropic zoom by a random factor.")
public record ScaleTransform(
    @Doc("chance that a training sample gets this transform") @Default("1") @Range(min = 0, max = 1)
        double probability,
    @Doc("smallest zoom factor (factors are drawn log-uniformly)") @Default("0.8") @Range(min = 0.1, max = 10)
        double minFactor,
    @Doc("largest zoom factor") @Default("1.25") @Range(min = 0.1, max = 10) double maxFactor)
    implements TransformSpec {

  public ScaleTransform {
    Specs.checkComponent(ScaleTransform.class, "probability", probability);
    Specs.checkComponent(ScaleTransform.class, "minFactor", minFactor);
    Specs.checkComponent(ScaleTransform.class, "maxFactor", maxFactor);
    if (minFactor > maxFactor) {
      throw new SpecException("minFactor", "expected at most maxFactor (" + maxFactor + "), got " + minFactor);
    }
  }

  /** The recipe format's defaults, read from the {@code @Default} annotations. */
  private static final ScaleTransform DEFAULTS = SpecJson.defaults(ScaleTransform.class);

  /** A builder that starts from the recipe format's defaults. */
  public static Builder builder() {
    return DEFAULTS.toBuilder();
  }

  /** A builder that starts from this spec's values, to build a changed copy. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Builds a zoom: short-lived and mutable; {@link #build()} validates like the constructor and throws
   * a {@link org.unet4j.dsl.SpecException} naming the field.
   */
  public static final class Builder {
    private double probability;
    private double minFactor;
    private double maxFactor;

    private Builder(ScaleTransform from) {
      this.probability = from.probability();
      this.minFactor = from.minFactor();
      this.maxFactor = from.maxFactor();
    }

    /** Chance that a training sample gets this transform. */
    public Builder probability(double probability) {
      this.probability = probability;
      return this;
    }

    public double probability() {
      return probability;
    }

    /** Smallest zoom factor. */
    public Builder minFactor(double minFactor) {
      this.minFactor = minFactor;
      return this;
    }

    public double minFactor() {
      return minFactor;
    }

    /** Largest zoom factor. */
    public Builder maxFactor(double maxFactor) {
      this.maxFactor = maxFactor;
      return this;
    }

    public double maxFactor() {
      return maxFactor;
    }

    public ScaleTransform build() {
      return new ScaleTransform(probability, minFactor, maxFactor);
    }
  }
}
