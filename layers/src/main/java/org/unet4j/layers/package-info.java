/**
 * The compiler from a {@link org.unet4j.dsl.model.ModelSpec} to a TensorFlow Java graph: unpadded
 * or padded convolutions, pooling, up-convolutions, centre crop and concatenation, dropout, batch
 * normalization and the 1x1 head, with He-initialised variables named by their spec path
 * ({@code contracting/2/conv1/kernel}). Entry point: {@link org.unet4j.layers.ModelCompiler}.
 */
@NullMarked
package org.unet4j.layers;

import org.jspecify.annotations.NullMarked;
