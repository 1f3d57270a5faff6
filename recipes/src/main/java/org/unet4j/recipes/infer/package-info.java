/**
 * Prediction: overlap-tile inference of images of any size (paper Fig. 2), test-time
 * augmentation, instance labels from the foreground probability, and the files people look at.
 */
@NullMarked
package org.unet4j.recipes.infer;

import org.jspecify.annotations.NullMarked;
