/**
 * Training-time augmentation in pure Java (paper Sec. 3.1): elastic deformation on a coarse grid,
 * shifts, rotations, flips, zoom and gray-value changes, applied consistently to the image, the
 * class labels and the weight map of one sample.
 *
 * <p>All geometric transforms of a sample are composed into one coordinate map ({@link Warp}) and
 * every array is resampled once. Everything random is drawn from a SplitMix64 stream seeded with
 * the given seed only ({@link Seeds}), so a seed gives bit-identical tiles on every machine and
 * thread. {@link Augmenter} is the entry point; {@link Augmentation} is the extension point.
 */
@NullMarked
package org.unet4j.augment;

import org.jspecify.annotations.NullMarked;
