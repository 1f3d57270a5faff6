package org.unet4j.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every relative link of the guide (and of the root README) points at a file that exists, and a
 * link with {@code #anchor} into a Markdown file at one of its headings, named as GitHub names
 * heading anchors. Links inside code blocks and inline code are not links; web links are not
 * followed.
 */
class GuideLinksTest {
  private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*]\\(([^)\\s]+)\\)");
  private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");

  @Test
  void relativeLinksPointAtFilesAndHeadingsThatExist() {
    List<String> broken = new ArrayList<>();
    for (Path file : GuideFiles.markdown()) {
      List<String> lines = prose(file, true);
      for (int i = 0; i < lines.size(); i++) {
        Matcher m = LINK.matcher(lines.get(i));
        while (m.find()) {
          String problem = check(file, m.group(1));
          if (problem != null) {
            broken.add(GuideFiles.name(file) + ":" + (i + 1) + ": " + m.group(1) + ": " + problem);
          }
        }
      }
    }
    assertEquals(List.of(), broken, "broken links in the guide");
  }

  private static String check(Path from, String target) {
    if (target.matches("^[a-z][a-z0-9+.-]*:.*")) {
      return null;
    }
    int hash = target.indexOf('#');
    String path = hash < 0 ? target : target.substring(0, hash);
    String anchor = hash < 0 ? "" : target.substring(hash + 1);
    Path resolved = path.isEmpty() ? from : from.getParent().resolve(path).normalize();
    if (!Files.exists(resolved)) {
      return "no such file " + GuideFiles.root().relativize(resolved);
    }
    if (!anchor.isEmpty() && resolved.toString().endsWith(".md") && !anchors(resolved).contains(anchor)) {
      return "no heading with the anchor #" + anchor + " in " + GuideFiles.root().relativize(resolved);
    }
    return null;
  }

  /** The anchors GitHub gives the headings of a Markdown file. */
  static Set<String> anchors(Path file) {
    Set<String> anchors = new HashSet<>();
    for (String line : prose(file, false)) {
      Matcher m = HEADING.matcher(line);
      if (m.matches()) {
        anchors.add(RecipeReference.anchor(m.group(1)));
      }
    }
    return anchors;
  }

  /** The file's lines with fenced code blocks (and inline code if asked) blanked, so line numbers stay. */
  private static List<String> prose(Path file, boolean blankInlineCode) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> out = new ArrayList<>();
    String fence = null;
    for (String line : lines) {
      String stripped = line.strip();
      if (fence == null && (stripped.startsWith("```") || stripped.startsWith("~~~"))) {
        fence = stripped.substring(0, 3);
        out.add("");
      } else if (fence != null) {
        if (stripped.startsWith(fence)) {
          fence = null;
        }
        out.add("");
      } else {
        out.add(blankInlineCode ? line.replaceAll("`[^`]*`", "``") : line);
      }
    }
    return out;
  }
}
