package org.unet4j.labels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.unet4j.labels.LabelDecoderTest.image;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.unet4j.dsl.InvalidInputException;
import org.unet4j.dsl.recipe.ClassBalance;
import org.unet4j.dsl.recipe.DataSpec;
import org.unet4j.dsl.recipe.LabelFormat;
import org.unet4j.dsl.recipe.WeightedCrossEntropyLoss;

/** K-class labels decoded from every label format, and eq. 2 for K classes, against hand-worked values. */
class ClassLabelsTest {
  private static final int I = ClassLabels.IGNORED;
  private static final List<List<Integer>> COLORS = List.of(List.of(0, 0, 0), List.of(255, 0, 0), List.of(0, 255, 0));

  private static DataSpec data(LabelFormat format, int ignore) {
    return DataSpec.builder().labelFormat(format).ignoreLabel(ignore)
        .classColors(format == LabelFormat.CLASS_COLORS ? COLORS : List.of()).build();
  }

  @Test
  void indexLabelsAreTheClassesWithTheIgnoreLabelIgnored() {
    // 3x5, odd both ways; 255 unannotated.
    ClassLabels labels = LabelDecoder.classes(new int[][] {image(
        "0 1 2",
        "255 1 2",
        "0 0 255",
        "2 0 1",
        "1 1 0")}, 3, 5, data(LabelFormat.INDEX, 255), 3);
    assertArrayEquals(image(
        "0 1 2",
        "-1 1 2",
        "0 0 -1",
        "2 0 1",
        "1 1 0"), labels.toArray());
    assertEquals(3, labels.classCount());
    assertArrayEquals(new long[] {5, 5, 3}, labels.counts());
    // Components of each foreground class: {1 at (1,0),(1,1)}, {2 at (2,0),(2,1)}, {2 at (0,3)},
    // {1 at (2,3)}, {1 at (0,4),(1,4)}.
    assertEquals(5, labels.instances().cellCount());
  }

  @Test
  void sixteenBitIndexLabelsWithASixteenBitIgnoreLabel() {
    ClassLabels labels = LabelDecoder.classes(new int[][] {{65535, 4, 0, 65535, 3}}, 5, 1,
        data(LabelFormat.INDEX, 65535), 5);
    assertArrayEquals(new int[] {I, 4, 0, I, 3}, labels.toArray());
  }

