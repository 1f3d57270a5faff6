package org.unet4j.recipes.infer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/** A raw little-endian scratch file written once and read any number of times. */
final class ScratchFile implements AutoCloseable {
  private final Path folder;
  private final String name;
  private final Path file;
  private final FileChannel channel;
  private final ByteBuffer buffer = ByteBuffer.allocate(1 << 18).order(ByteOrder.LITTLE_ENDIAN);

  private ScratchFile(Path folder, String name, Path file, FileChannel channel) {
    this.folder = folder;
    this.name = name;
    this.file = file;
    this.channel = channel;
  }

  static ScratchFile create(Path folder, String name) {
    Path file = folder.toAbsolutePath().resolve("." + name + "." + Long.toHexString(
        ThreadLocalRandom.current().nextLong()) + ".tmp");
    try {
      Files.createDirectories(file.getParent());
      return new ScratchFile(folder, name, file, FileChannel.open(file, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE, StandardOpenOption.READ));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the scratch file " + file + ": " + e.getMessage(), e);
    }
  }

  Path folder() {
    return folder;
  }

  String name() {
    return name;
  }

  void writeInts(int[] values, int count) {
    for (int i = 0; i < count; i++) {
      if (buffer.remaining() < 4) {
        drain();
      }
      buffer.putInt(values[i]);
    }
  }

  void writeFloats(float[] values, int from, int count) {
    for (int i = from; i < from + count; i++) {
      if (buffer.remaining() < 4) {
        drain();
      }
      buffer.putFloat(values[i]);
    }
  }

  void finishWriting() {
    drain();
  }

  private void drain() {
    buffer.flip();
    try {
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the scratch file " + file + ": " + e.getMessage(), e);
    }
    buffer.clear();
  }

  Reader read() {
    return new Reader();
  }

  @Override
  public void close() {
    try {
      channel.close();
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the scratch file " + file + ": " + e.getMessage(), e);
    }
  }

  /** Reads the file from its start. */
  final class Reader implements AutoCloseable {
    private final ByteBuffer in = ByteBuffer.allocate(1 << 18).order(ByteOrder.LITTLE_ENDIAN);
    private long position;

    Reader() {
      in.limit(0);
    }

    void readInts(int[] values, int count) {
      for (int i = 0; i < count; i++) {
        fill();
        values[i] = in.getInt();
      }
    }

    void readFloats(float[] values, int count) {
      for (int i = 0; i < count; i++) {
        fill();
        values[i] = in.getFloat();
      }
    }

    private void fill() {
      if (in.remaining() >= 4) {
        return;
      }
      in.compact();
      try {
        while (in.position() < 4) {
          int read = channel.read(in, position);
          if (read < 0) {
            throw new IllegalStateException("the scratch file " + file + " ended early");
          }
          position += read;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the scratch file " + file + ": " + e.getMessage(), e);
      }
      in.flip();
    }

    @Override
    public void close() {
      // Reads share the file's channel, which close() of the scratch file releases.
    }
  }
}
