package org.unet4j.dsl.recipe;

import org.unet4j.dsl.Default;
import org.unet4j.dsl.Doc;
import org.unet4j.dsl.Range;
import org.unet4j.dsl.Specs;
import org.unet4j.dsl.TypeName;

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
}
