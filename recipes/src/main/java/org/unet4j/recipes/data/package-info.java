/** Datasets, image I/O and the tiles that feed the trainer. */
@NullMarked
package org.unet4j.recipes.data;

import org.jspecify.annotations.NullMarked;
