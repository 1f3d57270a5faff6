package org.unet4j.docs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.unet4j.docs.MarkdownFences.Fence;

/**
 * A {@code ```java} block of the guide turned into a Java compilation unit.
 *
 * <p>A block of statements is wrapped into {@code public static void run()} of a class of its own,
 * with the imports every guide snippet may assume ({@link #DEFAULT_IMPORTS}); {@code import} lines
 * at its top are moved to the class's imports. A block that declares its own class is compiled as
 * it is, with the same imports added (a package declaration is refused); its {@code main}, if any,
 * is what runs.
 *
 * <p>A statement followed by a trailing {@code // => expected} comment becomes a check that
 * {@code String.valueOf(expression)} equals the expected text: what follows {@code =>}, cut
 * before a {@code " ("} (a remark for the reader), with {@code _} removed between digits
 * ({@code 31_030_658}). For a declaration ({@code int out = g.outputSize(572); // => 388}) the
 * declared variable is checked. {@code // => throws SpecException: message} checks that the
 * statement throws that exception with a message starting with the given text.
 *
 * <p>All generated code keeps the block's lines where they were, so a compiler error or a failed
 * check can name the Markdown file and line.
 */
final class JavaSnippet {
  static final List<String> DEFAULT_IMPORTS = List.of(
      "org.unet4j.dsl.*", "org.unet4j.dsl.model.*", "org.unet4j.dsl.geometry.*", "org.unet4j.dsl.recipe.*",
      "java.util.*");

  private static final String CHECKS = SnippetExpectations.class.getName();
  private static final Pattern IMPORT = Pattern.compile("^\\s*import\\s+(static\\s+)?[\\w.]+(\\.\\*)?\\s*;\\s*$");
  private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+[\\w.]+\\s*;\\s*$");
  private static final Pattern TYPE = Pattern.compile(
      "^\\s*(?:@\\w+(?:\\([^)]*\\))?\\s+)*((?:(?:public|protected|private|abstract|final|static|sealed|non-sealed"
          + "|strictfp)\\s+)*)(?:class|interface|enum|record|@interface)\\s+(\\w+)");
  private static final Pattern DECLARATION = Pattern.compile(
      "^(?:final\\s+)?[A-Za-z_][\\w.]*\\s*(?:<[^;=()]*>)?\\s*(?:\\[\\s*]\\s*)*\\s([A-Za-z_]\\w*)\\s*=(?!=)");
  private static final Pattern DIGIT_UNDERSCORE = Pattern.compile("(?<=\\d)_(?=\\d)");

  final Fence fence;
  /** Whether the block was wrapped into {@code run()}; otherwise it declares its own class. */
  final boolean wrapped;
  final String className;
  final String source;
  /** Generated line {@code n} holds the block's line {@code n - lineOffset}. */
  final int lineOffset;
  /** Problems found before compiling, such as a {@code // =>} with no statement on its line. */
  final List<String> problems = new ArrayList<>();
  /** How many {@code // =>} checks the block holds. */
  int checks;

  JavaSnippet(Fence fence) {
    this.fence = fence;
    Scan scan = new Scan(fence.code());
    String[] masked = new String(scan.masked).split("\n", -1);
    int first = 0;
    boolean hasPackage = false;
    List<String> hoisted = new ArrayList<>();
    while (first < masked.length && (masked[first].isBlank() || IMPORT.matcher(masked[first]).matches()
        || PACKAGE.matcher(masked[first]).matches())) {
      hasPackage |= PACKAGE.matcher(masked[first]).matches();
      if (IMPORT.matcher(masked[first]).matches()) {
        hoisted.add(masked[first].strip());
      }
      first++;
    }
    this.wrapped = first >= masked.length || !TYPE.matcher(masked[first]).find();
    if (hasPackage) {
      problems.add(fence.where(1) + ": a guide snippet cannot declare a package; leave it out");
    }
    String code = rewriteExpectations(fence.code(), scan);
    String imports = importLine(DEFAULT_IMPORTS);
    if (wrapped) {
      this.className = "Snippet_" + fence.name().replaceAll("\\W", "_") + "_L" + fence.fenceLine();
      String[] body = code.split("\n", -1);
      for (int i = 0; i < first; i++) {
        body[i] = "";
      }
      this.source = imports + String.join(" ", hoisted) + " public final class " + className
          + " { public static void run() throws Exception {\n" + String.join("\n", body) + "\n}}\n";
      this.lineOffset = 1;
    } else {
      this.className = declaredClass(masked, scan);
      this.source = imports + "\n" + code;
      this.lineOffset = 1;
    }
  }

  /** The Markdown location of generated line {@code line}. */
  String where(long line) {
    long k = Math.max(1, Math.min(line - lineOffset, fence.code().split("\n", -1).length));
    return fence.where((int) k);
  }

  private static String importLine(List<String> packages) {
    StringBuilder s = new StringBuilder();
    for (String p : packages) {
      s.append("import ").append(p).append("; ");
    }
    return s.toString();
  }

  private String declaredClass(String[] masked, Scan scan) {
    String first = null;
    int offset = 0;
    for (String line : masked) {
      if (scan.braceDepth(offset) == 0) {
        Matcher m = TYPE.matcher(line);
        if (m.find()) {
          if (m.group(1).contains("public")) {
            return m.group(2);
          }
          first = first == null ? m.group(2) : first;
        }
      }
      offset += line.length() + 1;
    }
    return first != null ? first : "Snippet";
  }

