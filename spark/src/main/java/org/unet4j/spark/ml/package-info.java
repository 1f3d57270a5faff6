/**
 * unet4j as a Spark ML pipeline stage: {@link org.unet4j.spark.ml.UNetSegmenter} segments the
 * image of every row of a DataFrame (a path, or a file's content as {@code binaryFile} reads it)
 * with one model per executor JVM, and can be saved and loaded with the pipeline it sits in.
 */
@NullMarked
package org.unet4j.spark.ml;

import org.jspecify.annotations.NullMarked;
