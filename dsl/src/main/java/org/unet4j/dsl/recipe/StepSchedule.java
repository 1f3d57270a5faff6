package org.unet4j.dsl.recipe;

import org.unet4j.dsl.Default;
import org.unet4j.dsl.Doc;
import org.unet4j.dsl.Range;
import org.unet4j.dsl.Specs;
import org.unet4j.dsl.TypeName;

/** The learning rate is multiplied by {@code factor} every {@code every} steps. */
@TypeName("step")
@Doc("Multiply the learning rate by a factor at regular steps.")
public record StepSchedule(
    @Doc("steps between decays") @Range(min = 1, max = 1e9) int every,
    @Doc("factor applied at each decay") @Default("0.1") @Range(min = 0, max = 1, minExclusive = true)
        double factor) implements ScheduleSpec {

  public StepSchedule {
    Specs.checkComponent(StepSchedule.class, "every", every);
    Specs.checkComponent(StepSchedule.class, "factor", factor);
  }
}
