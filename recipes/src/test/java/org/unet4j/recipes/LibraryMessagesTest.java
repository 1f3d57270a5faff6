package org.unet4j.recipes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The runtime speaks of specs, files and shapes, never of command-line options: no string literal
 * in the runtime's main sources names an option ({@code --out}, {@code --tile}); the
 * command line puts its option names in front of the library's messages itself.
 */
class LibraryMessagesTest {
  private static final Path MAIN = Path.of("src/main/java/org/unet4j/recipes");
  private static final Pattern OPTION = Pattern.compile("--[a-z]");

  /** Literals that name an option on purpose, with why. */
  private static final Set<String> ALLOWED = Set.of(
      // The description of the benchmark's own small recipe, which only `unet4j bench --quick` uses.
      "bench/BenchOptions.java: a small net for `unet4j bench --quick`",
      // The demo's summary page shows the command that segments more images with its model.
      "demo/DemoReport.java: Segment other images with this model:\\n\\n```\\n./unet4j predict --model ",
      "demo/DemoReport.java:  --out OUT IMAGES...\\n```\\n");

  @Test
  void noLibraryLiteralNamesAnOption() throws IOException {
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(MAIN)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
        String relative = MAIN.relativize(file).toString().replace('\\', '/');
        for (String literal : stringLiterals(Files.readString(file))) {
          String entry = relative + ": " + literal;
          if (OPTION.matcher(literal).find() && !ALLOWED.contains(entry)) {
            found.add(entry);
          }
        }
      }
    }
    assertEquals(List.of(), found);
  }

  /** The scanner itself: finds literals, skips comments and character literals, reads escapes. */
  @Test
  void theScannerReadsJavaLiterals() {
    String source = "// \"--in a comment\"\n/* \"--in a block\" */ String a = \"x --out\" + '\"' + \"say \\\"--tile\\\"\";"
        + " String b = \"\"\"\n  --text-block\n  \"\"\";";
    assertEquals(List.of("x --out", "say \\\"--tile\\\"", "  --text-block\n  "), stringLiterals(source));
  }

  @Test
  void theScanSeesTheSources() throws IOException {
    try (Stream<Path> files = Files.walk(MAIN.resolve("infer"))) {
      assertTrue(files.anyMatch(f -> f.endsWith("Predictor.java")), "run from the recipes module folder");
    }
  }

  /** The string literals (and text blocks) of a Java source, escapes left as written. */
  static List<String> stringLiterals(String source) {
    List<String> literals = new ArrayList<>();
    int i = 0;
    int n = source.length();
    while (i < n) {
      char c = source.charAt(i);
      if (source.startsWith("//", i)) {
        int end = source.indexOf('\n', i);
        i = end < 0 ? n : end + 1;
      } else if (source.startsWith("/*", i)) {
        int end = source.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
      } else if (source.startsWith("\"\"\"", i)) {
        int start = source.indexOf('\n', i) + 1;
        int end = source.indexOf("\"\"\"", start);
        literals.add(source.substring(start, end));
        i = end + 3;
      } else if (c == '"' || c == '\'') {
        int j = i + 1;
        while (source.charAt(j) != c) {
          j += source.charAt(j) == '\\' ? 2 : 1;
        }
        if (c == '"') {
          literals.add(source.substring(i + 1, j));
        }
        i = j + 1;
      } else {
        i++;
      }
    }
    return literals;
  }
}
