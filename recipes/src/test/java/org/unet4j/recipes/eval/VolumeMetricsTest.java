package org.unet4j.recipes.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.unet4j.dsl.model.Size3;
import org.unet4j.labels.BorderThinning;
import org.unet4j.labels.InstanceLabels;
import org.unet4j.labels.InstanceVolume;
import org.unet4j.recipes.data.DataException;

/**
 * The volume metrics against brute-force references written from the definitions (components by
 * pairwise union, Rand pairs counted pair by pair, object IoU pair by pair) on small random
 * volumes of odd sizes, and hand-worked cases where one object runs through two planes, which the
 * slice-by-slice scores of a stack see as two.
 */
class VolumeMetricsTest {
  private static final double EPS = 1e-12;

  /**
   * One object of four voxels through planes 0 and 1 of a 3x4x5 volume: (z0, y1, x1), (z0, y1,
   * x2), (z1, y1, x2), (z1, y2, x2). The prediction finds all but (z1, y1, x2), which joined the
   * planes.
   */
  private static final Size3 HAND = new Size3(3, 4, 5);

  private static int at(int z, int y, int x) {
    return (z * HAND.y() + y) * HAND.x() + x;
  }

  private static InstanceVolume handTruth() {
    int[] labels = new int[(int) HAND.voxels()];
    labels[at(0, 1, 1)] = 1;
    labels[at(0, 1, 2)] = 1;
    labels[at(1, 1, 2)] = 1;
    labels[at(1, 2, 2)] = 1;
    return InstanceVolume.of(labels, HAND);
  }

  private static VolumeProbabilities handPrediction() {
    float[] values = new float[(int) HAND.voxels()];
    values[at(0, 1, 1)] = 1;
    values[at(0, 1, 2)] = 1;
    values[at(1, 2, 2)] = 1;
    return new VolumeProbabilities(HAND, values);
  }

  @Test
  void anObjectThroughTwoPlanesIsOneSegmentInTheVolumeAndTwoInTheStack() {
    // Volume: A = one segment of n = 4; B = {2 voxels}, {1 voxel} and the missed voxel a
    // singleton. sum c^2 + s = 4 + 1 + 1 = 6, sum b^2 + s = 6, sum a^2 = 16: P = 1, R = 3/8,
    // F = 6/11 at every threshold below 1.
    IsbiScores volume = VolumeMetrics.isbi(handTruth(), handPrediction());
    assertEquals(5.0 / 11, volume.randError().value(), EPS);
    assertEquals(0.0, volume.randError().threshold());
    // Voxels: tp 3, fn 1: P = 1, R = 3/4, F = 6/7, the same in both.
    assertEquals(1.0 / 7, volume.pixelError().value(), EPS);
    assertTrue(Double.isNaN(volume.warpingError().value()));
    // Stack, plane by plane: plane 0 agrees (4, 4, 4); plane 1 has a = 2, c = 1, s = 1: (2, 2, 4).
    // Summed (6, 6, 8): F = 6/7.
    IsbiScores stack = IsbiMetrics.compute(truthPages(handTruth()), predictionPages(handPrediction()));
    assertEquals(1.0 / 7, stack.randError().value(), EPS);
    assertEquals(1.0 / 7, stack.pixelError().value(), EPS);
  }

  @Test
  void objectsThroughTwoPlanesMatchInTheStackButNotInTheVolume() {
    // The predicted instances are the truth's two plane pieces as two objects: each covers 2 of
    // the object's 4 voxels, IoU 1/2, not above 0.5: no match in the volume, F1 0, AP 0. SEG:
    // neither covers more than half. Plane by plane every piece is found exactly.
    int[] pieces = handTruth().toArray();
    pieces[at(1, 1, 2)] = 2;
    pieces[at(1, 2, 2)] = 2;
    InstanceVolume predicted = InstanceVolume.of(pieces, HAND);
    ObjectScores volume = VolumeMetrics.instanceObjects(handTruth(), predicted);
    assertEquals(1, volume.truthObjects());
    assertEquals(2, volume.predictedObjects());
    assertEquals(0, volume.matched());
    assertEquals(0.0, volume.objectF1());
    assertEquals(0.0, volume.seg());
    assertEquals(1.0, volume.iou());
    assertTrue(Double.isNaN(volume.threshold()));
    ObjectScores stack = ObjectMetrics.computeInstances(truthPages(handTruth()), truthPages(predicted));
    assertEquals(1.0, stack.objectF1());
    assertEquals(2, stack.matched());
  }

