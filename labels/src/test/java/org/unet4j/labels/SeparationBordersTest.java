package org.unet4j.labels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.unet4j.labels.LabelDecoderTest.image;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SeparationBordersTest {

  @Test
  void touchingSquaresGetABackgroundLineBetweenThem() {
    InstanceLabels two = InstanceLabels.of(image(
        "1 1 1 2 2 2",
        "1 1 1 2 2 2",
        "1 1 1 2 2 2"), 6, 3);
    InstanceLabels separated = SeparationBorders.separate(two);
    assertArrayEquals(image(
        "1 1 0 0 2 2",
        "1 1 0 0 2 2",
        "1 1 0 0 2 2"), separated.toArray());
    byte[] classes = SeparationBorders.classLabels(separated);
    assertEquals(2, eightConnectedComponents(classes, 6, 3));
  }

  @Test
  void singleCellIsUnchanged() {
    InstanceLabels one = InstanceLabels.of(image(
        "0 0 0 0",
        "0 1 1 0",
        "0 1 1 1",
        "0 0 0 0"), 4, 4);
    assertEquals(one, SeparationBorders.separate(one));
  }

  @Test
  void cellsMeetingAtACornerAreSeparatedToo() {
    InstanceLabels diagonal = InstanceLabels.of(image(
        "1 1 0 0",
        "1 1 0 0",
        "0 0 2 2",
        "0 0 2 2"), 4, 4);
    assertArrayEquals(image(
        "1 1 0 0",
        "1 0 0 0",
        "0 0 0 2",
        "0 0 2 2"), SeparationBorders.separate(diagonal).toArray());
  }

  @Test
  void aCellThatIsAllBorderDisappearsAndTheRestAreRenumbered() {
    // Cell 2 is one column wide between 1 and 3: all of it touches another cell.
    InstanceLabels three = InstanceLabels.of(image(
        "1 1 2 3 3",
        "1 1 2 3 3"), 5, 2);
    assertArrayEquals(image(
        "1 0 0 0 2",
        "1 0 0 0 2"), SeparationBorders.separate(three).toArray());
  }

  @Test
  void doesNotDependOnCellNumbering() {
    int[] a = image("1 1 2 2", "1 3 3 2", "3 3 3 0");
    int[] b = image("3 3 1 1", "3 2 2 1", "2 2 2 0");
    assertArrayEquals(SeparationBorders.classLabels(SeparationBorders.separate(InstanceLabels.of(a, 4, 3))),
        SeparationBorders.classLabels(SeparationBorders.separate(InstanceLabels.of(b, 4, 3))));
  }

  @Test
  void randomCellsEndUpApartAndOnlyBordersAreRemoved() {
    Random random = new Random(3);
    for (int trial = 0; trial < 50; trial++) {
      int width = 5 + random.nextInt(30);
      int height = 5 + random.nextInt(30);
      int[] before = InstanceLabels.of(BruteForce.randomCells(random, width, height, 2 + random.nextInt(6)),
          width, height).toArray();
      int[] after = SeparationBorders.separate(InstanceLabels.of(before, width, height)).toArray();
      for (int p = 0; p < before.length; p++) {
        boolean touchesOther = false;
        for (int q : eightNeighbours(p, width, height)) {
          touchesOther |= before[p] != 0 && before[q] != 0 && before[q] != before[p];
          // No two remaining pixels of different cells are neighbours.
          assertTrue(after[p] == 0 || after[q] == 0 || after[p] == after[q]);
        }
        assertEquals(before[p] != 0 && !touchesOther, after[p] != 0, "pixel " + p);
      }
    }
  }

  private static int[] eightNeighbours(int p, int width, int height) {
    int x = p % width;
    int y = p / width;
    int[] out = new int[8];
    int count = 0;
    for (int dy = -1; dy <= 1; dy++) {
      for (int dx = -1; dx <= 1; dx++) {
        if ((dx != 0 || dy != 0) && x + dx >= 0 && x + dx < width && y + dy >= 0 && y + dy < height) {
          out[count++] = (y + dy) * width + x + dx;
        }
      }
    }
    return java.util.Arrays.copyOf(out, count);
  }

  private static int eightConnectedComponents(byte[] classes, int width, int height) {
    boolean[] seen = new boolean[classes.length];
    int count = 0;
    for (int start = 0; start < classes.length; start++) {
      if (classes[start] == 0 || seen[start]) {
        continue;
      }
      count++;
      java.util.ArrayDeque<Integer> queue = new java.util.ArrayDeque<>();
      queue.add(start);
      seen[start] = true;
      while (!queue.isEmpty()) {
        for (int q : eightNeighbours(queue.poll(), width, height)) {
          if (classes[q] != 0 && !seen[q]) {
            seen[q] = true;
            queue.add(q);
          }
        }
      }
    }
    return count;
  }
}
