package org.unet4j.tests.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The command line and Spark's command are thin clients of the runtime (docs/architecture.md): a
 * command parses options, calls a library API and prints. This test keeps the obvious signs of
 * logic out of them: wiring the runtime's parts by hand (datasets, the trainer, graphs and
 * sessions), drawing pictures, and classes grown past what options and printing need.
 */
class ThinCommandsTest {
  /** Lines a command class may have: options with their help texts, the call, the printing. */
  static final int MAX_LINES = 300;

  /** Text that means a command wires the runtime itself instead of calling its API. */
  static final List<String> FORBIDDEN = List.of(
      "new Dataset(", "Dataset.open(", "new Trainer(", "Trainer.of(", "TrainingGraph", "new DatasetTiles(",
      "import org.tensorflow.", "import java.awt.", "import javax.imageio.");

  private static final List<String> FOLDERS = List.of("cli/src/main/java/org/unet4j/cli",
      "spark/src/main/java/org/unet4j/spark/cli");

  @Test
  void commandsOnlyParseCallAndPrint() throws IOException {
    Path root = PackageArrowsTest.repositoryRoot();
    List<String> problems = new ArrayList<>();
    int files = 0;
    for (String folder : FOLDERS) {
      try (Stream<Path> sources = Files.list(root.resolve(folder))) {
        for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
          files++;
          problems.addAll(problems(root.relativize(source).toString(), Files.readString(source)));
        }
      }
    }
    assertTrue(files > 15, "only " + files + " command line sources found under " + root);
    assertEquals(List.of(), problems);
  }

  /* The check itself: a command that opens a dataset, or has grown too long, is named. */
  @Test
  void theCheckFindsWiringAndLength() {
    String wiring = "package org.unet4j.cli;\nimport java.awt.Color;\nclass A {\n  Dataset d = Dataset.open(r, base);\n}\n";
    assertEquals(List.of("A.java: contains \"Dataset.open(\"", "A.java: contains \"import java.awt.\""),
        problems("A.java", wiring));
    String longOne = "package org.unet4j.cli;\n" + "\n".repeat(MAX_LINES + 1);
    assertEquals(List.of("B.java: " + (MAX_LINES + 2) + " lines, more than " + MAX_LINES), problems("B.java", longOne));
    assertEquals(List.of(), problems("C.java", "package org.unet4j.cli;\nclass C {}\n"));
  }

  static List<String> problems(String file, String text) {
    List<String> found = new ArrayList<>();
    for (String sign : FORBIDDEN) {
      if (text.contains(sign)) {
        found.add(file + ": contains \"" + sign + "\"");
      }
    }
    long lines = text.lines().count();
    if (lines > MAX_LINES) {
      found.add(file + ": " + lines + " lines, more than " + MAX_LINES);
    }
    return found;
  }
}
