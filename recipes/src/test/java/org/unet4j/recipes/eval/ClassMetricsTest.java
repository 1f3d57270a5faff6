package org.unet4j.recipes.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.unet4j.recipes.data.DataException;

/** Per-class scores on small maps worked out by hand, with an ignored region. */
class ClassMetricsTest {
  private static final int IGNORE = 9;

  /**
   * 5 x 3; 9 marks the two ignored pixels at the bottom left.
   * <pre>
   * truth      prediction
   * 0 1 1 0 2  0 1 1 1 2
   * 0 1 1 0 2  0 1 0 0 2
   * 9 9 0 0 2  1 2 0 0 0
   * </pre>
   */
  private static final ClassMap TRUTH = ClassMap.of(new int[] {
      0, 1, 1, 0, 2,
      0, 1, 1, 0, 2,
      9, 9, 0, 0, 2}, 5, 3);
  private static final ClassMap PREDICTED = ClassMap.of(new int[] {
      0, 1, 1, 1, 2,
      0, 1, 0, 0, 2,
      1, 2, 0, 0, 0}, 5, 3);

  @Test
  void perClassIouDiceAndObjectF1LeaveTheIgnoredPixelsOut() {
    ClassEvaluation scores = ClassMetrics.compute(List.of(TRUTH), List.of(PREDICTED), IGNORE);
    assertEquals(3, scores.classes().size(), "classes 0..2; the ignore value is no class");
    assertEquals(2, scores.ignoredPixels());
    // Class 0: 6 true, 7 predicted (the ignored two left out), 5 shared.
    ClassScores background = scores.classes().get(0);
    assertEquals(6, background.truthPixels());
    assertEquals(7, background.predictedPixels());
    assertEquals(5.0 / 8, background.iou(), 1e-12);
    assertEquals(10.0 / 13, background.dice(), 1e-12);
    assertTrue(Double.isNaN(background.objectF1()), "the background has no objects");
    // Class 1: 4 true, 4 predicted (the ignored 1 at the bottom left left out), 3 shared; one object
    // each side at IoU 3/5 > 0.5.
    ClassScores one = scores.classes().get(1);
    assertEquals(3.0 / 5, one.iou(), 1e-12);
    assertEquals(6.0 / 8, one.dice(), 1e-12);
    assertEquals(1.0, one.objectF1(), 1e-12);
    // Class 2: 3 true, 2 predicted, 2 shared. Counting the ignored predicted 2 would have made it a
    // second, unmatched object (F1 2/3).
    ClassScores two = scores.classes().get(2);
    assertEquals(2.0 / 3, two.iou(), 1e-12);
    assertEquals(4.0 / 5, two.dice(), 1e-12);
    assertEquals(1, two.predictedObjects());
    assertEquals(1.0, two.objectF1(), 1e-12);
    assertEquals((3.0 / 5 + 2.0 / 3) / 2, scores.meanIou(), 1e-12);
    assertEquals((0.75 + 0.8) / 2, scores.meanDice(), 1e-12);
    assertEquals(1.0, scores.meanObjectF1(), 1e-12);
  }

  @Test
  void withoutAnIgnoreValueEveryPixelCounts() {
    ClassMap truth = ClassMap.of(new int[] {0, 2, 2, 0, 0, 2, 2}, 7, 1);
    ClassMap predicted = ClassMap.of(new int[] {0, 2, 0, 0, 3, 2, 2}, 7, 1);
    ClassEvaluation scores = ClassMetrics.compute(List.of(truth), List.of(predicted), ClassMetrics.NO_IGNORE);
    assertEquals(4, scores.classes().size(), "K is one more than the largest class on either side");
    ClassScores one = scores.classes().get(1);
    assertTrue(Double.isNaN(one.iou()) && Double.isNaN(one.dice()) && Double.isNaN(one.objectF1()),
        "class 1 is nowhere: undefined, and left out of the means");
    // Class 2: true {1, 2, 5, 6}, predicted {1, 5, 6}; objects {1,2} and {5,6} against {1} (IoU 1/2, not
    // above 0.5) and {5,6}.
    ClassScores two = scores.classes().get(2);
    assertEquals(3.0 / 4, two.iou(), 1e-12);
    assertEquals(6.0 / 7, two.dice(), 1e-12);
    assertEquals(2 * 1.0 / 4, two.objectF1(), 1e-12);
    // Class 3: predicted only.
    ClassScores three = scores.classes().get(3);
    assertEquals(0.0, three.iou());
    assertEquals(0.0, three.objectF1());
    assertEquals((3.0 / 4 + 0) / 2, scores.meanIou(), 1e-12);
  }

  @Test
  void aStackSumsItsPagesCounts() {
    ClassMap a = ClassMap.of(new int[] {1, 1, 0}, 3, 1);
    ClassMap b = ClassMap.of(new int[] {1, 0, 0}, 3, 1);
    // Page 1 (truth a): 2 true, 2 predicted, 2 shared; page 2 (truth b): 1 true, 2 predicted, 1 shared.
    ClassEvaluation scores = ClassMetrics.compute(List.of(a, b), List.of(a, a), ClassMetrics.NO_IGNORE);
    ClassScores one = scores.classes().get(1);
    assertEquals(3, one.truthPixels());
    assertEquals(4, one.predictedPixels());
    assertEquals(3.0 / 4, one.iou(), 1e-12);
    // Objects: page 1 matches (IoU 1), page 2 {0} against {0,1} at IoU 1/2 does not.
    assertEquals(2 * 1.0 / 4, one.objectF1(), 1e-12);
  }

  @Test
  void foregroundObjectScoresLeaveTheIgnoredPixelsOut() {
    ImageEvaluation e = Evaluator.evaluateClasses("map", List.of(TRUTH), List.of(PREDICTED), null, IGNORE);
    // True foreground: {1..2 x rows 0..1} (4 px) and column 4 (3 px); predicted: one object of 6 px
    // (row 0 x 1..4, (1,1), (4,1)); the ignored bottom-left pixels are in neither.
    ObjectScores objects = e.objects();
    assertEquals(2, objects.truthObjects());
    assertEquals(1, objects.predictedObjects());
    assertEquals(0, objects.matched(), "IoU 3/7 and 2/7");
    assertEquals(5.0 / 8, objects.iou(), 1e-12);
    assertTrue(Double.isNaN(e.scores().pixelError()) && Double.isNaN(e.scores().randError()),
        "the ISBI metrics are binary");
    assertEquals(5.0 / 8, e.classes().classes().get(0).iou(), 1e-12);
  }

  @Test
  void aNegativeClassIsRefusedWithItsPlace() {
    DataException e = assertThrows(DataException.class, () -> ClassMap.of(new int[] {0, 1, -1}, 3, 1));
    assertTrue(e.getMessage().contains("class -1 at (x=2, y=0)"), e.getMessage());
  }
}
