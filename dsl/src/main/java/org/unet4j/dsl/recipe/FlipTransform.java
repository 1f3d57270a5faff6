package org.unet4j.dsl.recipe;

import static com.google.common.base.Preconditions.checkNotNull;

import org.unet4j.dsl.Default;
import org.unet4j.dsl.Doc;
import org.unet4j.dsl.Range;
import org.unet4j.dsl.Specs;
import org.unet4j.dsl.TypeName;

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
}
