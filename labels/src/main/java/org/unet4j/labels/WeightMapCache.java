package org.unet4j.labels;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import com.google.common.io.BaseEncoding;
import com.google.common.util.concurrent.ExecutionError;
import com.google.common.util.concurrent.UncheckedExecutionException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.unet4j.dsl.recipe.WeightedCrossEntropyLoss;

/**
 * Computes each image's {@link WeightedTarget} once: the paper pre-computes the weight map per
 * ground-truth segmentation (Sec. 3), and at a few hundred milliseconds per large image it is
 * worth keeping across epochs and runs.
 *
 * <p>The key is a SHA-256 of the label content (size and every label) and of everything the map
 * depends on: w0, sigma, class balance, class weights, {@link WeightMap#NEGLIGIBLE} and an
 * algorithm version, so a changed parameter or algorithm never reads a stale map. Entries live in
 * memory up to a byte budget (least recently used leave first) and, optionally, in a directory
 * where they survive the process. Safe for concurrent use; a key being computed is computed once
 * and the other callers wait for it.
 *
 * <h2>File format</h2>
 * {@code <key>.u4jw}, all numbers little-endian:
 * <pre>
 *   0  4 bytes  magic "U4JW"
 *   4  int32    format version (1)
 *   8  int32    width
 *  12  int32    height
 *  16  32 bytes the key (SHA-256), checked on reading
 *  48  float32  width * height weights, row-major
 *   .. int8     width * height class labels (0 background, 1 cell, ...; -1 ignored), row-major
 * </pre>
 * A file is written to a temporary name in the same directory and renamed into place, so readers
 * never see half a file. A file that cannot be read back (truncated, other version, other key) is
 * recomputed and replaced.
 */
public final class WeightMapCache {
  /** Bump when {@link WeightMap} changes its output, so stored maps are not reused. */
  private static final String ALGORITHM = "unet4j-weight-map/2";
  private static final byte[] MAGIC = "U4JW".getBytes(StandardCharsets.US_ASCII);
  private static final int FILE_VERSION = 1;
  private static final int HEADER_BYTES = 48;
  private static final String SUFFIX = ".u4jw";

  private final Cache<String, WeightedTarget> memory;
  private final @Nullable Path directory;
  private final AtomicLong computed = new AtomicLong();
  private final AtomicLong readFromDisk = new AtomicLong();

  private WeightMapCache(long maxMemoryBytes, @Nullable Path directory) {
    checkArgument(maxMemoryBytes >= 0, "maxMemoryBytes must be >= 0, got %s", maxMemoryBytes);
    this.memory = CacheBuilder.newBuilder()
        .maximumWeight(maxMemoryBytes)
        .weigher((String key, WeightedTarget target) -> (int) Math.min(Integer.MAX_VALUE, target.byteSize()))
        .build();
    this.directory = directory;
  }

  /** A cache in memory only, holding up to {@code maxMemoryBytes} of maps (5 bytes a pixel). */
  public static WeightMapCache inMemory(long maxMemoryBytes) {
    return new WeightMapCache(maxMemoryBytes, null);
  }

