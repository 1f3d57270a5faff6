package org.unet4j.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unet4j.docs.MarkdownFences.Fence;

/** The snippet runner itself: what passes, and that every failure names the Markdown line. */
class SnippetConventionsTest {
  @TempDir static Path dir;

  /** Snippets of one page, each starting at the line its fence says; compiled together once. */
  private static List<JavaSnippet> page;
  private static SnippetRunner runner;

  @BeforeAll
  static void compileThePage() throws IOException {
    Path file = dir.resolve("page.md");
    Files.writeString(file, String.join("\n",
        "# A page",                                                       // 1
        "```java",                                                        // 2
        "ModelSpec net = UNet.builder().depth(3).baseFilters(16)",        // 3
        "    .build();                       // a remark, not a check",   // 4
        "net.geometry().outputSize(252);     // => 164",                  // 5
        "net.parameterCount();               // => 481_762 (a remark)",   // 6
        "int out = net.geometry().outputSize(92); // => 4",               // 7
        "List<Integer> seen = new ArrayList<>();",                        // 8
        "List.of(1, 2).forEach(i -> { seen.add(i * 2); });",              // 9
        "seen;                               // => [2, 4]",               // 10
        "```",                                                            // 11
        "```java",                                                        // 12
        "UNet.paper().geometry().outputSize(572); // => 389",             // 13
        "```",                                                            // 14
        "```java",                                                        // 15
        "UNet.builder().depth(9).build();    // => throws SpecException: depth: expected 1..8", // 16
        "UNet.paper().geometry()",                                        // 17
        "    .outputSize(512);               // => throws SpecException: contracting[2].pool", // 18
        "```",                                                            // 19
        "```java",                                                        // 20
        "UNet.paper();                       // => throws SpecException", // 21
        "```",                                                            // 22
        "```java",                                                        // 23
        "ModelSpec net = UNet.paper();",                                  // 24
        "net.geometry().outputSizes(572);",                               // 25
        "```",                                                            // 26
        "```java no-run",                                                 // 27
        "UNet.paper().geometry().outputSize(1);",                         // 28
        "```",                                                            // 29
        "```java",                                                        // 30
        "UNet.paper().geometry().outputSize(1);",                         // 31
        "```",                                                            // 32
        "```java",                                                        // 33
        "import java.time.Duration;  // a trailing comment",              // 34
        "Duration.ofSeconds(90);             // => PT1M30S",              // 35
        "```",                                                            // 36
        "```java",                                                        // 37
        "public class Hello {",                                           // 38
        "  public static void main(String[] args) {",                     // 39
        "    UNet.paper().depth();           // => 5",                    // 40
        "  }",                                                            // 41
        "}",                                                              // 42
        "```",                                                            // 43
        "```java",                                                        // 44
        "int n = 1",                                                      // 45
        "    + 2;",                                                       // 46
        "n                                   // => 3",                    // 47
        "```",                                                            // 48
        "```java",                                                        // 49
        "UNet.paper().depth();               // => 5",                    // 50
        "UNet.paper().depth();               // => 4",                    // 51
        "UNet.paper().classes();             // => 3",                    // 52
        "```",                                                            // 53
        ""), StandardCharsets.UTF_8);
    page = MarkdownFences.read(file, "page.md").stream().map(JavaSnippet::new).toList();
    runner = new SnippetRunner(page);
  }

  private static JavaSnippet at(int fenceLine) {
    return page.stream().filter(s -> s.fence.fenceLine() == fenceLine).findFirst().orElseThrow();
  }

  private static String failure(int fenceLine) {
    return assertThrows(AssertionError.class, () -> runner.check(at(fenceLine))).getMessage();
  }

  @Test
  void fencesKeepTheirLanguageFlagsAndLines() {
    Fence first = at(2).fence;
    assertEquals("java", first.language());
    assertEquals("page.md:5", first.where(3));
    assertTrue(at(27).fence.has("no-run"));
    assertEquals(11, page.size());
  }

  @Test
  void expectedTextDropsRemarksAndDigitSeparators() {
    assertEquals("31030658", JavaSnippet.expected(" 31_030_658 (the same net as UNet.paper())"));
    assertEquals("[508, 524]", JavaSnippet.expected("[508, 524]"));
    assertEquals("center-crop_x", JavaSnippet.expected("center-crop_x"));
    assertEquals("throws SpecException: expanding: expected at most 2 stages",
        JavaSnippet.expected("throws SpecException: expanding: expected at most 2 stages (one per ...)"));
  }

  @Test
  void valuesDeclarationsAndStatementsAfterLambdaBodiesAreChecked() throws Exception {
    assertEquals(4, at(2).checks);
    runner.check(at(2));
  }

  @Test
  void aWrongValueNamesTheLineAndBothValues() {
    assertEquals("page.md:13: the guide says 389 but the code gives 388", failure(12));
  }

  @Test
  void expectedExceptionsMatchTypeAndMessagePrefix() throws Exception {
    runner.check(at(15));
    assertEquals("page.md:21: the guide says it throws SpecException but it completes normally", failure(20));
  }

  @Test
  void aCompileErrorNamesTheLine() {
    String message = failure(23);
    assertTrue(message.contains("page.md:25: cannot find symbol"), message);
  }

  @Test
  void noRunBlocksAreOnlyCompiled() throws Exception {
    runner.check(at(27));
    String message = failure(30);
    assertTrue(message.startsWith("page.md:31: the snippet throws org.unet4j.dsl.SpecException: "), message);
  }

  @Test
  void importsAtTheTopOfAStatementBlockAreHoisted() throws Exception {
    runner.check(at(33));
  }

  @Test
  void aBlockThatDeclaresAClassRunsItsMain() {
    assertFalse(at(37).wrapped);
    assertEquals("Hello", at(37).className);
    assertEquals("page.md:40: the guide says 5 but the code gives 4", failure(37));
  }

  @Test
  void everyFailedCheckOfASnippetIsReported() {
    assertEquals("page.md:50: the guide says 5 but the code gives 4\n"
        + "page.md:52: the guide says 3 but the code gives 2", failure(49));
  }

  @Test
  void anArrowWithoutAStatementOnItsLineIsRefused() {
    assertEquals("page.md:47: a // => comment must follow a statement that ends with ; on the same line",
        failure(44));
  }

  @Test
  void consoleOutputMayElideLinesWithAnEllipsis() {
    List<String> actual = List.of("a", "b", "c", "d");
    assertTrue(GuideConsoleTest.matches(List.of("a", "...", "d"), 0, actual, 0));
    assertTrue(GuideConsoleTest.matches(List.of("...", "c", "d"), 0, actual, 0));
    assertTrue(GuideConsoleTest.matches(List.of("a", "b", "...", "b", "c", "d"), 0, List.of("a", "b", "b", "c", "d"), 0));
    assertFalse(GuideConsoleTest.matches(List.of("a", "...", "c"), 0, actual, 0));
    assertFalse(GuideConsoleTest.matches(List.of("a", "b"), 0, actual, 0));
  }
}
