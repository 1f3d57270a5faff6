package org.unet4j.recipes.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.unet4j.dsl.model.Size3;
import org.unet4j.recipes.eval.ClassEvaluation;
import org.unet4j.recipes.eval.ClassMap;
import org.unet4j.recipes.eval.Evaluator;
import org.unet4j.recipes.eval.ImageEvaluation;

class ValidationScoresTest {
  /**
   * One 3x3 tile. Truth: objects A = column 0 (3 px) and B = column 2 (3 px). Prediction: columns
   * 0..1 of rows 0..1 (one object S of 4 px, 2 of A) and (2, 2) (one object of 1 px, in B).
   * SEG: A -> S covers 2 of 3 (more than half): J = 2 / (3 + 4 - 2) = 2/5; B -> the 1 px object
   * covers 1 of 3: none, 0. SEG = (2/5 + 0) / 2 = 0.2.
   * Rand over the 6 true pixels: truth pairs 9 + 9 = 18; predicted: S holds 2 true pixels (2² = 4),
   * the single one 1, and 3 true pixels are background (1 each): 8; agreeing 2² + 1² + 3 = 8.
   * P = 8/8 = 1, R = 8/18, F = 2 * 1 * 4/9 / (1 + 4/9) = 8/13: Rand error 5/13.
   */
  @Test
  void objectScoresOfAHandDrawnTile() {
    int[] labels = {
        1, 0, 1,
        1, 0, 1,
        1, 0, 1};
    int[] predicted = {
        1, 1, 0,
        1, 1, 0,
        0, 0, 1};
    float[] weights = new float[9];
    java.util.Arrays.fill(weights, 1);
    ValidationScores.Accumulator accumulator = new ValidationScores.Accumulator(2);
    accumulator.add(0.5, 3, labels, weights, predicted);
    ValidationScores scores = accumulator.scores();
    assertEquals(0.2, scores.seg(), 1e-15);
    assertEquals(5.0 / 13, scores.randError(), 1e-15);
    assertEquals(0.2, scores.get(ValidationMetric.SEG), 1e-15);
    assertEquals(5.0 / 13, scores.get(ValidationMetric.RAND_ERROR), 1e-15);
  }

  /**
   * One 2x2x2 block of a 3D net: the true object runs from plane 0 ((0,0), (1,0)) into plane 1
   * ((1,0), (1,1)); the prediction misses plane 1's (1,0), where it passes. In the block: one true
   * object of 4, predicted objects of 2 and 1 voxels, neither more than half of it: SEG 0; Rand
   * (4 + 1 + 1) / (4 + 1 + 1) and / 16: F 6/11. Read as two tiles, the pieces are objects of their
   * own: plane 0 is found (J 1), plane 1's 1 of 2 is not: SEG 1/2; Rand summed (6, 6, 8): F 6/7.
   */
  @Test
  void aBlockOfA3dNetIsScoredWithObjectsThroughItsPlanes() {
    int[] labels = {1, 1, 0, 0, 0, 1, 0, 1};
    int[] predicted = {1, 1, 0, 0, 0, 0, 0, 1};
    float[] weights = new float[8];
    java.util.Arrays.fill(weights, 1);
    ValidationScores.Accumulator block = new ValidationScores.Accumulator(2);
    block.add(0.5, new Size3(2, 2, 2), labels, weights, predicted);
    assertEquals(0, block.scores().seg());
    assertEquals(5.0 / 11, block.scores().randError(), 1e-15);
    ValidationScores.Accumulator tiles = new ValidationScores.Accumulator(2);
    tiles.add(0.5, 2, labels, weights, predicted);
    assertEquals(0.5, tiles.scores().seg());
    assertEquals(1.0 / 7, tiles.scores().randError(), 1e-15);
    // The voxel scores are the same either way: 3 of 4 found, no false voxel.
    assertEquals(0.75, block.scores().iou());
    assertEquals(0.75, tiles.scores().iou());
  }

