package org.unet4j.dsl.recipe;

import org.unet4j.dsl.Default;
import org.unet4j.dsl.Doc;
import org.unet4j.dsl.Range;
import org.unet4j.dsl.Specs;
import org.unet4j.dsl.TypeName;

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
}
