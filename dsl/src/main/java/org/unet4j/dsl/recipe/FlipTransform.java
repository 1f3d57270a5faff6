package org.unet4j.dsl.recipe;

import static com.google.common.base.Preconditions.checkNotNull;

import org.unet4j.dsl.Default;
import org.unet4j.dsl.Doc;
import org.unet4j.dsl.Range;
import org.unet4j.dsl.Specs;
import org.unet4j.dsl.TypeName;
import org.unet4j.dsl.json.SpecJson;

/**
 * Mirror and quarter-turn symmetry: each of the 8 dihedral transforms (or only the mirrors)
 * chosen with equal chance.
 */
@TypeName("flip")
@Doc("Random mirroring and, with dihedral, quarter turns.")
public record FlipTransform(
    @Doc("chance that a training sample gets this transform") @Default("1") @Range(min = 0, max = 1)
        double probability,
    @Doc("mirrors only, or all 8 dihedral transforms (mirrors and quarter turns)")
        @Default("\"dihedral\"") Symmetry symmetry) implements TransformSpec {

  /** Which symmetries a flip draws from. */
  public enum Symmetry {
    /** Horizontal and vertical mirrors: 4 transforms. */
    MIRRORS,
    /** Mirrors and rotations by multiples of 90 degrees: 8 transforms. */
    DIHEDRAL
  }

  public FlipTransform {
    checkNotNull(symmetry, "symmetry");
    Specs.checkComponent(FlipTransform.class, "probability", probability);
  }

  /** The recipe format's defaults, read from the {@code @Default} annotations. */
  private static final FlipTransform DEFAULTS = SpecJson.defaults(FlipTransform.class);

  /** A builder that starts from the recipe format's defaults. */
  public static Builder builder() {
    return DEFAULTS.toBuilder();
  }

  /** A builder that starts from this spec's values, to build a changed copy. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Builds a flip: short-lived and mutable; {@link #build()} validates like the constructor and throws
   * a {@link org.unet4j.dsl.SpecException} naming the field.
   */
  public static final class Builder {
    private double probability;
    private Symmetry symmetry;

    private Builder(FlipTransform from) {
      this.probability = from.probability();
      this.symmetry = from.symmetry();
    }

    /** Chance that a training sample gets this transform. */
    public Builder probability(double probability) {
      this.probability = probability;
      return this;
    }

    public double probability() {
      return probability;
    }

    /** Mirrors only, or all 8 dihedral transforms. */
    public Builder symmetry(Symmetry symmetry) {
      this.symmetry = checkNotNull(symmetry, "symmetry");
      return this;
    }

    public Symmetry symmetry() {
      return symmetry;
    }

    public FlipTransform build() {
      return new FlipTransform(probability, symmetry);
    }
  }
}