  @Test
  void thresholdedObjectsAreSixConnected() {
    // At 0.5 the prediction is {2 voxels in plane 0} and {1 voxel in plane 1}: IoU 2/4 and 1/4
    // with the one true object: no match; foreground IoU 3/4, Dice 6/7.
    ObjectScores scores = VolumeMetrics.objects(handTruth(), handPrediction(), 0.5);
    assertEquals(2, scores.predictedObjects());
    assertEquals(0, scores.matched());
    assertEquals(0.75, scores.iou(), EPS);
    assertEquals(6.0 / 7, scores.dice(), EPS);
    assertEquals(0.5, scores.threshold());
  }

  @Test
  void aPerfectPredictionScoresPerfectly() {
    float[] values = new float[(int) HAND.voxels()];
    int[] truth = handTruth().toArray();
    for (int i = 0; i < values.length; i++) {
      values[i] = truth[i] > 0 ? 1 : 0;
    }
    ImageEvaluation e = Evaluator.evaluateVolume("hand", handTruth(), new VolumeProbabilities(HAND, values), 0.5,
        null);
    assertEquals(0.0, e.scores().pixelError());
    assertEquals(0.0, e.scores().randError());
    assertEquals(1.0, e.scores().vRand());
    assertEquals(1.0, e.scores().objectF1());
    assertEquals(3, e.pages());
    assertEquals(5, e.width());
    assertEquals(4, e.height());
  }

  @ParameterizedTest
  @CsvSource({"3, 4, 5, 1, 0", "2, 3, 3, 2, 0", "1, 5, 4, 3, 0", "4, 1, 3, 4, 0", "3, 3, 3, 5, 0", "5, 2, 2, 6, 0",
      "5, 7, 9, 7, 0", "5, 7, 9, 8, 0.2", "3, 4, 5, 9, 0.3", "1, 5, 4, 10, 0.5", "4, 1, 3, 11, 0.4"})
  void matchesTheBruteForceReference(int depth, int height, int width, long seed, double ignoredFraction) {
    Size3 size = new Size3(depth, height, width);
    Random random = new Random(seed);
    Random ignoring = new Random(-seed);
    int n = (int) size.voxels();
    boolean[] anyCells = new boolean[n];
    boolean[] ignored = new boolean[n];
    boolean[] cells = new boolean[n];
    float[] probabilities = new float[n];
    for (int i = 0; i < n; i++) {
      anyCells[i] = random.nextDouble() < 0.55;
      // Mostly agreeing with the truth, so that objects match at some thresholds.
      probabilities[i] = (anyCells[i] ? 0.4f : 0f) + 0.6f * random.nextFloat();
      ignored[i] = ignoring.nextDouble() < ignoredFraction;
      cells[i] = anyCells[i] && !ignored[i];
    }
    // The reference takes the ignored voxels out of both sides before anything is counted or connected.
    int[] truthLabels = components(cells, size);
    InstanceVolume truth = InstanceVolume.of(withIgnored(truthLabels, ignored), size, IGNORE);
    VolumeProbabilities prediction = new VolumeProbabilities(size, probabilities);

    IsbiScores scores = VolumeMetrics.isbi(truth, prediction);
    double[] thresholds = Thresholds.toArray(Thresholds.isbi());
    double bestPixel = -1;
    double bestRand = -1;
    double bestThinned = -1;
    double bestInfo = -1;
    for (double th : thresholds) {
      boolean[] proposal = without(prediction.cells(th), ignored);
      bestPixel = Math.max(bestPixel, pixelF(cells, proposal));
      bestRand = Math.max(bestRand, randF(truthLabels, components(proposal, size)));
      int[] thinned = BorderThinning.thin(proposal, size);
      bestThinned = Math.max(bestThinned, randF(truthLabels, thinned));
      bestInfo = Math.max(bestInfo, information(truthLabels, thinned));
    }
    assertEquals(1 - bestPixel, scores.pixelError().value(), EPS);
    assertEquals(1 - bestRand, scores.randError().value(), EPS);
    assertEquals(bestThinned, scores.vRand().value(), EPS);
    assertEquals(bestInfo, scores.vInfo().value(), EPS);

    ObjectScores objects = VolumeMetrics.objects(truth, prediction, 0.5);
    int[] predicted = components(without(prediction.cells(0.5), ignored), size);
    int t = max(truthLabels);
    int p = max(predicted);
    int matched = 0;
    double segSum = 0;
    for (int i = 1; i <= t; i++) {
      for (int j = 1; j <= p; j++) {
        long both = 0;
        long either = 0;
        long truthArea = 0;
        for (int v = 0; v < n; v++) {
          both += truthLabels[v] == i && predicted[v] == j ? 1 : 0;
          either += truthLabels[v] == i || predicted[v] == j ? 1 : 0;
          truthArea += truthLabels[v] == i ? 1 : 0;
        }
        double iou = (double) both / either;
        matched += iou > 0.5 ? 1 : 0;
        segSum += 2 * both > truthArea ? iou : 0;
      }
    }
    assertEquals(t, objects.truthObjects());
    assertEquals(p, objects.predictedObjects());
    assertEquals(matched, objects.matched());
    assertEquals(t + p == 0 ? 1 : 2.0 * matched / (t + p), objects.objectF1(), EPS);
    assertEquals(t == 0 ? Double.NaN : segSum / t, objects.seg(), EPS);
    long shared = 0;
    long union = 0;
    for (int v = 0; v < n; v++) {
      shared += truthLabels[v] > 0 && predicted[v] > 0 ? 1 : 0;
      union += truthLabels[v] > 0 || predicted[v] > 0 ? 1 : 0;
    }
    assertEquals(union == 0 ? 1 : (double) shared / union, objects.iou(), EPS);
  }

