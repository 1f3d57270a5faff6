package org.unet4j.tests.golden;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.unet4j.dsl.json.RecipeFormat;
import org.unet4j.dsl.recipe.Recipes;

/**
 * The golden recipe files under {@code golden/v<formatVersion>/} on the test classpath: recipes as
 * each format version writes them. {@code bundled/} holds copies of the recipes bundled in the
 * {@code recipes} module; the other files are written by hand.
 */
public final class GoldenFiles {
  /** What a failing golden comparison says, whatever the file. */
  public static final String FORMAT_CHANGED = "the recipe format changed; if intended, bump formatVersion, "
      + "add an upgrader and update the golden files (docs/guide/recipe-format.md)";

  /** The hand-written recipe that leaves every default out. */
  public static final String MINIMAL = "minimal.json";

  private static final String ROOT = "golden/";

  private GoldenFiles() {}

  /** The folder of the golden files of one format version, relative to the classpath root. */
  public static String folder(int version) {
    return ROOT + "v" + version + "/";
  }

  /** The folder of the golden files of the current format version. */
  public static String current() {
    return folder(RecipeFormat.CURRENT_VERSION);
  }

  /** Every golden file of one format version, as paths relative to its folder, sorted. */
  public static List<String> list(int version) {
    URL url = GoldenFiles.class.getClassLoader().getResource(folder(version));
    if (url == null) {
      return List.of();
    }
    try {
      Path dir = Path.of(url.toURI());
      try (Stream<Path> files = Files.walk(dir)) {
        return files.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".json"))
            .map(p -> dir.relativize(p).toString().replace('\\', '/')).sorted().toList();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The format versions that have golden files, oldest first. */
  public static List<Integer> versions() {
    return Stream.iterate(1, v -> v <= RecipeFormat.CURRENT_VERSION, v -> v + 1)
        .filter(v -> !list(v).isEmpty()).toList();
  }

  /** The text of a golden file of one format version. */
  public static String read(int version, String name) {
    return resource(folder(version) + name);
  }

  /** The text of a classpath resource, which must exist. */
  public static String resource(String path) {
    try (InputStream in = GoldenFiles.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("no resource " + path + " on the test classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The {@code .json} files in the bundled-recipe folder of the classpath ({@code unet4j/recipes/}
   * of the {@code recipes} module, a folder or a jar), as recipe names: {@code paper/isbi2012}.
   */
  public static List<String> bundledFiles() {
    URL index = GoldenFiles.class.getClassLoader().getResource(Recipes.BUNDLED_ROOT + "index.txt");
    if (index == null) {
      throw new IllegalStateException("no " + Recipes.BUNDLED_ROOT + "index.txt on the classpath; "
          + "is the recipes module a dependency?");
    }
    try {
      if (index.getProtocol().equals("jar")) {
        String jar = index.toString().substring(0, index.toString().indexOf("!/"));
        try (FileSystem fs = FileSystems.newFileSystem(new java.net.URI(jar), Map.of())) {
          return names(fs.getPath("/" + Recipes.BUNDLED_ROOT));
        }
      }
      return names(Path.of(index.toURI()).getParent());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString().replace('\\', '/'))
          .filter(n -> n.endsWith(".json")).map(n -> n.substring(0, n.length() - ".json".length()))
          .sorted().toList();
    }
  }

  /**
   * Fails unless {@code actual} is {@code expected} character for character, naming the file and
   * the first line that differs, so a format change reads as one in the test report.
   */
  public static void assertSameText(String file, String expected, String actual) {
    if (expected.equals(actual)) {
      return;
    }
    String[] want = expected.split("\n", -1);
    String[] got = actual.split("\n", -1);
    int line = 0;
    while (line < want.length && line < got.length && want[line].equals(got[line])) {
      line++;
    }
    fail(FORMAT_CHANGED + ".\n" + file + " line " + (line + 1) + ":\n  golden:  "
        + (line < want.length ? want[line] : "(end of file)") + "\n  written: "
        + (line < got.length ? got[line] : "(end of text)"));
  }
}
