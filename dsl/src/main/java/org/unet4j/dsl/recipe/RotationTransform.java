package org.unet4j.dsl.recipe;

import org.unet4j.dsl.Default;
import org.unet4j.dsl.Doc;
import org.unet4j.dsl.Range;
import org.unet4j.dsl.Specs;
import org.unet4j.dsl.TypeName;

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
}