  /** A tile without true objects has no SEG (a mean over them), and a perfect Rand score. */
  @Test
  void aTileWithoutObjects() {
    ValidationScores.Accumulator accumulator = new ValidationScores.Accumulator(2);
    accumulator.add(0.1, 2, new int[4], new float[] {1, 1, 1, 1}, new int[4]);
    ValidationScores scores = accumulator.scores();
    assertTrue(Double.isNaN(scores.seg()));
    assertEquals(0, scores.randError());
  }

  /**
   * Three classes in a 3x3 tile, by hand. Class 1: TP at 1 and 6, FP at 4, FN at 2: IoU 2/4, Dice
   * 4/6. Class 2: TP at 3 and 8, FP at 2 and 5, FN at 4: IoU 2/5, Dice 4/7. Pixel 7 is ignored
   * (label -1, even with weight 1); 3 of the 8 scored pixels are wrong.
   */
  @Test
  void threeClassesAreScoredAsTheMeanOverTheForegroundClasses() {
    int[] labels = {
        0, 1, 1,
        2, 2, 0,
        1, -1, 2};
    int[] predicted = {
        0, 1, 2,
        2, 1, 2,
        1, 2, 2};
    float[] weights = new float[9];
    java.util.Arrays.fill(weights, 1);
    ValidationScores.Accumulator accumulator = new ValidationScores.Accumulator(3);
    accumulator.add(0.5, 3, labels, weights, predicted);
    ValidationScores scores = accumulator.scores();
    assertEquals((0.5 + 0.4) / 2, scores.iou(), 1e-12);
    assertEquals((4.0 / 6 + 4.0 / 7) / 2, scores.dice(), 1e-12);
    assertEquals(3.0 / 8, scores.pixelError(), 1e-12);
    assertEquals(8, scores.pixels());
  }

  /**
   * A 3-class 5x7x9 block of a 3D net with voxels of weight 0 (not annotated): the validation
   * scores are those of the volume evaluation of the same block with those voxels ignored (mean
   * IoU and Dice of the foreground classes, SEG of the 6-connected foreground objects), and a
   * prediction inside the ignored voxels changes none of them.
   */
  @Test
  void aBlockWithIgnoredVoxelsIsScoredAsTheVolumeEvaluationScoresIt() {
    Size3 size = new Size3(5, 7, 9);
    int n = (int) size.voxels();
    Random random = new Random(5);
    int[] labels = new int[n];
    int[] predicted = new int[n];
    int[] changed = new int[n];
    float[] weights = new float[n];
    int[] truth = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = random.nextInt(3);
      predicted[i] = random.nextDouble() < 0.7 ? labels[i] : random.nextInt(3);
      boolean ignored = random.nextDouble() < 0.2;
      weights[i] = ignored ? 0 : 0.5f + random.nextFloat();
      changed[i] = ignored ? random.nextInt(3) : predicted[i];
      truth[i] = ignored ? 9 : labels[i];
    }
    ValidationScores.Accumulator block = new ValidationScores.Accumulator(3);
    block.add(0.5, size, labels, weights, predicted);
    ValidationScores scores = block.scores();
    ImageEvaluation evaluation = Evaluator.evaluateClassVolume("block", planes(size, truth), planes(size, predicted),
        null, 9);
    ClassEvaluation classes = evaluation.classes();
    assertEquals(classes.meanIou(), scores.iou(), 1e-12);
    assertEquals(classes.meanDice(), scores.dice(), 1e-12);
    assertEquals(evaluation.objects().seg(), scores.seg(), 1e-12);
    ValidationScores.Accumulator other = new ValidationScores.Accumulator(3);
    other.add(0.5, size, labels, weights, changed);
    assertEquals(scores, other.scores());
  }

  private static List<ClassMap> planes(Size3 size, int[] voxels) {
    int plane = size.y() * size.x();
    List<ClassMap> planes = new ArrayList<>();
    for (int z = 0; z < size.z(); z++) {
      planes.add(ClassMap.of(Arrays.copyOfRange(voxels, z * plane, (z + 1) * plane), size.x(), size.y()));
    }
    return planes;
  }
}
