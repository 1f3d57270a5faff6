package org.unet4j.dsl.recipe;

import org.unet4j.dsl.Doc;
import org.unet4j.dsl.TypeName;

/** The learning rate stays as given. */
@TypeName("constant")
@Doc("A constant learning rate.")
public record ConstantSchedule() implements ScheduleSpec {}