  @Test
  void thinningAlongZIsThinningAlongX() {
    // A column of voxels is flooded as a row of pixels: the queue and the neighbour order along
    // the one axis of extent are the same (z in a volume, x in an image).
    boolean[] line = {true, false, false, true, false, false, false, true, false};
    int[] alongZ = BorderThinning.thin(line, new Size3(line.length, 1, 1));
    assertArrayEquals(BorderThinning.thin(line, line.length, 1), alongZ);
    // By hand: cells 0, 3, 7 are basins 1, 2, 3; voxel 1 takes 1, voxel 2 meets 1 then 2 (dam);
    // voxels 4 and 6 take 2 and 3, voxel 5 (queued by 4) takes 2 and meets 3: dam; 8 takes 3.
    assertArrayEquals(new int[] {1, 1, 0, 2, 2, 0, 3, 3, 3}, alongZ);
  }

  @Test
  void aThickBoundaryBetweenPlanesBecomesOneDam() {
    // Two planes of cells with a boundary plane between them: every boundary voxel meets both.
    Size3 size = new Size3(3, 2, 2);
    boolean[] cells = {true, true, true, true, false, false, false, false, true, true, true, true};
    assertArrayEquals(new int[] {1, 1, 1, 1, 0, 0, 0, 0, 2, 2, 2, 2}, BorderThinning.thin(cells, size));
  }

  @Test
  void sizesMustAgree() {
    DataException e = assertThrows(DataException.class,
        () -> VolumeMetrics.isbi(handTruth(), new VolumeProbabilities(new Size3(3, 4, 4), new float[48])));
    assertTrue(e.getMessage().contains("the truth is 3x4x5 but the prediction 3x4x4"), e.getMessage());
  }

  @Test
  void ignoringTheMissedVoxelMakesThePredictionPerfect() {
    // (z1, y1, x2), the one voxel the prediction misses, not annotated: the cell falls into the
    // pieces {(z0, y1, x1), (z0, y1, x2)} and {(z1, y2, x2)}, both found as they are.
    int[] labels = handTruth().toArray();
    labels[at(1, 1, 2)] = IGNORE;
    InstanceVolume sparse = InstanceVolume.of(labels, HAND, IGNORE);
    IsbiScores isbi = VolumeMetrics.isbi(sparse, handPrediction());
    assertEquals(0.0, isbi.pixelError().value());
    assertEquals(0.0, isbi.randError().value());
    assertEquals(1.0, isbi.vRand().value());
    // The truth keeps its one instance (instance labels are not split); the predicted pieces are
    // two, and the larger covers 2 of its 3 annotated voxels: one match, F1 2 x 1 / (1 + 2).
    ObjectScores objects = VolumeMetrics.objects(sparse, handPrediction(), 0.5);
    assertEquals(1, objects.truthObjects());
    assertEquals(2, objects.predictedObjects());
    assertEquals(1, objects.matched());
    assertEquals(2.0 / 3, objects.objectF1(), EPS);
    assertEquals(1.0, objects.iou());
  }

