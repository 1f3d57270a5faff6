package org.unet4j.labels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ConnectedComponentsTest {
  @Test
  void maskComponentsAreFourConnectedAndNumberedInRasterOrder() {
    // Two pixels touching only at a corner are two components.
    boolean[] mask = {
        true, false, false, true,
        false, true, false, true,
        false, true, true, false,
    };
    int[] labels = new int[mask.length];
    assertEquals(3, ConnectedComponents.label(mask, 4, 3, labels));
    assertArrayEquals(new int[] {
        1, 0, 0, 2,
        0, 3, 0, 2,
        0, 3, 3, 0,
    }, labels);
  }

  @Test
  void touchingRegionsOfDifferentValuesStayApart() {
    int[] key = {
        1, 1, 2,
        1, 2, 2,
        0, 0, 1,
    };
    int[] labels = {9, 9, 9, 9, 9, 9, 9, 9, 9};
    assertEquals(3, ConnectedComponents.label(key, 3, 3, labels));
    assertArrayEquals(new int[] {
        1, 1, 2,
        1, 2, 2,
        0, 0, 3,
    }, labels, "the previous contents of labels are overwritten");
  }
}
