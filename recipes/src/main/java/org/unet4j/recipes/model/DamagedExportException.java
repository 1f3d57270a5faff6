package org.unet4j.recipes.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.tensorflow.proto.SavedModel;
import org.unet4j.dsl.InvalidInputException;

/**
 * A model export whose files TensorFlow cannot load: truncated by an interrupted copy, damaged on
 * the disk. The message names the export, the file found damaged and what to do, instead of
 * TensorFlow's own words ("Read less bytes than requested"). An {@link InvalidInputException}:
 * the model given is unusable, a mistake in the input, not a bug.
 */
public final class DamagedExportException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  /** The last 8 bytes of a TensorFlow table file (the variables' index), little-endian. */
  private static final long TABLE_MAGIC = 0xdb4775248b80fb57L;

  private DamagedExportException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * Finds which file of the export in {@code directory} is damaged, after TensorFlow failed to
   * load it with {@code failure}: the graph ({@code saved_model.pb}) when it does not parse, the
   * index ({@code variables/variables.index}) when it lacks its table footer, else the variables'
   * data, which the index describes but TensorFlow could not read in full.
   */
  static DamagedExportException diagnose(Path directory, RuntimeException failure) {
    Path pb = directory.resolve(ModelExport.SAVED_MODEL);
    Path variables = directory.resolve("variables");
    Path index = variables.resolve("variables.index");
    String file;
    String what;
    if (!parses(pb)) {
      file = ModelExport.SAVED_MODEL;
      what = "does not parse as a SavedModel graph (" + size(pb) + ")";
    } else if (!Files.isRegularFile(index)) {
      file = "variables/variables.index";
      what = "is missing";
    } else if (!hasTableFooter(index)) {
      file = "variables/variables.index";
      what = "is truncated or damaged (" + size(index) + ", no table footer at its end)";
    } else {
      Path data = variables.resolve("variables.data-00000-of-00001");
      file = "variables/" + data.getFileName();
      what = Files.isRegularFile(data)
          ? "is truncated or damaged (" + size(data) + "; TensorFlow: " + firstLine(failure.getMessage()) + ")"
          : "is missing";
    }
    return new DamagedExportException("the export " + directory + " is damaged: " + file + " " + what
        + "; export the run again", failure);
  }

  private static boolean parses(Path pb) {
    try (InputStream in = Files.newInputStream(pb)) {
      SavedModel.parseFrom(in);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean hasTableFooter(Path index) {
    try (FileChannel channel = FileChannel.open(index, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size < 48) {
        return false;
      }
      ByteBuffer last = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      channel.read(last, size - 8);
      return last.flip().getLong() == TABLE_MAGIC;
    } catch (IOException e) {
      return false;
    }
  }

  private static String firstLine(String message) {
    return message == null ? "no message" : message.lines().findFirst().orElse("").strip();
  }

  private static String size(Path file) {
    try {
      return Files.size(file) + " bytes";
    } catch (IOException e) {
      return "unreadable";
    }
  }
}
