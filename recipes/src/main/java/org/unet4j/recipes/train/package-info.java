/**
 * The trainer: training graph, optimizers, schedules, listeners and early stopping. What it writes
 * (checkpoints, run directory, export) lives in {@code org.unet4j.recipes.model}.
 */
@NullMarked
package org.unet4j.recipes.train;

import org.jspecify.annotations.NullMarked;
