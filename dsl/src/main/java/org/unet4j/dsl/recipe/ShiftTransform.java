package org.unet4j.dsl.recipe;

import org.unet4j.dsl.Default;
import org.unet4j.dsl.Doc;
import org.unet4j.dsl.Range;
import org.unet4j.dsl.Specs;
import org.unet4j.dsl.TypeName;
import org.unet4j.dsl.json.SpecJson;

/** Translation by up to {@code maxPixels} along each axis. */
@TypeName("shift")
@Doc("Translation by a uniform random offset.")
public record ShiftTransform(
    @Doc("chance that a training sample gets this transform") @Default("1") @Range(min = 0, max = 1)
        double probability,
    @Doc("largest offset per axis in pixels") @Default("16") @Range(min = 0, max = 4096) double maxPixels)
    implements TransformSpec {

  public ShiftTransform {
    Specs.checkComponent(ShiftTransform.class, "probability", probability);
    Specs.checkComponent(ShiftTransform.class, "maxPixels", maxPixels);
  }

  /** The recipe format's defaults, read from the {@code @Default} annotations. */
  private static final ShiftTransform DEFAULTS = SpecJson.defaults(ShiftTransform.class);

  /** A builder that starts from the recipe format's defaults. */
  public static Builder builder() {
    return DEFAULTS.toBuilder();
  }

  /** A builder that starts from this spec's values, to build a changed copy. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Builds a shift: short-lived and mutable; {@link #build()} validates like the constructor and throws
   * a {@link org.unet4j.dsl.SpecException} naming the field.
   */
  public static final class Builder {
    private double probability;
    private double maxPixels;

    private Builder(ShiftTransform from) {
      this.probability = from.probability();
      this.maxPixels = from.maxPixels();
    }

    /** Chance that a training sample gets this transform. */
    public Builder probability(double probability) {
      this.probability = probability;
      return this;
    }

    public double probability() {
      return probability;
    }

    /** Largest offset per axis in pixels. */
    public Builder maxPixels(double maxPixels) {
      this.maxPixels = maxPixels;
      return this;
    }

    public double maxPixels() {
      return maxPixels;
    }

    public ShiftTransform build() {
      return new ShiftTransform(probability, maxPixels);
    }
  }
}
