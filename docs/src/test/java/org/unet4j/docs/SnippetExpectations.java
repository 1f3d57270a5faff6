package org.unet4j.docs;

import java.util.ArrayList;
import java.util.List;

/**
 * The checks that guide snippets are rewritten into (see {@link JavaSnippet}); public because
 * the generated snippet classes call them. A failed check is recorded and the snippet goes on, so
 * one run reports every line that no longer shows what the code gives; each names the Markdown
 * file and line.
 */
public final class SnippetExpectations {
  private static final ThreadLocal<List<String>> FAILURES = ThreadLocal.withInitial(ArrayList::new);

  private SnippetExpectations() {}

  /** Forgets the failures recorded so far on this thread. */
  static void reset() {
    FAILURES.get().clear();
  }

  /** The failures recorded on this thread since {@link #reset()}. */
  static List<String> failures() {
    return List.copyOf(FAILURES.get());
  }

  /** A statement whose failure is checked, for {@code // => throws ...}. */
  @FunctionalInterface
  public interface Code {
    void run() throws Exception;
  }

  /** {@code expr; // => expected}: {@code String.valueOf(actual)} must equal {@code expected}. */
  public static void equal(String where, Object actual, String expected) {
    String got = String.valueOf(actual);
    if (!got.equals(expected)) {
      FAILURES.get().add(where + ": the guide says " + expected + " but the code gives " + got);
    }
  }

  /**
   * {@code statement; // => throws Type: message}: the statement must throw an exception of that
   * simple class name whose message starts with {@code message} (the text after the colon).
   */
  public static void fails(String where, Code code, String expected) {
    int colon = expected.indexOf(':');
    String type = (colon < 0 ? expected : expected.substring(0, colon)).strip();
    String message = colon < 0 ? "" : expected.substring(colon + 1).strip();
    try {
      code.run();
    } catch (Exception e) {
      String got = e.getClass().getSimpleName() + ": " + e.getMessage();
      if (!e.getClass().getSimpleName().equals(type) || !String.valueOf(e.getMessage()).startsWith(message)) {
        FAILURES.get().add(where + ": the guide says it throws " + expected + " but it throws " + got);
      }
      return;
    }
    FAILURES.get().add(where + ": the guide says it throws " + expected + " but it completes normally");
  }
}
