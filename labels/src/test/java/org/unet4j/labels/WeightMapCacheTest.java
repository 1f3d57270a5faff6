package org.unet4j.labels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unet4j.dsl.recipe.ClassBalance;
import org.unet4j.dsl.recipe.WeightedCrossEntropyLoss;

class WeightMapCacheTest {
  private static final WeightedCrossEntropyLoss PAPER = WeightedCrossEntropyLoss.paper();

  private static InstanceLabels cells(long seed) {
    return InstanceLabels.of(BruteForce.randomCells(new Random(seed), 37, 29, 6), 37, 29);
  }

  @Test
  void computesEachMapOnceInMemory() {
    WeightMapCache cache = WeightMapCache.inMemory(1 << 20);
    InstanceLabels labels = cells(1);
    WeightedTarget first = cache.get(labels, PAPER);
    // Equal content in another object is the same key.
    WeightedTarget second = cache.get(InstanceLabels.of(labels.toArray(), 37, 29), PAPER);
    assertEquals(1, cache.computedCount());
    assertEquals(WeightMap.compute(labels, PAPER), first);
    assertEquals(first, second);
  }

  @Test
  void otherParametersOrLabelsAreOtherKeys() {
    InstanceLabels labels = cells(2);
    String key = WeightMapCache.key(labels, PAPER);
    assertEquals(64, key.length());
    assertNotEquals(key, WeightMapCache.key(labels, new WeightedCrossEntropyLoss(10, 4, ClassBalance.INVERSE_FREQUENCY, List.of())));
    assertNotEquals(key, WeightMapCache.key(labels, new WeightedCrossEntropyLoss(9, 5, ClassBalance.INVERSE_FREQUENCY, List.of())));
    assertNotEquals(key, WeightMapCache.key(labels, new WeightedCrossEntropyLoss(10, 5, ClassBalance.NONE, List.of())));
    assertNotEquals(
        WeightMapCache.key(labels, new WeightedCrossEntropyLoss(10, 5, ClassBalance.GIVEN, List.of(1.0, 2.0))),
        WeightMapCache.key(labels, new WeightedCrossEntropyLoss(10, 5, ClassBalance.GIVEN, List.of(1.0, 3.0))));
    assertNotEquals(key, WeightMapCache.key(cells(3), PAPER));
    // Same pixels, other shape.
    assertNotEquals(WeightMapCache.key(InstanceLabels.of(new int[6], 2, 3), PAPER),
        WeightMapCache.key(InstanceLabels.of(new int[6], 3, 2), PAPER));
  }

  @Test
  void memoryIsBoundedByBytes() {
    // A 37x29 map takes 5 bytes a pixel: a budget of 1.5 maps keeps one.
    WeightMapCache cache = WeightMapCache.inMemory(37 * 29 * 5 * 3 / 2);
    cache.get(cells(4), PAPER);
    cache.get(cells(5), PAPER);
    cache.get(cells(4), PAPER);
    assertEquals(3, cache.computedCount());
  }

  @Test
  void storesMapsInTheDirectoryForTheNextRun(@TempDir Path directory) throws IOException {
    InstanceLabels labels = cells(6);
    WeightedTarget computed = WeightMapCache.inDirectory(directory, 0).get(labels, PAPER);

    WeightMapCache nextRun = WeightMapCache.inDirectory(directory, 1 << 20);
    WeightedTarget read = nextRun.get(labels, PAPER);
    assertEquals(computed, read);
    assertEquals(0, nextRun.computedCount());
    assertEquals(1, nextRun.readFromDiskCount());
    try (Stream<Path> files = Files.list(directory)) {
      assertEquals(List.of(WeightMapCache.key(labels, PAPER) + ".u4jw"),
          files.map(f -> f.getFileName().toString()).toList(), "one file and no temporary left");
    }
  }

  @Test
  void fileIsFloat32LittleEndianAfterASmallHeader(@TempDir Path directory) throws IOException {
    InstanceLabels labels = cells(7);
    WeightMapCache cache = WeightMapCache.inDirectory(directory, 0);
    WeightedTarget target = cache.get(labels, PAPER);
    Path file = cache.file(WeightMapCache.key(labels, PAPER));
    assertNotNull(file);
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(48 + 37 * 29 * 5, bytes.capacity());
    assertEquals("U4JW", new String(bytes.array(), 0, 4, StandardCharsets.US_ASCII));
    assertEquals(1, bytes.getInt(4));
    assertEquals(37, bytes.getInt(8));
    assertEquals(29, bytes.getInt(12));
    int last = 37 * 29 - 1;
    assertEquals(target.weight(5, 3), bytes.getFloat(48 + 4 * (3 * 37 + 5)));
    assertEquals(target.weight(36, 28), bytes.getFloat(48 + 4 * last));
    assertEquals(target.classLabel(36, 28), bytes.get(48 + 4 * 37 * 29 + last));
  }

  @Test
  void damagedFilesAreRecomputedAndReplaced(@TempDir Path directory) throws IOException {
    InstanceLabels labels = cells(8);
    WeightMapCache cache = WeightMapCache.inDirectory(directory, 0);
    WeightedTarget target = cache.get(labels, PAPER);
    Path file = cache.file(WeightMapCache.key(labels, PAPER));
    assertNotNull(file);

    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 1));
    assertEquals(target, cache.get(labels, PAPER));
    assertEquals(2, cache.computedCount());
    assertEquals(bytes.length, Files.size(file));

    bytes[20] ^= 1; // a key that does not match
    Files.write(file, bytes);
    assertEquals(target, cache.get(labels, PAPER));
    assertEquals(3, cache.computedCount());
  }

  @Test
  void wrongClassWeightsFailBeforeAnythingIsComputed() {
    WeightMapCache cache = WeightMapCache.inMemory(1 << 20);
    WeightedCrossEntropyLoss loss = new WeightedCrossEntropyLoss(10, 5, ClassBalance.GIVEN, List.of(1.0));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cache.get(cells(9), loss));
    assertTrue(e.getMessage().startsWith("classWeights lists 1 weights [1.0]"), e.getMessage());
    assertEquals(0, cache.computedCount());
  }
}
