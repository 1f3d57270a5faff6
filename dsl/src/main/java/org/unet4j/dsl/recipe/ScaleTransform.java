package org.unet4j.dsl.recipe;

import org.unet4j.dsl.Default;
import org.unet4j.dsl.Doc;
import org.unet4j.dsl.Range;
import org.unet4j.dsl.Specs;
import org.unet4j.dsl.SpecException;
import org.unet4j.dsl.TypeName;

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
}
