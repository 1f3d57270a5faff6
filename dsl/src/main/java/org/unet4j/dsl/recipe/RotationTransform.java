package org.unet4j.dsl.recipe;

import org.unet4j.dsl.Default;
import org.unet4j.dsl.Doc;
import org.unet4j.dsl.Range;
import org.unet4j.dsl.Specs;
import org.unet4j.dsl.TypeName;
import org.unet4j.dsl.json.SpecJson;

/** Rotation by an angle drawn uniformly from [-maxDegrees, maxDegrees]. */
@TypeName("rotation")
@Doc("Rotation by a uniform random angle.")
public record RotationTransform(
    @Doc("chance that a training sample gets this transform") @Default("1") @Range(min = 0, max = 1)
        double probability,
    @Doc("largest angle in degrees") @Default("180") @Range(min = 0, max = 180) double maxDegrees)
    implements TransformSpec {

  public RotationTransform {
    Specs.checkComponent(RotationTransform.class, "probability", probability);
    Specs.checkComponent(RotationTransform.class, "maxDegrees", maxDegrees);
  }

  /** The recipe format's defaults, read from the {@code @Default} annotations. */
  private static final RotationTransform DEFAULTS = SpecJson.defaults(RotationTransform.class);

  /** A builder that starts from the recipe format's defaults. */
  public static Builder builder() {
    return DEFAULTS.toBuilder();
  }

  /** A builder that starts from this spec's values, to build a changed copy. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Builds a rotation: short-lived and mutable; {@link #build()} validates like the constructor and throws
   * a {@link org.unet4j.dsl.SpecException} naming the field.
   */
  public static final class Builder {
    private double probability;
    private double maxDegrees;

    private Builder(RotationTransform from) {
      this.probability = from.probability();
      this.maxDegrees = from.maxDegrees();
    }

    /** Chance that a training sample gets this transform. */
    public Builder probability(double probability) {
      this.probability = probability;
      return this;
    }

    public double probability() {
      return probability;
    }

    /** Largest angle in degrees. */
    public Builder maxDegrees(double maxDegrees) {
      this.maxDegrees = maxDegrees;
      return this;
    }

    public double maxDegrees() {
      return maxDegrees;
    }

    public RotationTransform build() {
      return new RotationTransform(probability, maxDegrees);
    }
  }
}
