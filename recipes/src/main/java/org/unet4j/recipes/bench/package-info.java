/**
 * {@code unet4j bench}: how close training and prediction come to this machine's float32
 * matrix-multiply rate, measured through TensorFlow in the same run, plus tiling overhead, memory
 * and per-step allocation. Entry point: {@link org.unet4j.recipes.bench.Benchmark}.
 */
@NullMarked
package org.unet4j.recipes.bench;

import org.jspecify.annotations.NullMarked;
