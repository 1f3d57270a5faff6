/** The {@code unet4j} command line. */
@NullMarked
package org.unet4j.cli;

import org.jspecify.annotations.NullMarked;