  /**
   * A cache in {@code directory} (created if missing), with up to {@code maxMemoryBytes} of maps
   * also kept in memory.
   */
  public static WeightMapCache inDirectory(Path directory, long maxMemoryBytes) {
    checkNotNull(directory, "directory");
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the weight map cache directory " + directory, e);
    }
    return new WeightMapCache(maxMemoryBytes, directory);
  }

  /**
   * The target of {@link WeightMap#compute}, from memory, from the directory, or computed and
   * stored.
   *
   * @throws UncheckedIOException when a computed map cannot be written to the directory
   */
  public WeightedTarget get(InstanceLabels instances, WeightedCrossEntropyLoss loss) {
    checkNotNull(instances, "instances");
    return get(ClassLabels.ofCells(instances), loss);
  }

  /**
   * The target of {@link WeightMap#compute(ClassLabels, WeightedCrossEntropyLoss)}, from memory,
   * from the directory, or computed and stored.
   *
   * @throws UncheckedIOException when a computed map cannot be written to the directory
   */
  public WeightedTarget get(ClassLabels labels, WeightedCrossEntropyLoss loss) {
    checkNotNull(labels, "labels");
    checkNotNull(loss, "loss");
    // Fails early, outside the cache's loader, for a class-weight list that cannot apply.
    long[] one = new long[labels.classCount()];
    Arrays.fill(one, 1);
    WeightMap.classWeights(one, loss);
    String key = key(labels, loss);
    try {
      return memory.get(key, () -> load(key, labels, loss));
    } catch (ExecutionException | UncheckedExecutionException | ExecutionError e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      if (cause instanceof IOException io) {
        throw new UncheckedIOException(io.getMessage(), io);
      }
      throw new IllegalStateException(cause);
    }
  }

  /** The cache key of a label image and loss: 64 hex digits. */
  public static String key(InstanceLabels instances, WeightedCrossEntropyLoss loss) {
    checkNotNull(instances, "instances");
    return key(ClassLabels.ofCells(instances), loss);
  }

  /** The cache key of K-class labels and a loss: 64 hex digits. */
  public static String key(ClassLabels labels, WeightedCrossEntropyLoss loss) {
    Hasher hasher = Hashing.sha256().newHasher()
        .putString(ALGORITHM, StandardCharsets.UTF_8)
        .putDouble(WeightMap.NEGLIGIBLE)
        .putDouble(loss.w0())
        .putDouble(loss.sigma())
        .putString(loss.classBalance().name(), StandardCharsets.UTF_8)
        .putInt(loss.classWeights().size());
    for (double w : loss.classWeights()) {
      hasher.putDouble(w);
    }
    hasher.putInt(labels.width()).putInt(labels.height()).putInt(labels.classCount())
        .putBytes(labels.borderTermClasses().toByteArray());
    putInts(hasher, labels.array());
    putInts(hasher, labels.instances().array());
    return hasher.hash().toString();
  }

  private static void putInts(Hasher hasher, int[] values) {
    ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < values.length; ) {
      int count = Math.min(values.length - i, chunk.capacity() / 4);
      chunk.clear();
      chunk.asIntBuffer().put(values, i, count);
      hasher.putBytes(chunk.array(), 0, count * 4);
      i += count;
    }
  }

  /** How many maps this cache has computed. */
  public long computedCount() {
    return computed.get();
  }

  /** How many maps this cache has read from its directory. */
  public long readFromDiskCount() {
    return readFromDisk.get();
  }

  /** The file for a key, or null for a cache in memory only. */
  @Nullable Path file(String key) {
    return directory == null ? null : directory.resolve(key + SUFFIX);
  }

  private WeightedTarget load(String key, ClassLabels labels, WeightedCrossEntropyLoss loss) throws IOException {
    Path file = file(key);
    if (file != null) {
      WeightedTarget stored = read(file, key, labels.width(), labels.height());
      if (stored != null) {
        readFromDisk.incrementAndGet();
        return stored;
      }
    }
    WeightedTarget target = WeightMap.compute(labels, loss);
    computed.incrementAndGet();
    if (file != null) {
      write(file, key, target);
    }
    return target;
  }

  /** The stored target, or null when the file is missing or is not a complete map for this key. */
  private static @Nullable WeightedTarget read(Path file, String key, int width, int height) {
    int n = width * height;
    long expected = HEADER_BYTES + 5L * n;
    ByteBuffer buffer;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      if (channel.size() != expected) {
        return null;
      }
      buffer = ByteBuffer.allocate((int) expected).order(ByteOrder.LITTLE_ENDIAN);
      while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
        // until full or end of file
      }
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      // Unreadable: recompute; if the directory is really broken, writing the result will say so.
      return null;
    }
    if (buffer.hasRemaining()) {
      return null;
    }
    buffer.flip();
    byte[] magic = new byte[MAGIC.length];
    buffer.get(magic);
    int version = buffer.getInt();
    int storedWidth = buffer.getInt();
    int storedHeight = buffer.getInt();
    byte[] storedKey = new byte[32];
    buffer.get(storedKey);
    if (!Arrays.equals(magic, MAGIC) || version != FILE_VERSION || storedWidth != width
        || storedHeight != height || !Arrays.equals(storedKey, keyBytes(key))) {
      return null;
    }
    float[] weights = new float[n];
    buffer.asFloatBuffer().get(weights);
    buffer.position(HEADER_BYTES + 4 * n);
    byte[] classes = new byte[n];
    buffer.get(classes);
    return new WeightedTarget(width, height, classes, weights);
  }

  private static void write(Path file, String key, WeightedTarget target) throws IOException {
    int n = target.width() * target.height();
    ByteBuffer buffer = ByteBuffer.allocate(HEADER_BYTES + 5 * n).order(ByteOrder.LITTLE_ENDIAN);
    buffer.put(MAGIC).putInt(FILE_VERSION).putInt(target.width()).putInt(target.height()).put(keyBytes(key));
    buffer.asFloatBuffer().put(target.weightArray());
    buffer.position(HEADER_BYTES + 4 * n);
    buffer.put(target.classLabelArray());
    buffer.flip();
    Path directory = file.getParent();
    Path temporary = Files.createTempFile(directory, key + ".", ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      try {
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      Files.deleteIfExists(temporary);
      throw new IOException("cannot write the weight map cache file " + file + ": " + e.getMessage(), e);
    }
  }

  private static byte[] keyBytes(String key) {
    return BaseEncoding.base16().lowerCase().decode(key);
  }
}
