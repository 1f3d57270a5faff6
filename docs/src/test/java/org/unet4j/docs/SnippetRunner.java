package org.unet4j.docs;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.jspecify.annotations.Nullable;

/**
 * Compiles and runs {@link JavaSnippet}s. The wrapped snippets are compiled in one go, which keeps
 * the suite fast (javac's start-up dominates); when some of them have errors, the others are
 * compiled again together without them. A snippet that declares its own class (whose name may
 * repeat across the guide) is compiled on its own.
 */
final class SnippetRunner {
  private final InMemoryCompiler compiler = new InMemoryCompiler();
  /** The first compilation of all wrapped snippets: its errors, by class name. */
  private final InMemoryCompiler.Result first;
  /** The wrapped snippets without errors, compiled together. */
  private final InMemoryCompiler.Result batch;

  SnippetRunner(List<JavaSnippet> snippets) {
    Map<String, String> wrapped = snippets.stream().filter(s -> s.wrapped)
        .collect(Collectors.toMap(s -> s.className, s -> s.source, (a, b) -> a, LinkedHashMap::new));
    this.first = compiler.compile(wrapped);
    if (first.ok()) {
      this.batch = first;
    } else {
      wrapped.keySet().removeAll(first.errors().keySet());
      this.batch = compiler.compile(wrapped);
    }
  }

  /**
   * Compiles {@code snippet}, runs it unless it is {@code no-run}, and throws an
   * {@link AssertionError} naming the Markdown file and line when it does not compile, a
   * {@code // =>} check fails or it throws.
   */
  void check(JavaSnippet snippet) throws Exception {
    if (!snippet.problems.isEmpty()) {
      throw new AssertionError(String.join("\n", snippet.problems));
    }
    InMemoryCompiler.Result compiled;
    if (snippet.wrapped && first.errors().containsKey(snippet.className)) {
      compiled = first;
    } else if (snippet.wrapped && batch.ok()) {
      compiled = batch;
    } else {
      compiled = compiler.compile(Map.of(snippet.className, snippet.source));
    }
    if (!compiled.ok()) {
      throw new AssertionError("the snippet does not compile:\n" + describe(snippet, compiled));
    }
    if (snippet.fence.has("no-run")) {
      return;
    }
    Class<?> type = compiled.loader().loadClass(snippet.className);
    Method entry = snippet.wrapped ? type.getMethod("run") : main(type);
    if (entry == null) {
      return;
    }
    SnippetExpectations.reset();
    try {
      entry.invoke(null, snippet.wrapped ? new Object[0] : new Object[] {new String[0]});
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      List<String> lines = new ArrayList<>(SnippetExpectations.failures());
      lines.add(thrownAt(snippet, cause) + ": the snippet throws " + cause);
      AssertionError failure = new AssertionError(String.join("\n", lines));
      failure.initCause(cause);
      throw failure;
    }
    List<String> failures = SnippetExpectations.failures();
    if (!failures.isEmpty()) {
      throw new AssertionError(String.join("\n", failures));
    }
  }

  private static @Nullable Method main(Class<?> type) {
    try {
      Method main = type.getMethod("main", String[].class);
      return Modifier.isStatic(main.getModifiers()) ? main : null;
    } catch (NoSuchMethodException none) {
      return null;
    }
  }

  private static String describe(JavaSnippet snippet, InMemoryCompiler.Result result) {
    List<String> lines = new ArrayList<>();
    List<Diagnostic<? extends JavaFileObject>> own = result.errors().get(snippet.className);
    for (List<Diagnostic<? extends JavaFileObject>> errors : own != null ? List.of(own) : result.errors().values()) {
      for (Diagnostic<? extends JavaFileObject> d : errors) {
        String at = d.getLineNumber() > 0 ? snippet.where(d.getLineNumber()) : snippet.fence.where(1);
        lines.add(at + ": " + d.getMessage(Locale.ROOT));
      }
    }
    return lines.isEmpty() ? snippet.fence.where(1) + ": the compiler failed without saying why"
        : String.join("\n", lines);
  }

  /** The Markdown line of the snippet's deepest frame in the stack of {@code thrown}. */
  private static String thrownAt(JavaSnippet snippet, Throwable thrown) {
    for (StackTraceElement frame : thrown.getStackTrace()) {
      String c = frame.getClassName();
      if ((c.equals(snippet.className) || c.startsWith(snippet.className + "$")) && frame.getLineNumber() > 0) {
        return snippet.where(frame.getLineNumber());
      }
    }
    return snippet.fence.where(1);
  }
}
