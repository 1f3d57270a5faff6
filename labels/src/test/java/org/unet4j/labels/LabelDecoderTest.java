package org.unet4j.labels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.unet4j.dsl.recipe.LabelFormat;

class LabelDecoderTest {

  /** Rows of space-separated values, row-major. */
  static int[] image(String... rows) {
    return Arrays.stream(rows)
        .flatMap(row -> Arrays.stream(row.trim().split("\\s+")))
        .mapToInt(Integer::parseInt)
        .toArray();
  }

  static int width(String... rows) {
    return rows[0].trim().split("\\s+").length;
  }

  @Test
  void colorComponentsSplitsEachValueIntoItsComponents() {
    // 1 and 2 touch (different cells); the two regions of 3 are apart (two cells): 4 instances.
    String[] raw = {
        "1 1 2 2 0 3",
        "1 1 2 2 0 3",
        "0 0 0 0 0 0",
        "3 3 0 0 0 0"};
    InstanceLabels cells = LabelDecoder.decode(image(raw), 6, 4, LabelFormat.COLOR_COMPONENTS);
    assertEquals(4, cells.cellCount());
    assertArrayEquals(image(
        "1 1 2 2 0 3",
        "1 1 2 2 0 3",
        "0 0 0 0 0 0",
        "4 4 0 0 0 0"), cells.toArray());
  }

  @Test
  void componentsAreFourConnected() {
    // The same value meeting only at a corner is two cells.
    InstanceLabels cells = LabelDecoder.decode(image("5 0", "0 5"), 2, 2, LabelFormat.COLOR_COMPONENTS);
    assertArrayEquals(image("1 0", "0 2"), cells.toArray());
  }

  @Test
  void binaryMergesTouchingForegroundIntoOneCell() {
    String[] raw = {
        "255 255 255 255 0 255",
        "255 255 255 255 0 255",
        "0   0   0   0   0 0",
        "255 255 0   0   0 0"};
    InstanceLabels cells = LabelDecoder.decode(image(raw), 6, 4, LabelFormat.BINARY);
    assertArrayEquals(image(
        "1 1 1 1 0 2",
        "1 1 1 1 0 2",
        "0 0 0 0 0 0",
        "3 3 0 0 0 0"), cells.toArray());
  }

  @Test
  void binaryAcceptsAnySingleForegroundValue() {
    InstanceLabels cells = LabelDecoder.decode(image("0 65535", "0 0"), 2, 2, LabelFormat.BINARY);
    assertArrayEquals(image("0 1", "0 0"), cells.toArray());
  }

  @Test
  void isbiCellsAreTheComponentsOfTheInterior() {
    String[] raw = {
        "255 255 0 255",
        "255 255 0 255",
        "0   0   0 0",
        "255 0 255 255"};
    InstanceLabels cells = LabelDecoder.decode(image(raw), 4, 4, LabelFormat.ISBI_MEMBRANE);
    assertArrayEquals(image(
        "1 1 0 2",
        "1 1 0 2",
        "0 0 0 0",
        "3 0 4 4"), cells.toArray());
  }

  @Test
  void instanceKeepsValuesAsCellsEvenWhenNotConnected() {
    InstanceLabels cells = LabelDecoder.decode(image("7 0 7", "0 3 0"), 3, 2, LabelFormat.INSTANCE);
    assertArrayEquals(image("2 0 2", "0 1 0"), cells.toArray());
    assertEquals(2, cells.cellCount());
  }

  @ParameterizedTest
  @EnumSource(value = LabelFormat.class, mode = EnumSource.Mode.EXCLUDE, names = "CLASS_COLORS")
  void emptyAndFullImages(LabelFormat format) {
    assertEquals(0, LabelDecoder.decode(new int[12], 4, 3, format).cellCount());
    int[] full = new int[12];
    Arrays.fill(full, 255);
    InstanceLabels cells = LabelDecoder.decode(full, 3, 4, format);
    assertEquals(1, cells.cellCount());
    assertTrue(Arrays.stream(cells.toArray()).allMatch(v -> v == 1));
  }

  @Test
  void binaryWithSeveralForegroundValuesPointsToTheOtherFormats() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LabelDecoder.decode(image("0 1 2", "3 0 1"), 3, 2, LabelFormat.BINARY));
    assertTrue(e.getMessage().startsWith(
        "BINARY labels hold 0 (background) and one foreground value, but this image has 3 foreground"
            + " values: 1, 2, 3."), e.getMessage());
    assertTrue(e.getMessage().contains("use COLOR_COMPONENTS"), e.getMessage());
    assertTrue(e.getMessage().contains("use INSTANCE"), e.getMessage());
  }

  @Test
  void longValueListsAreShortened() {
    int[] raw = new int[30];
    for (int i = 0; i < raw.length; i++) {
      raw[i] = i;
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LabelDecoder.decode(raw, 6, 5, LabelFormat.BINARY));
    assertTrue(e.getMessage().contains("29 foreground values: 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, ... (29 in all)."),
        e.getMessage());
  }

  @Test
  void isbiWithAZeroOneMaskSuggestsBinary() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LabelDecoder.decode(image("0 1", "1 1"), 2, 2, LabelFormat.ISBI_MEMBRANE));
    assertEquals("ISBI_MEMBRANE labels hold only 0 (membrane) and 255 (cell interior), but this image has"
        + " the values 0, 1 (1 first at (x=1, y=0)). For a mask with one foreground value use BINARY",
        e.getMessage());
  }

  @Test
  void isbiWithIntermediateValuesSuggestsResampling() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LabelDecoder.decode(image("0 255", "128 255"), 2, 2, LabelFormat.ISBI_MEMBRANE));
    assertTrue(e.getMessage().contains("the values 0, 128, 255 (128 first at (x=0, y=1))"), e.getMessage());
    assertTrue(e.getMessage().contains("resampled or saved lossily"), e.getMessage());
  }

  @Test
  void isbiWithManyValuesSuggestsInstanceOrColorComponents() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LabelDecoder.decode(image("0 1", "2 3"), 2, 2, LabelFormat.ISBI_MEMBRANE));
    assertTrue(e.getMessage().endsWith("If each value is one cell use INSTANCE; if touching cells have"
        + " different values (a colour-coded mask) use COLOR_COMPONENTS"), e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(LabelFormat.class)
  void negativeValuesPointToSignedShorts(LabelFormat format) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LabelDecoder.decode(image("0 0 -32768"), 3, 1, format));
    assertTrue(e.getMessage().startsWith("label value -32768 at (x=2, y=0) is negative"), e.getMessage());
    assertTrue(e.getMessage().contains("(value & 0xFFFF)"), e.getMessage());
  }

  @Test
  void refusesSizeThatDoesNotMatch() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LabelDecoder.decode(new int[5], 2, 2, LabelFormat.INSTANCE));
    assertEquals("a 2x2 image has 4 pixels but the array holds 5", e.getMessage());
  }
}
