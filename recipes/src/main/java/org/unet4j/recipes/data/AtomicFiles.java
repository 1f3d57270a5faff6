package org.unet4j.recipes.data;

import static com.google.common.base.Preconditions.checkNotNull;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes output files so that they are complete or absent: the content goes to a hidden temporary
 * file in the target's folder, is forced to the disk, and the temporary file is renamed over the
 * target. A reader never sees half a file; a full disk, a kill or an exception leaves the old file
 * (or none) and no temporary file behind, except after a kill, a hidden {@code .NAME.*.tmp}.
 *
 * <p>Every output of unet4j is written this way; the one rule in one place, instead of a rename
 * idiom per writer with its own idea of whether to force the data to the disk.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** What writes a file's content. */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * Writes {@code content} as {@code target}, creating missing folders.
   *
   * @throws UncheckedIOException naming {@code target} and the reason when it cannot be written;
   *     {@code target} is then as it was
   */
  public static void write(Path target, Content content) {
    checkNotNull(content, "content");
    writeFile(target, temporary -> {
      try (OutputStream out = Files.newOutputStream(temporary)) {
        content.writeTo(out);
      }
    });
  }

  /** What writes a file itself, by its path: a writer that seeks (TIFF) or opens the file on its own. */
  @FunctionalInterface
  public interface FileContent {
    void writeTo(Path temporary) throws IOException;
  }

  /**
   * Writes {@code target} through {@code content}, which gets an empty hidden temporary file beside
   * the target to fill; the file is then forced to the disk and renamed over the target.
   *
   * @throws UncheckedIOException naming {@code target} and the reason when it cannot be written;
   *     {@code target} is then as it was and the temporary file is gone
   */
  public static void writeFile(Path target, FileContent content) {
    checkNotNull(content, "content");
    Path temporary = temporary(target);
    try {
      Files.createDirectories(temporary.getParent());
      // Files.createFile gives the usual permissions (umask), which the renamed result keeps.
      Files.createFile(temporary);
      content.writeTo(temporary);
      moveInPlace(temporary, target);
    } catch (IOException e) {
      deleteQuietly(temporary);
      throw new UncheckedIOException("cannot write " + target + ": " + ImageIo.describe(e), e);
    } catch (RuntimeException | Error e) {
      deleteQuietly(temporary);
      throw e;
    }
  }

  /** Writes {@code text} as UTF-8 to {@code target}; see {@link #write(Path, Content)}. */
  public static void writeString(Path target, String text) {
    checkNotNull(text, "text");
    write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * A fresh hidden name beside {@code target} for a writer that must produce the file itself (an
   * image writer, a TensorFlow saver) before {@link #moveInPlace}.
   */
  public static Path temporary(Path target) {
    Path absolute = target.toAbsolutePath();
    return absolute.resolveSibling("." + absolute.getFileName() + "."
        + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
  }

  /**
   * Forces a finished temporary file to the disk and renames it over {@code target}: atomically
   * where the file system can, else by a plain replacing rename. Without the force, a crash soon
   * after the rename can leave the new name with no data on file systems that order metadata
   * before content.
   */
  public static void moveInPlace(Path temporary, Path target) throws IOException {
    try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
    try {
      Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Deletes a temporary file if it is still there. */
  public static void deleteQuietly(Path temporary) {
    try {
      Files.deleteIfExists(temporary);
    } catch (IOException e) {
      // Left behind as a hidden .tmp file; the target itself is complete or absent.
    }
  }
}
