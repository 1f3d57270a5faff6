package org.unet4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PredictionInputsTest {
  @TempDir Path dir;

  private Path touch(String name) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, "");
    return file;
  }

  private static List<String> names(List<InputImage> inputs) {
    return inputs.stream().map(InputImage::name).toList();
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
    List<InputImage> inputs = PredictionInputs.resolve(List.of("z.png", "plate", "more/list.txt", "plate/*.png"),
        dir);
    assertEquals(List.of("z", "a", "b", "y", "x", "gone"), names(inputs));
    assertEquals(dir.resolve("more/deep/y.tif").toAbsolutePath().toString(), inputs.get(3).path());
    // A listed file that is missing is kept: its row says so.
    assertEquals(dir.resolve("more/gone.tif").toAbsolutePath().toString(), inputs.get(5).path());
  }

  @Test
  void mistakesSayWhatWasWrong() throws IOException {
    touch("a/cells.tif");
    touch("b/cells.png");
    IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
        () -> PredictionInputs.resolve(List.of("a", "b"), dir));
    assertEquals("two inputs are named cells (" + dir.resolve("a/cells.tif").toAbsolutePath() + " and "
        + dir.resolve("b/cells.png").toAbsolutePath() + "); their outputs would overwrite each other, so predict them"
        + " into different folders", twice.getMessage());
    Files.writeString(dir.resolve("empty.txt"), "# nothing\n");
    assertEquals("IMAGES: the list file " + dir.resolve("empty.txt") + " names no image (one image file, folder or"
        + " pattern per line)", assertThrows(IllegalArgumentException.class,
            () -> PredictionInputs.resolve(List.of("empty.txt"), dir)).getMessage());
    Files.writeString(dir.resolve("globs.txt"), "a/*.png\n");
    String none = assertThrows(IllegalArgumentException.class,
        () -> PredictionInputs.resolve(List.of("globs.txt"), dir)).getMessage();
    assertTrue(none.startsWith("IMAGES: globs.txt line 1: \"a/*.png\" matches no image"), none);
  }
}
