package org.unet4j.dsl.recipe;

import org.unet4j.dsl.Default;
import org.unet4j.dsl.Doc;
import org.unet4j.dsl.Range;
import org.unet4j.dsl.Specs;
import org.unet4j.dsl.TypeName;

/** Cosine decay from the learning rate to {@code minFactor} times it at the last step. */
@TypeName("cosine")
@Doc("Cosine decay to a fraction of the learning rate.")
public record CosineSchedule(
    @Doc("final learning rate as a fraction of the initial one") @Default("0") @Range(min = 0, max = 1)
        double minFactor) implements ScheduleSpec {

  public CosineSchedule {
    Specs.checkComponent(CosineSchedule.class, "minFactor", minFactor);
  }
}