  @Test
  void aPredictionInsideTheIgnoredVoxelsChangesNoScore() {
    Size3 size = new Size3(5, 7, 9);
    int n = (int) size.voxels();
    Random random = new Random(12);
    boolean[] cells = new boolean[n];
    boolean[] ignored = new boolean[n];
    float[] probabilities = new float[n];
    float[] changed = new float[n];
    int[] instances = new int[n];
    int[] changedInstances = new int[n];
    for (int i = 0; i < n; i++) {
      cells[i] = random.nextDouble() < 0.5;
      // A block of planes 1..2, rows 2..5 not annotated.
      int plane = i / (size.x() * size.y());
      int row = i / size.x() % size.y();
      ignored[i] = plane >= 1 && plane <= 2 && row >= 2 && row <= 5;
      probabilities[i] = (cells[i] ? 0.4f : 0f) + 0.6f * random.nextFloat();
      changed[i] = ignored[i] ? random.nextFloat() : probabilities[i];
      instances[i] = probabilities[i] > 0.5 ? 1 + i % 3 : 0;
      changedInstances[i] = ignored[i] ? random.nextInt(4) : instances[i];
    }
    InstanceVolume truth = InstanceVolume.of(withIgnored(components(cells, size), ignored), size, IGNORE);
    VolumeProbabilities before = new VolumeProbabilities(size, probabilities);
    VolumeProbabilities after = new VolumeProbabilities(size, changed);
    assertTrue(truth.ignoredCount() > 0 && !before.equals(after));
    assertEquals(VolumeMetrics.isbi(truth, before), VolumeMetrics.isbi(truth, after));
    assertEquals(VolumeMetrics.objects(truth, before, 0.5), VolumeMetrics.objects(truth, after, 0.5));
    assertEquals(VolumeMetrics.instanceObjects(truth, InstanceVolume.of(instances, size)),
        VolumeMetrics.instanceObjects(truth, InstanceVolume.of(changedInstances, size)));
  }

  @Test
  void aNanProbabilityNamesItsVoxel() {
    float[] values = new float[(int) HAND.voxels()];
    values[at(2, 3, 1)] = Float.NaN;
    DataException e = assertThrows(DataException.class, () -> new VolumeProbabilities(HAND, values));
    assertTrue(e.getMessage().contains("(x=1, y=3, z=2) is NaN"), e.getMessage());
  }

  @Test
  void classesOfAVolumeByHand() {
    // 2 planes of 1x3, 9 not annotated. Truth: 1 1 0 / 1 2 9; prediction: 1 1 2 / 1 2 1.
    List<ClassMap> truth = planes(3, new int[] {1, 1, 0}, new int[] {1, 2, 9});
    List<ClassMap> predicted = planes(3, new int[] {1, 1, 2}, new int[] {1, 2, 1});
    ClassEvaluation scores = VolumeMetrics.classes(truth, predicted, 9);
    assertEquals(3, scores.classes().size());
    assertEquals(1, scores.ignoredPixels());
    // Class 0: truth (z0, x2), predicted nowhere (the class-1 guess at the ignored voxel is left out).
    assertEquals(0.0, scores.classes().get(0).iou());
    // Class 1: the truth's three voxels, one object through both planes, found exactly.
    ClassScores one = scores.classes().get(1);
    assertEquals(1.0, one.iou());
    assertEquals(1.0, one.objectF1());
    assertEquals(1, one.truthObjects());
    // Class 2: truth (z1, x1); predicted there and at (z0, x2), which touches it by an edge only:
    // IoU 1/2, Dice 2/3, two predicted objects of which one matches, object F1 2/3.
    ClassScores two = scores.classes().get(2);
    assertEquals(0.5, two.iou(), EPS);
    assertEquals(2.0 / 3, two.dice(), EPS);
    assertEquals(2, two.predictedObjects());
    assertEquals(2.0 / 3, two.objectF1(), EPS);
    assertEquals(0.75, scores.meanIou(), EPS);
    assertEquals(5.0 / 6, scores.meanDice(), EPS);
    assertEquals(5.0 / 6, scores.meanObjectF1(), EPS);
    // Page by page, class 1 is an object in each plane.
    assertEquals(2, ClassMetrics.compute(truth, predicted, 9).classes().get(1).truthObjects());

    // The foreground object scores: truth {(z0, x0), (z0, x1), (z1, x0), (z1, x1)} is one object,
    // and so is the prediction's foreground outside the ignored voxel (all five): IoU 4/5, a match.
    ImageEvaluation e = Evaluator.evaluateClassVolume("v", truth, predicted, null, 9);
    assertEquals(1, e.objects().truthObjects());
    assertEquals(1, e.objects().predictedObjects());
    assertEquals(0.8, e.objects().iou(), EPS);
    assertEquals(1.0, e.objects().objectF1());
    assertTrue(Double.isNaN(e.scores().pixelError()) && Double.isNaN(e.scores().randError()));
    assertEquals(scores, e.classes());
    assertEquals(2, e.pages());
  }

