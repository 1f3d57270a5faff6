package org.unet4j.spark;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.io.Serializable;
import org.jspecify.annotations.Nullable;

/**
 * What became of one work unit.
 *
 * @param unit the unit
 * @param error why it failed; null when it succeeded
 * @param stats for a whole-image unit that succeeded, its objects and foreground; null otherwise
 * @param seconds the time the unit took
 */
public record UnitResult(WorkUnit unit, @Nullable String error, @Nullable ImageStats stats, double seconds)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  public UnitResult {
    checkNotNull(unit, "unit");
    checkArgument(stats == null || (unit.whole() && error == null), "stats belong to whole images that succeeded");
  }

  public boolean succeeded() {
    return error == null;
  }

  /** The message of an exception for the results table: what failed and why, on one line. */
  static String reason(Throwable e) {
    String message = e.getMessage();
    String text = e instanceof IllegalArgumentException || e instanceof java.io.UncheckedIOException
        ? (message == null ? e.getClass().getSimpleName() : message)
        : e.toString();
    return text.replaceAll("\\s*\\R\\s*", " ").strip();
  }
}
