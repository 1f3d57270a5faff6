package org.unet4j.labels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** {@link Downsampling}: majority votes and block maxima worked out by hand. */
class DownsamplingTest {

  /**
   * 6x4 labels, stride 2: a 3x2 grid of blocks. Block (0,0) holds 1,1,0,1: 1 wins 3 to 1. Block
   * (1,0) holds 0,1,1,0: a tie, the lower class 0. Block (2,0) holds 2,2,1,0: 2. Block (0,1) holds
   * 2,1,1,2: a tie of 1 and 2, so 1. Block (1,1) holds 0,0,0,0. Block (2,1) holds 2,1,2,0: 2.
   */
  @Test
  void majorityPerBlockWithTiesToTheLowestClass() {
    int[] labels = {
        1, 1, 0, 1, 2, 2,
        0, 1, 1, 0, 1, 0,
        2, 1, 0, 0, 2, 1,
        1, 2, 0, 0, 2, 0};
    assertArrayEquals(new int[] {1, 0, 2, 1, 0, 2}, Downsampling.of(2).classes(labels, 6, 4));
  }

  /** Odd stride and sizes: 3x6, stride 3, two blocks; 5 votes of 1 against 4 of 0, then 0 wins 5 to 4. */
  @Test
  void oddStrideAndSizes() {
    int[] labels = {
        1, 0, 1,
        0, 1, 0,
        1, 0, 1,
        0, 1, 0,
        1, 0, 1,
        0, 1, 0};
    assertArrayEquals(new int[] {1, 0}, Downsampling.of(3).classes(labels, 3, 6));
    float[] weights = {
        1, 2, 3,
        9, 1, 1,
        1, 1, 4,
        1, 7, 1,
        2, 2, 2,
        1, 1, 0.5f};
    assertArrayEquals(new float[] {9, 7}, Downsampling.of(3).weights(weights, 3, 6));
  }

  /**
   * Ignore label 9: block (0,0) holds 9,9,9,1: 1 wins alone; block (1,0) holds 9,0,1,9: a tie of 0
   * and 1, so 0, however many ignored pixels; block (2,0) holds only 9: ignored.
   */
  @Test
  void ignoredPixelsDoNotVote() {
    int[] labels = {
        9, 9, 9, 0, 9, 9,
        9, 1, 1, 9, 9, 9};
    assertArrayEquals(new int[] {1, 0, 9}, new Downsampling(2, 9).classes(labels, 6, 2));
    // without an ignore label 9 is a class like any other and wins the first and last blocks
    assertArrayEquals(new int[] {9, 9, 9}, Downsampling.of(2).classes(labels, 6, 2));
  }

  @Test
  void weightsTakeTheBlockMaximum() {
    float[] weights = {
        1, 1, 1, 1,
        1, 10, 1, 1,
        0.5f, 0.25f, 3, 3,
        0.125f, 0.5f, 3, 2};
    assertArrayEquals(new float[] {10, 1, 0.5f, 3}, Downsampling.of(2).weights(weights, 4, 4));
  }

  @Test
  void strideOneKeepsEveryPixel() {
    int[] labels = {0, 3, 2, 1, 1, 0};
    assertArrayEquals(labels, Downsampling.of(1).classes(labels, 3, 2));
    float[] weights = {0.5f, 1, 2, 3, 4, 5};
    assertArrayEquals(weights, Downsampling.of(1).weights(weights, 2, 3));
  }

  @Test
  void refusesSizesTheStrideDoesNotDivideAndNegativeLabels() {
    IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
        () -> Downsampling.of(2).classes(new int[15], 5, 3));
    assertEquals("a 5x3 map does not split into blocks of 2x2; its sides must be multiples of the stride 2",
        size.getMessage());
    IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
        () -> new Downsampling(2, 5).classes(new int[] {0, -1, 0, 0}, 2, 2));
    assertEquals("labels must be class indices >= 0 or the ignore label 5, got -1", negative.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Downsampling.of(0));
  }
}
