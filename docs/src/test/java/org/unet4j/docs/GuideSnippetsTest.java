package org.unet4j.docs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.unet4j.docs.MarkdownFences.Fence;

/**
 * Every {@code ```java} block of {@code docs/guide/*.md} and of the root README compiles, runs,
 * and shows what the code really gives: a trailing {@code // => expected} is checked (the
 * conventions are in {@link JavaSnippet}); a block fenced {@code ```java no-run} is only compiled.
 * A block fenced {@code ```java spark} needs Spark, which this module does not load: the spark
 * module's {@code UNetSegmenterTest} runs a copy of it and checks that the copy matches.
 * One dynamic test per block, named by its first line, so a failure points at the Markdown.
 */
class GuideSnippetsTest {

  @TestFactory
  Stream<DynamicNode> javaSnippetsCompileRunAndShowTheirResults() {
    Map<Path, List<JavaSnippet>> byFile = new LinkedHashMap<>();
    for (Path file : GuideFiles.markdown()) {
      List<JavaSnippet> snippets = MarkdownFences.read(file, GuideFiles.name(file)).stream()
          .filter(f -> f.language().equals("java") && !f.has("spark")).map(JavaSnippet::new).toList();
      if (!snippets.isEmpty()) {
        byFile.put(file, snippets);
      }
    }
    assertTrue(byFile.keySet().stream().anyMatch(p -> p.getFileName().toString().equals("README.md")),
        "the README's Java snippet was not found");
    SnippetRunner runner = new SnippetRunner(byFile.values().stream().flatMap(List::stream).toList());
    return byFile.entrySet().stream().map(e -> DynamicContainer.dynamicContainer(GuideFiles.name(e.getKey()),
        e.getKey().toUri(), e.getValue().stream().map(s -> test(s, runner))));
  }

  private static DynamicTest test(JavaSnippet snippet, SnippetRunner runner) {
    Fence fence = snippet.fence;
    int line = fence.fenceLine() + 1;
    String name = "line " + line + (fence.has("no-run") ? " (compile only)" : "")
        + (snippet.checks > 0 ? ", " + snippet.checks + " check" + (snippet.checks == 1 ? "" : "s") : "");
    URI source = URI.create(fence.file().toUri() + "?line=" + line);
    return DynamicTest.dynamicTest(name, source, () -> runner.check(snippet));
  }
}
