/** The trainer: training graph, optimizers, schedules, checkpoints, run directory, export. */
@NullMarked
package org.unet4j.recipes.train;

import org.jspecify.annotations.NullMarked;