  /** Replaces each statement with a trailing {@code // =>} by a check, keeping every line in place. */
  private String rewriteExpectations(String code, Scan scan) {
    record Edit(int at, int length, String text) {}
    List<Edit> edits = new ArrayList<>();
    for (int[] comment : scan.lineComments) {
      String text = code.substring(comment[0] + 2, comment[1]).strip();
      if (!text.startsWith("=>")) {
        continue;
      }
      int line = lineOf(code, comment[0]);
      String where = fence.where(line);
      int lineStart = code.lastIndexOf('\n', comment[0] - 1) + 1;
      int[] semicolon = null;
      for (int[] b : scan.boundaries) {
        if (b[0] >= lineStart && b[0] < comment[0] && code.charAt(b[0]) == ';') {
          semicolon = b;
        }
      }
      if (semicolon == null) {
        problems.add(where + ": a // => comment must follow a statement that ends with ; on the same line");
        continue;
      }
      int start = 0;
      for (int[] b : scan.boundaries) {
        if (b[0] < semicolon[0] && b[1] <= semicolon[1]) {
          start = b[0] + 1;
        }
      }
      while (start < semicolon[0] && Character.isWhitespace(scan.masked[start])) {
        start++;
      }
      String statement = new String(scan.masked, start, semicolon[0] - start).strip();
      String expected = expected(text.substring(2));
      checks++;
      if (expected.startsWith("throws ")) {
        String wanted = expected.substring("throws ".length()).strip();
        edits.add(new Edit(start, 0, CHECKS + ".fails(" + literal(where) + ", () -> { "));
        edits.add(new Edit(semicolon[0], 1, "; }, " + literal(wanted) + ");"));
        continue;
      }
      Matcher declaration = DECLARATION.matcher(statement);
      if (declaration.find() && !statement.startsWith("return ")) {
        edits.add(new Edit(semicolon[0], 1, "; " + CHECKS + ".equal(" + literal(where) + ", " + declaration.group(1) + ", "
            + literal(expected) + ");"));
      } else {
        edits.add(new Edit(start, 0, CHECKS + ".equal(" + literal(where) + ", "));
        edits.add(new Edit(semicolon[0], 1, ", " + literal(expected) + ");"));
      }
    }
    edits.sort(Comparator.comparingInt(Edit::at).reversed());
    StringBuilder out = new StringBuilder(code);
    for (Edit e : edits) {
      out.replace(e.at(), e.at() + e.length(), e.text());
    }
    return out.toString();
  }

  /** The expected text of a {@code // =>} comment: cut before {@code " ("}, {@code _} gone from numbers. */
  static String expected(String raw) {
    String s = raw.strip();
    int remark = s.indexOf(" (");
    if (remark >= 0) {
      s = s.substring(0, remark).strip();
    }
    return s.startsWith("throws ") ? s : DIGIT_UNDERSCORE.matcher(s).replaceAll("");
  }

  private static int lineOf(String code, int index) {
    int line = 1;
    for (int i = 0; i < index; i++) {
      if (code.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }

  private static String literal(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c > 0x7e) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  /**
   * A light lexical pass: comments blanked out (lines kept), and the positions of {@code ;},
   * {@code {} and {@code }} outside comments and literals with their depth of open brackets, so
   * that a statement inside a lambda body is told from the statement that holds the lambda.
   */
  static final class Scan {
    final char[] masked;
    /** {position, bracket depth} of each ; { } outside comments and literals. */
    final List<int[]> boundaries = new ArrayList<>();
    /** {start, end} of each // comment. */
    final List<int[]> lineComments = new ArrayList<>();
    private final int[] braceDepth;

    Scan(String text) {
      int n = text.length();
      masked = text.toCharArray();
      braceDepth = new int[n + 1];
      int depth = 0;
      int braces = 0;
      int i = 0;
      while (i < n) {
        char c = text.charAt(i);
        int end;
        if (c == '/' && i + 1 < n && text.charAt(i + 1) == '/') {
          end = text.indexOf('\n', i);
          end = end < 0 ? n : end;
          lineComments.add(new int[] {i, end});
          blank(i, end);
        } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
          end = text.indexOf("*/", i + 2);
          end = end < 0 ? n : end + 2;
          blank(i, end);
        } else if (text.startsWith("\"\"\"", i)) {
          end = i + 3;
          while (end < n && !(text.startsWith("\"\"\"", end) && text.charAt(end - 1) != '\\')) {
            end++;
          }
          end = Math.min(n, end + 3);
        } else if (c == '"' || c == '\'') {
          end = i + 1;
          while (end < n && text.charAt(end) != c && text.charAt(end) != '\n') {
            end += text.charAt(end) == '\\' ? 2 : 1;
          }
          end = Math.min(n, end + 1);
        } else {
          braceDepth[i] = braces;
          if (c == '(' || c == '[') {
            depth++;
          } else if (c == ')' || c == ']') {
            depth = Math.max(0, depth - 1);
          } else if (c == ';' || c == '{' || c == '}') {
            boundaries.add(new int[] {i, depth});
            braces += c == '{' ? 1 : c == '}' ? -1 : 0;
          }
          i++;
          continue;
        }
        for (int k = i; k < end; k++) {
          braceDepth[k] = braces;
        }
        i = end;
      }
      braceDepth[n] = braces;
    }

    /** Braces open before position {@code index}. */
    int braceDepth(int index) {
      return braceDepth[Math.min(index, braceDepth.length - 1)];
    }

    private void blank(int from, int to) {
      for (int k = from; k < to; k++) {
        if (masked[k] != '\n') {
          masked[k] = ' ';
        }
      }
    }
  }
}
