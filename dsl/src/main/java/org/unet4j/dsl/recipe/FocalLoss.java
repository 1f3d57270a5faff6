package org.unet4j.dsl.recipe;

import org.unet4j.dsl.Default;
import org.unet4j.dsl.Doc;
import org.unet4j.dsl.Range;
import org.unet4j.dsl.Specs;
import org.unet4j.dsl.TypeName;

/** Focal loss -(1 - p_t)^gamma log p_t (Lin et al. 2017), down-weighting easy pixels. */
@TypeName("focal")
@Doc("Focal loss, down-weighting easy pixels.")
public record FocalLoss(
    @Doc("focusing exponent gamma") @Default("2") @Range(min = 0, max = 10) double gamma) implements LossSpec {

  public FocalLoss {
    Specs.checkComponent(FocalLoss.class, "gamma", gamma);
  }
}