  @Test
  void aVolumeOfOnePlaneIsScoredAsTheImage() {
    Random random = new Random(21);
    int[] truth = new int[7 * 5];
    int[] predicted = new int[truth.length];
    for (int i = 0; i < truth.length; i++) {
      truth[i] = random.nextInt(4);
      predicted[i] = random.nextInt(3);
    }
    List<ClassMap> t = List.of(ClassMap.of(truth, 7, 5));
    List<ClassMap> p = List.of(ClassMap.of(predicted, 7, 5));
    assertEquals(ClassMetrics.compute(t, p, 3), VolumeMetrics.classes(t, p, 3));
  }

  @ParameterizedTest
  @CsvSource({"5, 7, 9, 1, -1", "5, 7, 9, 2, 4", "3, 1, 5, 3, 4", "1, 4, 3, 4, -1", "2, 3, 3, 5, 4"})
  void classesMatchTheBruteForceReference(int depth, int height, int width, long seed, int ignoreLabel) {
    Size3 size = new Size3(depth, height, width);
    Random random = new Random(seed);
    int n = (int) size.voxels();
    int[] truth = new int[n];
    int[] predicted = new int[n];
    for (int i = 0; i < n; i++) {
      // Classes 0..3, and 4 (ignored when the ignore label is 4) on about a tenth of the voxels.
      truth[i] = random.nextDouble() < 0.1 ? 4 : random.nextInt(4);
      predicted[i] = random.nextDouble() < 0.6 && truth[i] < 4 ? truth[i] : random.nextInt(4);
    }
    ClassEvaluation scores = VolumeMetrics.classes(planes(size, truth), planes(size, predicted), ignoreLabel);
    int classes = ignoreLabel == 4 ? 4 : 5;
    assertEquals(classes, scores.classes().size());
    for (int k = 0; k < classes; k++) {
      boolean[] inTruth = new boolean[n];
      boolean[] inPrediction = new boolean[n];
      long shared = 0;
      long either = 0;
      long sizes = 0;
      for (int v = 0; v < n; v++) {
        boolean scored = truth[v] != ignoreLabel;
        inTruth[v] = scored && truth[v] == k;
        inPrediction[v] = scored && predicted[v] == k;
        shared += inTruth[v] && inPrediction[v] ? 1 : 0;
        either += inTruth[v] || inPrediction[v] ? 1 : 0;
        sizes += (inTruth[v] ? 1 : 0) + (inPrediction[v] ? 1 : 0);
      }
      ClassScores c = scores.classes().get(k);
      assertEquals(either == 0 ? Double.NaN : (double) shared / either, c.iou(), EPS, "class " + k);
      assertEquals(sizes == 0 ? Double.NaN : 2.0 * shared / sizes, c.dice(), EPS, "class " + k);
      if (k == 0) {
        assertTrue(Double.isNaN(c.objectF1()));
        continue;
      }
      int[] a = components(inTruth, size);
      int[] b = components(inPrediction, size);
      int matched = 0;
      for (int i = 1; i <= max(a); i++) {
        for (int j = 1; j <= max(b); j++) {
          long both = 0;
          long any = 0;
          for (int v = 0; v < n; v++) {
            both += a[v] == i && b[v] == j ? 1 : 0;
            any += a[v] == i || b[v] == j ? 1 : 0;
          }
          matched += 2 * both > any ? 1 : 0;
        }
      }
      int objects = max(a) + max(b);
      assertEquals(objects == 0 ? Double.NaN : 2.0 * matched / objects, c.objectF1(), EPS, "class " + k);
      assertEquals(max(a), c.truthObjects());
    }
  }

