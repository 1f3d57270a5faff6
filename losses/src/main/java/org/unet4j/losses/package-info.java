/**
 * The training losses as TensorFlow graph ops: the paper's weighted pixel-wise soft-max
 * cross-entropy (eq. 1), plain cross-entropy, soft Dice, focal loss and weighted sums of these,
 * for soft-max or per-class sigmoid outputs. Entry points: {@link org.unet4j.losses.Losses#of}
 * turns a {@link org.unet4j.dsl.recipe.LossSpec} into a {@link org.unet4j.losses.Loss}, which
 * {@link org.unet4j.losses.Loss#build builds} a scalar from {@link org.unet4j.losses.LossInputs}.
 *
 * <p>Every op used here has a gradient in TensorFlow Java 1.1.0 (the sparse soft-max op does not,
 * so labels are one-hot encoded once in {@link org.unet4j.losses.LossInputs#of}).
 */
@NullMarked
package org.unet4j.losses;

import org.jspecify.annotations.NullMarked;
