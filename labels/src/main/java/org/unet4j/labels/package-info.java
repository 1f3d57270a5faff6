/**
 * The paper's weight map (Sec. 3, eq. 2) and separation borders (Fig. 3c), in pure Java: label
 * images are decoded into cell instances ({@link org.unet4j.labels.LabelDecoder}),
 * touching cells are split apart ({@link org.unet4j.labels.SeparationBorders}), and
 * {@link org.unet4j.labels.WeightMap} computes the class labels and the per-pixel loss
 * weights that a training image needs, cached once per image by
 * {@link org.unet4j.labels.WeightMapCache}. Nothing here loads TensorFlow.
 */
@NullMarked
package org.unet4j.labels;

import org.jspecify.annotations.NullMarked;
