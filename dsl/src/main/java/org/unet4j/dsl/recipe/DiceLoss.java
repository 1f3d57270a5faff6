package org.unet4j.dsl.recipe;

import org.unet4j.dsl.Default;
import org.unet4j.dsl.Doc;
import org.unet4j.dsl.Range;
import org.unet4j.dsl.Specs;
import org.unet4j.dsl.TypeName;

/** Soft Dice loss 1 - (2 sum(p y) + s) / (sum p + sum y + s), averaged over the foreground classes. */
@TypeName("dice")
@Doc("Soft Dice loss over the foreground classes.")
public record DiceLoss(
    @Doc("smoothing term s") @Default("1") @Range(min = 0, max = 1e6) double smooth) implements LossSpec {

  public DiceLoss {
    Specs.checkComponent(DiceLoss.class, "smooth", smooth);
  }
}
