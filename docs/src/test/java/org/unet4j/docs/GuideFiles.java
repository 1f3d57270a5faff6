package org.unet4j.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The Markdown files whose snippets are checked: those under {@code docs/guide/} and the root README. */
final class GuideFiles {
  private GuideFiles() {}

  /** The repository root: the parent of the docs module, which is Maven's basedir in its tests. */
  static Path root() {
    Path base = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath().normalize();
    if (Files.isDirectory(base.resolve("guide"))) {
      return base.getParent();
    }
    if (Files.isDirectory(base.resolve("docs/guide"))) {
      return base;
    }
    throw new IllegalStateException("cannot find the guide: neither " + base.resolve("guide") + " nor "
        + base.resolve("docs/guide") + " is a folder; run the tests from the docs module");
  }

  /** The guide's pages, those in sub-folders ({@code paper/isbi2012.md}) included, in path order; then the README. */
  static List<Path> markdown() {
    Path root = root();
    List<Path> files = new ArrayList<>();
    try (Stream<Path> guide = Files.walk(root.resolve("docs/guide"))) {
      guide.filter(p -> p.getFileName().toString().endsWith(".md") && Files.isRegularFile(p)).sorted()
          .forEach(files::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path readme = root.resolve("README.md");
    if (!Files.isRegularFile(readme)) {
      throw new IllegalStateException("no README.md at the repository root " + root);
    }
    files.add(readme);
    return files;
  }

  /** The path people know the file by: {@code docs/guide/geometry.md}, {@code README.md}. */
  static String name(Path file) {
    return root().relativize(file).toString().replace('\\', '/');
  }
}
