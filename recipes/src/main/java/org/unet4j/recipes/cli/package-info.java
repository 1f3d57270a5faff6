/** The {@code unet4j} command line. */
@NullMarked
package org.unet4j.recipes.cli;

import org.jspecify.annotations.NullMarked;
