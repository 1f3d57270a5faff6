package org.unet4j.docs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.unet4j.docs.MarkdownFences.Fence;
import org.unet4j.cli.Unet4j;

/**
 * Every {@code ```console} block of the guide is a terminal session that is replayed: each
 * {@code $ ./unet4j ...} line runs the command line in-process and what it prints (standard output
 * and error together) must be the lines that follow, up to the next {@code $} line. A line that is
 * just {@code ...} stands for any number of lines; trailing spaces are ignored. Sessions that are
 * not replayable (other programs, pipes, files written earlier) belong in {@code ```bash} blocks.
 */
class GuideConsoleTest {
  private static final Pattern SHELL = Pattern.compile("[|<>&;'\"`$\\\\*?]");

  /** One {@code $ ./unet4j ...} line of a console block and the output the guide shows for it. */
  record Command(Fence fence, int line, String text, List<String> expected) {}

  @TestFactory
  Stream<DynamicNode> consoleSessionsPrintWhatTheGuideShows() {
    List<DynamicNode> files = new ArrayList<>();
    for (Path file : GuideFiles.markdown()) {
      List<DynamicNode> tests = new ArrayList<>();
      for (Fence fence : MarkdownFences.read(file, GuideFiles.name(file))) {
        if (fence.language().equals("console")) {
          for (Command c : commands(fence)) {
            URI source = URI.create(file.toUri() + "?line=" + (fence.fenceLine() + c.line()));
            tests.add(DynamicTest.dynamicTest("line " + (fence.fenceLine() + c.line()) + ": " + c.text(), source,
                () -> replay(c)));
          }
        }
      }
      if (!tests.isEmpty()) {
        files.add(DynamicContainer.dynamicContainer(GuideFiles.name(file), file.toUri(), tests.stream()));
      }
    }
    return files.stream();
  }

  static List<Command> commands(Fence fence) {
    List<Command> commands = new ArrayList<>();
    String[] lines = fence.code().split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (!lines[i].startsWith("$ ")) {
        continue;
      }
      List<String> expected = new ArrayList<>();
      int j = i + 1;
      for (; j < lines.length && !lines[j].startsWith("$ "); j++) {
        expected.add(lines[j]);
      }
      commands.add(new Command(fence, i + 1, lines[i].substring(2).strip(), trim(expected)));
      i = j - 1;
    }
    return commands;
  }

  private static void replay(Command c) {
    String where = c.fence().where(c.line());
    String[] words = c.text().split("\\s+");
    assertTrue(words[0].equals("./unet4j") || words[0].equals("unet4j"),
        () -> where + ": console blocks replay unet4j commands only; show `" + c.text() + "` in a bash block");
    assertTrue(!SHELL.matcher(c.text()).find(),
        () -> where + ": `" + c.text() + "` uses shell syntax, which a console block cannot replay; use a bash block");
    StringWriter printed = new StringWriter();
    PrintWriter both = new PrintWriter(printed, true);
    Unet4j.run(Arrays.copyOfRange(words, 1, words.length), both, both);
    both.flush();
    List<String> actual = trim(Arrays.asList(printed.toString().split("\n", -1)));
    if (!matches(c.expected(), 0, actual, 0)) {
      throw new AssertionError(where + ": `" + c.text() + "` prints\n" + String.join("\n", actual)
          + "\nbut the guide shows\n" + String.join("\n", c.expected()));
    }
  }

  /** Whether {@code actual} from line {@code a} on is what {@code expected} shows from line {@code e}. */
  static boolean matches(List<String> expected, int e, List<String> actual, int a) {
    if (e == expected.size()) {
      return a == actual.size();
    }
    if (expected.get(e).strip().equals("...")) {
      for (int skip = a; skip <= actual.size(); skip++) {
        if (matches(expected, e + 1, actual, skip)) {
          return true;
        }
      }
      return false;
    }
    return a < actual.size() && expected.get(e).equals(actual.get(a)) && matches(expected, e + 1, actual, a + 1);
  }

  /** Lines without trailing spaces, and without blank lines at the end. */
  private static List<String> trim(List<String> lines) {
    List<String> out = new ArrayList<>();
    for (String line : lines) {
      out.add(line.stripTrailing());
    }
    while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
      out.remove(out.size() - 1);
    }
    return out;
  }
}
