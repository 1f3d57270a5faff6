package org.unet4j.recipes.data;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every writer of complete-or-absent outputs: a failure in the middle of the content leaves the
 * previous file (or none) and no temporary file. The tests run as root too, so failures are
 * injected by the content itself or by a path below a regular file, not by permission bits.
 */
class AtomicFilesTest {
  @TempDir Path dir;

  private List<String> names() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aContentFailingMidwayLeavesThePreviousFileAndNoTemporary() throws IOException {
    Path target = dir.resolve("out.csv");
    Files.writeString(target, "previous");
    IOException full = new IOException("No space left on device");
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> AtomicFiles.write(target, out -> {
      out.write("half a fi".getBytes(StandardCharsets.UTF_8));
      throw full;
    }));
    assertAll(
        () -> assertEquals("cannot write " + target + ": No space left on device", e.getMessage()),
        () -> assertEquals("previous", Files.readString(target)),
        () -> assertEquals(List.of("out.csv"), names()));
  }

  @Test
  void aFileContentFailingMidwayLeavesNothing() throws IOException {
    Path target = dir.resolve("new.tif");
    IllegalStateException bug = new IllegalStateException("boom");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> AtomicFiles.writeFile(target,
        temporary -> {
          Files.writeString(temporary, "half");
          throw bug;
        }));
    assertAll(
        () -> assertEquals(bug, e, "a bug passes through unchanged"),
        () -> assertFalse(Files.exists(target)),
        () -> assertEquals(List.of(), names()));
  }

  @Test
  void aFolderThatIsAFileIsNamed() throws IOException {
    Path file = dir.resolve("plain");
    Files.writeString(file, "x");
    Path target = file.resolve("out.json");
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> AtomicFiles.writeString(target, "{}"));
    assertTrue(e.getMessage().startsWith("cannot write " + target + ": "), e.getMessage());
    assertEquals(List.of("plain"), names());
  }

  @Test
  void aWrittenFileIsCompleteAndAloneInItsFolder() throws IOException {
    Path target = dir.resolve("sub/out.bin");
    byte[] bytes = new byte[100_003];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (i * 31);
    }
    AtomicFiles.write(target, out -> out.write(bytes));
    AtomicFiles.writeFile(dir.resolve("sub/copy.bin"), temporary -> Files.write(temporary, bytes));
    assertArrayEquals(bytes, Files.readAllBytes(target));
    assertArrayEquals(bytes, Files.readAllBytes(dir.resolve("sub/copy.bin")));
    try (Stream<Path> files = Files.list(dir.resolve("sub"))) {
      assertEquals(List.of("copy.bin", "out.bin"), files.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void imageWritersFailingMidwayLeaveThePreviousImageAndNoTemporary() throws IOException {
    Path png = dir.resolve("overlay.png");
    Image previous = Image.gray(3, 2, PixelType.UINT8, new float[] {1, 2, 3, 4, 5, 6});
    ImageIo.writePng(png, previous);
    // A picture whose rows fail after the writer has started: the PNG writer has then written
    // the header and perhaps some rows to the temporary file.
    BufferedImage failing = new BufferedImage(5, 300, BufferedImage.TYPE_BYTE_GRAY) {
      @Override
      public Raster getData(Rectangle rect) {
        if (rect.y > 100) {
          throw new IllegalStateException("row " + rect.y + " failed");
        }
        return super.getData(rect);
      }
    };
    assertThrows(RuntimeException.class, () -> ImageIo.writePng(png, failing));
    assertEquals(previous, ImageIo.read(png));
    assertEquals(List.of("overlay.png"), names());

    Path file = dir.resolve("plain.tif");
    Files.writeString(file, "not a folder");
    Path below = file.resolve("prob.tif");
    UncheckedIOException e = assertThrows(UncheckedIOException.class,
        () -> ImageIo.writeTiff(below, Image.gray(2, 2, PixelType.FLOAT32, new float[4])));
    assertTrue(e.getMessage().startsWith("cannot write " + below + ": "), e.getMessage());
    assertEquals(List.of("overlay.png", "plain.tif"), names());
  }

  @Test
  void aStripTiffWhoseCommitFailsLeavesNoTemporaryEvenBeforeClose() throws IOException {
    // The target is a folder holding a file: the rename over it fails after all rows are written.
    Path target = dir.resolve("prob.tif");
    Files.createDirectories(target);
    Files.writeString(target.resolve("keep"), "x");
    try (StripTiffWriter writer = StripTiffWriter.create(target)) {
      writer.beginPage(3, 2, PixelType.FLOAT32);
      writer.writeRows(new float[6], 0, 2);
      writer.endPage();
      UncheckedIOException e = assertThrows(UncheckedIOException.class, writer::commit);
      assertTrue(e.getMessage().startsWith("cannot write " + target + ": "), e.getMessage());
      assertEquals(List.of("prob.tif"), names(), "no temporary file left, even before close()");
    }
    assertEquals(List.of("prob.tif"), names());
    assertTrue(Files.isDirectory(target));
  }
}