  @Test
  void predictedClassesInsideTheIgnoredVoxelsChangeNoScore() {
    Size3 size = new Size3(5, 7, 9);
    int n = (int) size.voxels();
    Random random = new Random(33);
    int[] truth = new int[n];
    int[] predicted = new int[n];
    int[] changed = new int[n];
    for (int i = 0; i < n; i++) {
      truth[i] = i % 7 == 0 ? 255 : random.nextInt(3);
      predicted[i] = random.nextDouble() < 0.7 ? truth[i] % 255 : random.nextInt(3);
      changed[i] = truth[i] == 255 ? random.nextInt(5) : predicted[i];
    }
    List<ClassMap> t = planes(size, truth);
    // Classes 3 and 4, predicted only at ignored voxels, are no classes of the scores.
    assertEquals(VolumeMetrics.classes(t, planes(size, predicted), 255),
        VolumeMetrics.classes(t, planes(size, changed), 255));
    assertEquals(Evaluator.evaluateClassVolume("v", t, planes(size, predicted), null, 255).objects(),
        Evaluator.evaluateClassVolume("v", t, planes(size, changed), null, 255).objects());
  }

  @Test
  void planesOfDifferentSizesAreRefused() {
    List<ClassMap> truth = List.of(ClassMap.of(new int[] {0, 1}, 2, 1), ClassMap.of(new int[] {0, 1, 1}, 3, 1));
    DataException e = assertThrows(DataException.class, () -> VolumeMetrics.classes(truth, truth, -1));
    assertTrue(e.getMessage().contains("plane 1 is 3x1 but plane 0 is 2x1"), e.getMessage());
  }

  // --- references, written from the definitions without the production code's shortcuts ---

  /** Class maps of one row each, {@code width} wide. */
  private static List<ClassMap> planes(int width, int[]... rows) {
    List<ClassMap> planes = new ArrayList<>();
    for (int[] row : rows) {
      planes.add(ClassMap.of(row, width, 1));
    }
    return planes;
  }

  /** The planes of a z-major class volume. */
  private static List<ClassMap> planes(Size3 size, int[] voxels) {
    int plane = size.y() * size.x();
    List<ClassMap> planes = new ArrayList<>();
    for (int z = 0; z < size.z(); z++) {
      planes.add(ClassMap.of(java.util.Arrays.copyOfRange(voxels, z * plane, (z + 1) * plane), size.x(), size.y()));
    }
    return planes;
  }

  /** The truth value of voxels that are not annotated, above every label the tests make. */
  private static final int IGNORE = 100_000;

  private static int[] withIgnored(int[] labels, boolean[] ignored) {
    int[] marked = labels.clone();
    for (int i = 0; i < marked.length; i++) {
      marked[i] = ignored[i] ? IGNORE : marked[i];
    }
    return marked;
  }

  private static boolean[] without(boolean[] mask, boolean[] ignored) {
    boolean[] kept = new boolean[mask.length];
    for (int i = 0; i < kept.length; i++) {
      kept[i] = mask[i] && !ignored[i];
    }
    return kept;
  }

  /** 6-connected components by repeated pairwise union of face neighbours, numbered by first voxel. */
  private static int[] components(boolean[] mask, Size3 size) {
    int n = mask.length;
    int[] parent = new int[n];
    for (int i = 0; i < n; i++) {
      parent[i] = i;
    }
    for (int a = 0; a < n; a++) {
      for (int b = a + 1; b < n; b++) {
        if (mask[a] && mask[b] && distance(a, b, size) == 1) {
          parent[root(parent, a)] = root(parent, b);
        }
      }
    }
    int[] labels = new int[n];
    Map<Integer, Integer> numbers = new HashMap<>();
    for (int i = 0; i < n; i++) {
      if (mask[i]) {
        labels[i] = numbers.computeIfAbsent(root(parent, i), r -> numbers.size() + 1);
      }
    }
    return labels;
  }

  private static int root(int[] parent, int i) {
    while (parent[i] != i) {
      i = parent[i];
    }
    return i;
  }

