package org.unet4j.dsl.recipe;

/**
 * How the learning rate changes over the run, chosen by its logical {@code "type"}:
 * {@code constant}, {@code step} or {@code cosine}; the training spec's warm-up applies before it.
 */
public sealed interface ScheduleSpec permits ConstantSchedule, StepSchedule, CosineSchedule {}
