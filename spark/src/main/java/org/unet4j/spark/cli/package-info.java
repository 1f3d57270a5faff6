/** The {@code unet4j spark-predict} command. */
@NullMarked
package org.unet4j.spark.cli;

import org.jspecify.annotations.NullMarked;
