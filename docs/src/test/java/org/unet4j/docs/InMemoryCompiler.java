package org.unet4j.docs;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles Java sources held in memory against the test class path and loads the classes, with
 * no files written: {@code javax.tools} with a file manager that keeps the class files as bytes.
 */
final class InMemoryCompiler {
  /** The result of one compilation: loaded classes by name, or the errors by source name. */
  record Result(ClassLoader loader, Map<String, List<Diagnostic<? extends JavaFileObject>>> errors) {
    boolean ok() {
      return errors.isEmpty();
    }
  }

  private final JavaCompiler compiler;
  private final String classPath;
  /** Shared between compilations: it caches what it read of the class path's jars. */
  private final StandardJavaFileManager standard;

  InMemoryCompiler() {
    this.compiler = ToolProvider.getSystemJavaCompiler();
    if (compiler == null) {
      throw new IllegalStateException("no Java compiler in this runtime (" + System.getProperty("java.home")
          + "); the guide's snippets need a JDK, not a JRE");
    }
    this.classPath = testClassPath();
    this.standard = compiler.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8);
  }

  /**
   * Compiles {@code sources} (class name to source text) together. Warnings are ignored; errors
   * come back per class name.
   */
  Result compile(Map<String, String> sources) {
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    Map<String, ByteArrayOutputStream> classes = new LinkedHashMap<>();
    List<JavaFileObject> units = new ArrayList<>();
    sources.forEach((name, text) -> units.add(new Source(name, text)));
    JavaFileManager files = new ForwardingJavaFileManager<>(standard) {
      @Override
      public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
          FileObject sibling) {
        return new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/') + kind.extension), kind) {
          @Override
          public OutputStream openOutputStream() {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            classes.put(className, bytes);
            return bytes;
          }
        };
      }
    };
    List<String> options = List.of("--release", "17", "-proc:none", "-encoding", "UTF-8",
        "-classpath", classPath);
    boolean ok = compiler.getTask(null, files, diagnostics, options, null, units).call();
    Map<String, List<Diagnostic<? extends JavaFileObject>>> errors = new LinkedHashMap<>();
    for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
      if (d.getKind() == Diagnostic.Kind.ERROR) {
        String name = d.getSource() instanceof Source s ? s.className : "";
        errors.computeIfAbsent(name, k -> new ArrayList<>()).add(d);
      }
    }
    if (!ok && errors.isEmpty()) {
      errors.put("", List.of());
    }
    ClassLoader loader = new ClassLoader(InMemoryCompiler.class.getClassLoader()) {
      @Override
      protected Class<?> findClass(String name) throws ClassNotFoundException {
        ByteArrayOutputStream bytes = classes.get(name);
        if (bytes == null) {
          throw new ClassNotFoundException(name);
        }
        byte[] b = bytes.toByteArray();
        return defineClass(name, b, 0, b.length);
      }
    };
    return new Result(loader, errors);
  }

  /**
   * The class path the tests run with. When Surefire starts the JVM from a manifest-only jar,
   * {@code java.class.path} names only that jar and the real one is in {@code surefire.test.class.path}.
   */
  private static String testClassPath() {
    String cp = System.getProperty("java.class.path", "");
    String surefire = System.getProperty("surefire.test.class.path");
    boolean manifestOnly = !cp.contains(File.pathSeparator) && cp.contains("surefirebooter");
    return manifestOnly && surefire != null ? surefire : cp;
  }

  /** A source file held in memory. */
  private static final class Source extends SimpleJavaFileObject {
    final String className;
    final String text;

    Source(String className, String text) {
      super(URI.create("mem:///" + className.replace('.', '/') + Kind.SOURCE.extension), Kind.SOURCE);
      this.className = className;
      this.text = text;
    }

    @Override
    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
      return text;
    }
  }
}
