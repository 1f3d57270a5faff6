/**
 * Batch prediction of image collections on Apache Spark: the inputs are surveyed, cut into work
 * units that balance across executors (whole images, page ranges of stacks), predicted with one
 * model per executor JVM, and written exactly as {@code unet4j predict} writes them, with a
 * per-image results table.
 */
@NullMarked
package org.unet4j.spark;

import org.jspecify.annotations.NullMarked;
