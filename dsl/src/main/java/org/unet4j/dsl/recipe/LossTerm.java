package org.unet4j.dsl.recipe;

import static com.google.common.base.Preconditions.checkNotNull;

import org.unet4j.dsl.Default;
import org.unet4j.dsl.Doc;
import org.unet4j.dsl.Range;
import org.unet4j.dsl.Specs;

/** One weighted term of a {@link CombinedLoss}. */
@Doc("One weighted term of a combined loss.")
public record LossTerm(
    @Doc("factor of this term") @Default("1") @Range(min = 0, max = 1000) double weight,
    LossSpec loss) {

  public LossTerm {
    checkNotNull(loss, "loss");
    Specs.checkComponent(LossTerm.class, "weight", weight);
  }
}
