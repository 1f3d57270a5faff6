package org.unet4j.dsl;

/**
 * A spec that cannot be what it says: a value out of range, a shape that does not fit, an unknown
 * field in a recipe. The message always starts with the spec path of the offending part
 * ({@code model.contracting[2].convs}) so it can be found in the recipe or in the builder call.
 */
public final class SpecException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  private final String path;
  private final String problem;

  public SpecException(String path, String problem) {
    super(path.isEmpty() ? problem : path + ": " + problem);
    this.path = path;
    this.problem = problem;
  }

  /** The spec path of the offending part, empty for the root. */
  public String path() {
    return path;
  }

  /** What is wrong and what would be valid, without the path. */
  public String problem() {
    return problem;
  }

  /** The same problem seen from a parent: {@code convs} under {@code model.contracting[2]}. */
  public SpecException under(String parent) {
    if (parent.isEmpty()) {
      return this;
    }
    String joined = path.isEmpty() ? parent : path.startsWith("[") ? parent + path : parent + "." + path;
    SpecException wrapped = new SpecException(joined, problem);
    wrapped.setStackTrace(getStackTrace());
    return wrapped;
  }
}
