/**
 * A trained model on disk: a run directory and its lock, checkpoints, the exported SavedModel and
 * its metadata, and loading either of them for prediction. Written by the trainer, read by
 * inference, evaluation and Spark; it knows neither of them.
 */
@NullMarked
package org.unet4j.recipes.model;

import org.jspecify.annotations.NullMarked;
