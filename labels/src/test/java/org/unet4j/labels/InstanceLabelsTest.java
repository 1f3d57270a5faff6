package org.unet4j.labels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InstanceLabelsTest {

  @Test
  void numbersCellsCompactlyInAscendingOrder() {
    InstanceLabels labels = InstanceLabels.of(new int[] {0, 7, 3, 7, 40, 0}, 3, 2);
    assertArrayEquals(new int[] {0, 2, 1, 2, 3, 0}, labels.toArray());
    assertEquals(3, labels.cellCount());
    assertEquals(3, labels.label(1, 1));
  }

  @Test
  void numbersLargeSparseValuesToo() {
    InstanceLabels labels = InstanceLabels.of(new int[] {2_000_000_000, 0, 5, 1_000_000_000}, 2, 2);
    assertArrayEquals(new int[] {3, 0, 1, 2}, labels.toArray());
  }

  @Test
  void copiesItsInput() {
    int[] raw = {0, 1};
    InstanceLabels labels = InstanceLabels.of(raw, 2, 1);
    raw[1] = 0;
    assertEquals(1, labels.label(1, 0));
    assertTrue(labels.equals(InstanceLabels.of(new int[] {0, 9}, 2, 1)));
  }

  @Test
  void refusesNegativeLabelsAndWrongSizes() {
    IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
        () -> InstanceLabels.of(new int[] {0, 0, 0, -2}, 2, 2));
    assertEquals("instance label -2 at (x=1, y=1) is negative; expected 0 for background and > 0 for cells",
        negative.getMessage());
    IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
        () -> InstanceLabels.of(new int[0], 0, 0));
    assertEquals("image size must be at least 1x1, got 0x0", size.getMessage());
  }
}
