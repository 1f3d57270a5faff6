package org.unet4j.recipes.eval;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Times the metrics on a synthetic EM-like image; run by hand, not a test:
 * {@code java -cp ... org.unet4j.recipes.eval.EvaluationTiming WIDTH HEIGHT soft|u8|noise [REPEATS]}.
 * Prints the single-thread CPU time of the warping error per threshold and of all ISBI metrics,
 * and the wall time of a whole evaluation (thresholds in parallel), for the last, warm repeat.
 */
public final class EvaluationTiming {
  private EvaluationTiming() {}

  public static void main(String[] args) {
    int width = Integer.parseInt(args[0]);
    int height = Integer.parseInt(args[1]);
    String mode = args[2];
    int repeats = args.length > 3 ? Integer.parseInt(args[3]) : 5;
    SyntheticEm em = SyntheticEm.of(width, height, width * height / 2600, 5, 42);
    float[] prob = em.prob.clone();
    Random random = new Random(1);
    for (int i = 0; i < prob.length; i++) {
      switch (mode) {
        case "u8" -> prob[i] = Math.round(prob[i] * 255) / 255f;
        case "noise" -> prob[i] = random.nextFloat();
        case "soft" -> { }
        default -> throw new IllegalArgumentException("mode soft, u8 or noise");
      }
    }
    GroundTruth truth = GroundTruthFixtures.fromCells(em.truth, width, height);
    CellProbabilities pred = new CellProbabilities(width, height, prob);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    for (int r = 0; r < repeats; r++) {
      StringBuilder perThreshold = new StringBuilder();
      long warpingCpu = 0;
      for (double th : Thresholds.warping()) {
        long start = threads.getCurrentThreadCpuTime();
        WarpingError.compute(em.truth, prob, width, height, th);
        long cpu = threads.getCurrentThreadCpuTime() - start;
        warpingCpu += cpu;
        perThreshold.append(String.format(Locale.ROOT, " %d", cpu / 1_000_000));
      }
      long start = threads.getCurrentThreadCpuTime();
      long wall = System.nanoTime();
      ImageEvaluation evaluation = Evaluator.evaluate("synthetic", List.of(truth), List.of(pred), 0.5);
      wall = System.nanoTime() - wall;
      long callerCpu = threads.getCurrentThreadCpuTime() - start;
      if (r == repeats - 1) {
        System.out.printf(Locale.ROOT, "%dx%d %s: warping CPU %d ms for 10 thresholds (ms each:%s);"
                + " whole evaluation %d ms wall on %d cores (caller thread CPU %d ms)%n  %s%n", width, height,
            mode, warpingCpu / 1_000_000, perThreshold, wall / 1_000_000,
            Runtime.getRuntime().availableProcessors(), callerCpu / 1_000_000, evaluation.scores());
      }
    }
  }
}
