package org.unet4j.recipes.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Arguments to inputs: files, folders, patterns and list files, and the mistakes among them. */
class PredictionInputsResolveTest {
  @TempDir Path dir;

  private Path touch(String name) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, "");
    return file;
  }

  private PredictionInputs resolve(String... arguments) {
    return PredictionInputs.resolve("IMAGES", List.of(arguments), dir, dir.resolve("out"));
  }

  @Test
  void filesFoldersPatternsAndListsInTheOrderGiven() throws IOException {
    touch("plate/b.tif");
    touch("plate/a.png");
    touch("plate/notes.md");
    touch("more/x.tiff");
    touch("more/deep/y.tif");
    touch("z.png");
    Files.writeString(dir.resolve("more/list.txt"), "# relative to the list\n\ndeep/y.tif\n  x.tiff  \ngone.tif\n");
    Map<String, Path> inputs = resolve("z.png", "plate", "more/list.txt", "plate/*.png").inputs();
    assertEquals(List.of("z", "a", "b", "y", "x", "gone"), List.copyOf(inputs.keySet()));
    assertEquals(dir.resolve("more/deep/y.tif").toAbsolutePath(), inputs.get("y"));
    // A listed file that is missing is kept: whoever predicts it reports it.
    assertEquals(dir.resolve("more/gone.tif").toAbsolutePath(), inputs.get("gone"));
  }

  @Test
  void mistakesSayWhatWasWrong() throws IOException {
    touch("a/cells.tif");
    touch("b/cells.png");
    IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
        () -> resolve("a", "b"));
    assertEquals("two inputs are named cells (" + dir.resolve("a/cells.tif").toAbsolutePath() + " and "
        + dir.resolve("b/cells.png").toAbsolutePath() + "); their outputs would overwrite each other in "
        + dir.resolve("out") + ", so predict them into different folders", twice.getMessage());
    Files.writeString(dir.resolve("empty.txt"), "# nothing\n");
    assertEquals("IMAGES: the list file " + dir.resolve("empty.txt") + " names no image (one image file, folder or"
        + " pattern per line)", assertThrows(IllegalArgumentException.class,
            () -> resolve("empty.txt")).getMessage());
    Files.writeString(dir.resolve("globs.txt"), "a/*.png\n");
    String none = assertThrows(IllegalArgumentException.class,
        () -> resolve("globs.txt")).getMessage();
    assertTrue(none.startsWith("IMAGES: globs.txt line 1: \"a/*.png\" matches no image"), none);
  }
}
