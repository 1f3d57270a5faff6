package org.unet4j.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fenced code blocks of a Markdown file (CommonMark fences: three or more backticks or
 * tildes, an info string, a closing fence of the same character at least as long).
 */
final class MarkdownFences {
  private static final Pattern OPEN = Pattern.compile("^(\\s*)(`{3,}|~{3,})\\s*([^`]*?)\\s*$");

  private MarkdownFences() {}

  /**
   * One fenced block. {@code fenceLine} is the 1-based line of the opening fence, so code line
   * {@code k} (1-based) of the block is line {@code fenceLine + k} of the file.
   */
  record Fence(Path file, String name, int fenceLine, String language, List<String> flags, String code) {
    /** Whether the info string carries {@code flag}, e.g. {@code no-run} in {@code ```java no-run}. */
    boolean has(String flag) {
      return flags.contains(flag);
    }

    /** {@code getting-started.md:42}: the file and the line of code line {@code k} of this block. */
    String where(int k) {
      return name + ":" + (fenceLine + k);
    }
  }

  /** Every fenced block of {@code file}, named {@code name} in messages. */
  static List<Fence> read(Path file, String name) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file, e);
    }
    List<Fence> fences = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher open = OPEN.matcher(lines.get(i));
      if (!open.matches()) {
        continue;
      }
      int indent = open.group(1).length();
      String marker = open.group(2);
      String[] info = open.group(3).isEmpty() ? new String[0] : open.group(3).split("\\s+");
      StringBuilder code = new StringBuilder();
      int j = i + 1;
      for (; j < lines.size(); j++) {
        String line = lines.get(j);
        if (isClosing(line, marker)) {
          break;
        }
        code.append(stripIndent(line, indent)).append('\n');
      }
      String language = info.length == 0 ? "" : info[0].toLowerCase(Locale.ROOT);
      List<String> flags = info.length <= 1 ? List.of() : List.of(info).subList(1, info.length);
      fences.add(new Fence(file, name, i + 1, language, flags, code.toString()));
      i = j;
    }
    return fences;
  }

  private static boolean isClosing(String line, String marker) {
    String s = line.strip();
    if (s.length() < marker.length() || s.charAt(0) != marker.charAt(0)) {
      return false;
    }
    return s.chars().allMatch(c -> c == marker.charAt(0));
  }

  private static String stripIndent(String line, int indent) {
    int n = 0;
    while (n < indent && n < line.length() && line.charAt(n) == ' ') {
      n++;
    }
    return line.substring(n);
  }
}
