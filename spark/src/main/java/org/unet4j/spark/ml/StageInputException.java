package org.unet4j.spark.ml;

import org.unet4j.dsl.InvalidInputException;

/**
 * A Spark ML stage that cannot run on the data it was given: a param it needs is not set, or its
 * input column is missing or of a type it does not read. Thrown on the driver when the pipeline is
 * checked ({@code transformSchema}), before any image is read.
 */
public final class StageInputException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  public StageInputException(String message) {
    super(message);
  }
}
