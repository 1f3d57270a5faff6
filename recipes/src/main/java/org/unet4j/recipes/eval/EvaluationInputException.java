package org.unet4j.recipes.eval;

import org.unet4j.dsl.InvalidInputException;

/**
 * A file evaluation cannot start: a truth or prediction that does not exist, a truth without a
 * prediction, objects asked from labels that are not there. The message starts with the path or
 * value of {@link #input()} and says what would be valid; a command line puts its option's name
 * before it.
 */
public final class EvaluationInputException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  private final EvaluationInput input;

  public EvaluationInputException(EvaluationInput input, String message) {
    super(message);
    this.input = input;
  }

  public EvaluationInput input() {
    return input;
  }
}