  private static int distance(int a, int b, Size3 size) {
    int plane = size.x() * size.y();
    return Math.abs(a / plane - b / plane) + Math.abs(a % plane / size.x() - b % plane / size.x())
        + Math.abs(a % size.x() - b % size.x());
  }

  private static double pixelF(boolean[] truth, boolean[] proposal) {
    long tp = 0;
    long fp = 0;
    long fn = 0;
    for (int i = 0; i < truth.length; i++) {
      tp += truth[i] && proposal[i] ? 1 : 0;
      fp += !truth[i] && proposal[i] ? 1 : 0;
      fn += truth[i] && !proposal[i] ? 1 : 0;
    }
    return f(fp == 0 ? 1 : (double) tp / (tp + fp), fn == 0 ? 1 : (double) tp / (tp + fn));
  }

  /** Ordered pairs of truth-cell voxels, each with itself; B = 0 voxels are singletons. */
  private static double randF(int[] truth, int[] proposal) {
    long agreeing = 0;
    long proposalPairs = 0;
    long truthPairs = 0;
    for (int u = 0; u < truth.length; u++) {
      for (int v = 0; v < truth.length; v++) {
        if (truth[u] == 0 || truth[v] == 0) {
          continue;
        }
        boolean inTruth = truth[u] == truth[v];
        boolean inProposal = u == v || (proposal[u] != 0 && proposal[u] == proposal[v]);
        agreeing += inTruth && inProposal ? 1 : 0;
        proposalPairs += inProposal ? 1 : 0;
        truthPairs += inTruth ? 1 : 0;
      }
    }
    return f(agreeing == proposalPairs ? 1 : (double) agreeing / proposalPairs,
        agreeing == truthPairs ? 1 : (double) agreeing / truthPairs);
  }

  /** 2I / (H(A) + H(B)) over the truth-cell voxels, B = 0 voxels singletons; 0 when an entropy is. */
  private static double information(int[] truth, int[] proposal) {
    Map<Integer, Integer> a = new HashMap<>();
    Map<Integer, Integer> b = new HashMap<>();
    Map<Long, Integer> ab = new HashMap<>();
    int n = 0;
    int singleton = -1;
    for (int v = 0; v < truth.length; v++) {
      if (truth[v] == 0) {
        continue;
      }
      n++;
      int segment = proposal[v] != 0 ? proposal[v] : singleton--;
      a.merge(truth[v], 1, Integer::sum);
      b.merge(segment, 1, Integer::sum);
      ab.merge((long) truth[v] << 32 ^ (segment & 0xffffffffL), 1, Integer::sum);
    }
    double hA = entropy(new ArrayList<>(a.values()), n);
    double hB = entropy(new ArrayList<>(b.values()), n);
    double hAB = entropy(new ArrayList<>(ab.values()), n);
    return hA == 0 || hB == 0 ? 0 : 2 * (hA + hB - hAB) / (hA + hB);
  }

  private static double entropy(List<Integer> counts, int n) {
    double h = 0;
    for (int c : counts) {
      double p = (double) c / n;
      h -= p * Math.log(p);
    }
    return h;
  }

  private static double f(double precision, double recall) {
    return precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
  }

  private static int max(int[] labels) {
    int max = 0;
    for (int label : labels) {
      max = Math.max(max, label);
    }
    return max;
  }

  /** The planes of a truth volume as the pages of a stack (instances kept as they are). */
  private static List<GroundTruth> truthPages(InstanceVolume volume) {
    int[] labels = volume.toArray();
    int plane = HAND.y() * HAND.x();
    List<GroundTruth> pages = new ArrayList<>();
    for (int z = 0; z < HAND.z(); z++) {
      int[] page = new int[plane];
      System.arraycopy(labels, z * plane, page, 0, plane);
      pages.add(GroundTruth.of(InstanceLabels.of(page, HAND.x(), HAND.y())));
    }
    return pages;
  }

  private static List<CellProbabilities> predictionPages(VolumeProbabilities volume) {
    int plane = HAND.y() * HAND.x();
    List<CellProbabilities> pages = new ArrayList<>();
    for (int z = 0; z < HAND.z(); z++) {
      float[] page = new float[plane];
      System.arraycopy(volume.values(), z * plane, page, 0, plane);
      pages.add(new CellProbabilities(HAND.x(), HAND.y(), page));
    }
    return pages;
  }
}