  @Test
  void anIndexValueThatIsNoClassIsRefusedNamingValuePlaceAndClasses() {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> LabelDecoder.classes(
        new int[][] {image("0 1 2", "0 40000 1")}, 3, 2, data(LabelFormat.INDEX, DataSpec.NO_IGNORE_LABEL), 3));
    assertEquals("label value 40000 at (x=1, y=1) is not a class: index labels of a model of 3 classes hold"
        + " 0..2 (and no ignore label is set); set model.classes to the number of classes the labels use, or"
        + " data.ignoreLabel for unannotated pixels", e.getMessage());
    InvalidInputException withIgnore = assertThrows(InvalidInputException.class, () -> LabelDecoder.classes(
        new int[][] {{0, 3, 255}}, 3, 1, data(LabelFormat.INDEX, 255), 3));
    assertEquals("label value 3 at (x=1, y=0) is not a class: index labels of a model of 3 classes hold 0..2 and"
        + " the ignore label 255; set model.classes to the number of classes the labels use, or data.ignoreLabel"
        + " for unannotated pixels", withIgnore.getMessage());
  }

  @Test
  void classColoursMapEachColourToItsClass() {
    // 3x1 RGB: red, black, green; then grey 7 = the ignore label.
    int[][] rgb = {{255, 0, 0, 7}, {0, 0, 255, 7}, {0, 0, 0, 7}};
    ClassLabels labels = LabelDecoder.classes(rgb, 4, 1, data(LabelFormat.CLASS_COLORS, 7), 3);
    assertArrayEquals(new int[] {1, 0, 2, I}, labels.toArray());
  }

  @Test
  void anUnknownColourIsRefusedNamingColourAndPlace() {
    int[][] rgb = {{255, 0, 9}, {0, 0, 9}, {0, 0, 9}};
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> LabelDecoder.classes(rgb, 1, 3, data(LabelFormat.CLASS_COLORS, DataSpec.NO_IGNORE_LABEL), 3));
    assertEquals("colour [9, 9, 9] at (x=0, y=2) is not in the class table [[0, 0, 0], [255, 0, 0], [0, 255, 0]];"
        + " add it to data.classColors or store the labels losslessly (PNG, TIFF)", e.getMessage());
    InvalidInputException grey = assertThrows(InvalidInputException.class, () -> LabelDecoder.classes(
        new int[][] {{0, 1}}, 2, 1, data(LabelFormat.CLASS_COLORS, DataSpec.NO_IGNORE_LABEL), 3));
    assertEquals("class-colors labels are RGB images, but this one has 1 channel(s); use index labels for grey"
        + " class maps", grey.getMessage());
  }

  @Test
  void threeClassMarksCellPixelsWithAFourNeighbourOfAnotherLabelAsBoundary() {
    // Two touching colour-coded cells (7 and 9); cell 9 reaches the right edge, where there is no neighbour.
    ClassLabels labels = LabelDecoder.classes(new int[][] {image(
        "0 0 0 0 0 0",
        "0 7 7 7 9 9",
        "0 7 7 7 9 9",
        "0 7 7 7 9 9",
        "0 0 0 0 0 0")}, 6, 5, data(LabelFormat.THREE_CLASS, DataSpec.NO_IGNORE_LABEL), 3);
    assertArrayEquals(image(
        "0 0 0 0 0 0",
        "0 2 2 2 2 2",
        "0 2 1 2 2 1",
        "0 2 2 2 2 2",
        "0 0 0 0 0 0"), labels.toArray());
    assertEquals(2, labels.instances().cellCount());
  }

  @Test
  void threeClassCountsAnIgnoredNeighbourAsAnotherLabel() {
    ClassLabels labels = LabelDecoder.classes(new int[][] {image(
        "5 5 5 5",
        "5 5 5 5",
        "5 5 5 255")}, 4, 3, data(LabelFormat.THREE_CLASS, 255), 3);
    assertArrayEquals(image(
        "1 1 1 1",
        "1 1 1 2",
        "1 1 2 -1"), labels.toArray());
  }

  @Test
  void instanceFormatsKeepTwoClassesAndIgnoreTheRawIgnoreValue() {
    // Binary with an unannotated region 255: without the ignore label, 255 would be a second foreground value.
    ClassLabels labels = LabelDecoder.classes(new int[][] {image(
        "1 1 0 255",
        "1 1 0 255")}, 4, 2, data(LabelFormat.BINARY, 255), 2);
    assertArrayEquals(image(
        "1 1 0 -1",
        "1 1 0 -1"), labels.toArray());
    assertEquals(1, labels.instances().cellCount());
    assertArrayEquals(new long[] {2, 4}, labels.counts());
  }

  @Test
  void weightMapOfThreeIndexClassesWithAnIgnoredPixel() {
    // A 7x1 row: cells A (class 1) at 0, B (class 2) at 2, C (class 1) at 6; 3 ignored; 1, 4, 5 background.
    ClassLabels labels = LabelDecoder.classes(new int[][] {{1, 0, 2, 255, 0, 0, 1}}, 7, 1,
        data(LabelFormat.INDEX, 255), 3);
    float[] w = WeightMap.weights(labels, new WeightedCrossEntropyLoss(10, 1, ClassBalance.INVERSE_FREQUENCY,
        List.of()));
    // 6 counted pixels, 3 classes present: w_c = 6 / (3 * count) = 2/3, 1, 2 for 3, 2, 1 pixels.
    double wc0 = 2.0 / 3;
    double[] expected = {
        1,
        wc0 + 10 * Math.exp(-(1 + 1) * (1 + 1) / 2.0), // d to A 1, to B 1
        2,
        0, // ignored
        wc0 + 10 * Math.exp(-(2 + 2) * (2 + 2) / 2.0), // to B 2, to C 2
        wc0 + 10 * Math.exp(-(1 + 3) * (1 + 3) / 2.0), // to C 1, to B 3
        1};
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], w[i], 1e-6, "pixel " + i);
    }
  }

  @Test
  void weightMapOfThreeClassLabelsPutsTheBorderTermOnBoundaryPixelsWithTheirOwnCellAtDistanceZero() {
    // Cells 3 (pixels 0, 1) and 5 (pixels 2, 3) touch; classes 1 2 2 2 0.
    ClassLabels labels = LabelDecoder.classes(new int[][] {{3, 3, 5, 5, 0}}, 5, 1,
        data(LabelFormat.THREE_CLASS, DataSpec.NO_IGNORE_LABEL), 3);
    assertArrayEquals(new int[] {1, 2, 2, 2, 0}, labels.toArray());
    float[] w = WeightMap.weights(labels, new WeightedCrossEntropyLoss(10, 1, ClassBalance.INVERSE_FREQUENCY,
        List.of()));
    // 5 pixels, counts 1, 1, 3: w_c = 5/3, 5/3, 5/9.
    double[] expected = {
        5.0 / 3,
        5.0 / 9 + 10 * Math.exp(-1 / 2.0), // own cell 0, the other 1
        5.0 / 9 + 10 * Math.exp(-1 / 2.0),
        5.0 / 9 + 10 * Math.exp(-4 / 2.0), // own cell 0, the other 2
        5.0 / 3 + 10 * Math.exp(-16 / 2.0)}; // cells at 1 and 3
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], w[i], 1e-5, "pixel " + i);
    }
  }

  @Test
  void givenClassWeightsMustListOnePerClass() {
    ClassLabels labels = LabelDecoder.classes(new int[][] {{0, 1, 2}}, 3, 1,
        data(LabelFormat.INDEX, DataSpec.NO_IGNORE_LABEL), 3);
    WeightedCrossEntropyLoss two = new WeightedCrossEntropyLoss(10, 5, ClassBalance.GIVEN, List.of(1.0, 2.0));
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> WeightMap.weights(labels, two));
    assertEquals("classWeights lists 2 weights [1.0, 2.0] but the weight map has 3 classes; list 3, class 0 first",
        e.getMessage());
    WeightedCrossEntropyLoss three = new WeightedCrossEntropyLoss(0, 5, ClassBalance.GIVEN, List.of(1.0, 2.0, 4.0));
    assertArrayEquals(new float[] {1, 2, 4}, WeightMap.weights(labels, three));
  }

  @Test
  void classFrequenciesOverKClassesLeaveIgnoredPixelsOut() {
    ClassLabels labels = LabelDecoder.classes(new int[][] {{0, 1, 2, 2, 9}}, 5, 1, data(LabelFormat.INDEX, 9), 3);
    ClassFrequencies f = ClassFrequencies.of(labels).plus(ClassFrequencies.of(new long[] {3, 0, 0}));
    assertEquals(List.of(4L, 1L, 2L), f.counts());
    // 7 pixels, 3 classes: 7/12, 7/3, 7/6.
    assertArrayEquals(new double[] {7.0 / 12, 7.0 / 3, 7.0 / 6}, f.inverseWeights(), 1e-12);
  }

  @Test
  void aTargetStoresTheIgnoredClass() {
    ClassLabels labels = LabelDecoder.classes(new int[][] {{0, 1, 7}}, 3, 1, data(LabelFormat.INDEX, 7), 2);
    WeightedTarget target = WeightMap.compute(labels, new WeightedCrossEntropyLoss(10, 5, ClassBalance.NONE,
        List.of()));
    assertArrayEquals(new byte[] {0, 1, -1}, target.classLabels());
    assertArrayEquals(new float[] {1, 1, 0}, target.weights());
  }

  @Test
  void classLabelsOfYourOwnAreCheckedAgainstTheirClassCount() {
    InstanceLabels none = InstanceLabels.of(new int[3], 3, 1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ClassLabels.of(3, new int[] {0, 3, 1}, none, 0));
    assertEquals("class 3 at pixel 1 is outside 0..2 (or -1, ignored)", e.getMessage());
    ClassLabels labels = ClassLabels.of(3, new int[] {0, I, 2}, none, 0);
    assertArrayEquals(new long[] {1, 0, 1}, labels.counts());
    assertTrue(labels.getsBorderTerm(0));
    assertFalse(labels.getsBorderTerm(2));
    assertFalse(labels.getsBorderTerm(I));
  }
}
