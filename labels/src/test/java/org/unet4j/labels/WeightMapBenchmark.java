package org.unet4j.labels;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import org.unet4j.dsl.recipe.LabelFormat;
import org.unet4j.dsl.recipe.WeightedCrossEntropyLoss;

/**
 * Times the weight map of a large synthetic label image: 2048 x 2048 pixels, 1,000 elliptic
 * cells, about a fifth of them placed touching a neighbour. Not a test (no timing assertions):
 * run its {@code main} with the test class path. Arguments: [size] [cells] [seed].
 */
public final class WeightMapBenchmark {
  private WeightMapBenchmark() {}

  public static void main(String[] args) {
    int size = args.length > 0 ? Integer.parseInt(args[0]) : 2048;
    int cellCount = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    long seed = args.length > 2 ? Long.parseLong(args[2]) : 42;
    int[] raw = syntheticCells(size, cellCount, new Random(seed));
    InstanceLabels instances = LabelDecoder.decode(raw, size, size, LabelFormat.INSTANCE);
    InstanceLabels separated = SeparationBorders.separate(instances);
    long foreground = Arrays.stream(raw).filter(v -> v != 0).count();
    long border = foreground - Arrays.stream(separated.toArray()).filter(v -> v != 0).count();
    System.out.printf(Locale.ROOT, "%dx%d, %d cells, %.1f%% foreground, %d separation-border pixels%n",
        size, size, instances.cellCount(), 100.0 * foreground / raw.length, border);
    WeightedCrossEntropyLoss paper = WeightedCrossEntropyLoss.paper();

    time("separation borders", 3, 7, () -> SeparationBorders.separate(instances));
    time("eq. 2 weights (given cells)", 3, 7, () -> WeightMap.weights(separated, paper));
    time("WeightMap.compute (borders + classes + weights)", 3, 7, () -> WeightMap.compute(instances, paper));
    time("cache key (SHA-256 of labels + parameters)", 3, 7, () -> WeightMapCache.key(instances, paper));
    boolean[] oneCell = new boolean[raw.length];
    for (int i = 0; i < raw.length; i++) {
      oneCell[i] = instances.array()[i] == 1;
    }
    double full = time("one full-image EDT (the naive method needs one per cell)", 2, 5,
        () -> DistanceTransform.squaredDistances(oneCell, size, size));
    System.out.printf(Locale.ROOT, "  naive per-cell full EDT estimate: %.1f s%n", full * instances.cellCount() / 1000);
  }

  /**
   * Runs {@code work} warmup + runs times; prints the median wall time and the median CPU time of
   * this thread (the algorithms are single-threaded, so CPU time is what a busy machine steals
   * least from) and returns the median wall time in ms.
   */
  private static double time(String what, int warmup, int runs, Runnable work) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    for (int i = 0; i < warmup; i++) {
      work.run();
    }
    double[] ms = new double[runs];
    double[] cpu = new double[runs];
    for (int i = 0; i < runs; i++) {
      long startCpu = threads.getCurrentThreadCpuTime();
      long start = System.nanoTime();
      work.run();
      ms[i] = (System.nanoTime() - start) / 1e6;
      cpu[i] = (threads.getCurrentThreadCpuTime() - startCpu) / 1e6;
    }
    Arrays.sort(ms);
    Arrays.sort(cpu);
    System.out.printf(Locale.ROOT, "%-58s median %7.1f ms wall, %7.1f ms cpu  (wall min %.1f, max %.1f; %d runs)%n",
        what, ms[runs / 2], cpu[runs / 2], ms[0], ms[runs - 1], runs);
    return ms[runs / 2];
  }

  /**
   * Random ellipses (semi-axes 6..24 px, any orientation) that do not overlap; about one in five
   * is put right next to an earlier cell so that the two touch along a contact line.
   */
  static int[] syntheticCells(int size, int cells, Random random) {
    int[] labels = new int[size * size];
    int placed = 0;
    double[] cx = new double[cells + 1];
    double[] cy = new double[cells + 1];
    double[] radius = new double[cells + 1];
    for (int attempt = 0; placed < cells && attempt < 200 * cells; attempt++) {
      double a = 6 + random.nextDouble() * 18;
      double b = a * (0.6 + 0.4 * random.nextDouble());
      double angle = random.nextDouble() * Math.PI;
      boolean touch = placed > 0 && random.nextDouble() < 0.2;
      double x;
      double y;
      if (touch) {
        int other = 1 + random.nextInt(placed);
        double direction = random.nextDouble() * 2 * Math.PI;
        // Centres one radius sum apart along a random direction: the ellipses overlap a little,
        // and the overlap stays with the earlier cell, which leaves a contact line.
        double distance = 0.9 * (radius[other] + b);
        x = cx[other] + distance * Math.cos(direction);
        y = cy[other] + distance * Math.sin(direction);
      } else {
        x = a + random.nextDouble() * (size - 2 * a);
        y = a + random.nextDouble() * (size - 2 * a);
      }
      int label = placed + 1;
      if (paint(labels, size, label, x, y, a, b, angle, touch)) {
        placed++;
        cx[label] = x;
        cy[label] = y;
        radius[label] = b;
      }
    }
    return labels;
  }

  /**
   * Paints the ellipse with the label if it fits: no pixel within 1 of it may be another cell
   * (without {@code touch}), or it may cover at most a third of its pixels with earlier cells
   * (with {@code touch}, those pixels stay with the earlier cells).
   */
  private static boolean paint(int[] labels, int size, int label, double x, double y, double a, double b,
      double angle, boolean touch) {
    double cos = Math.cos(angle);
    double sin = Math.sin(angle);
    int r = (int) Math.ceil(a) + 1;
    int x0 = (int) Math.floor(x) - r;
    int y0 = (int) Math.floor(y) - r;
    if (x0 < 0 || y0 < 0 || x0 + 2 * r >= size || y0 + 2 * r >= size) {
      return false;
    }
    int inside = 0;
    int taken = 0;
    for (int py = y0; py <= y0 + 2 * r; py++) {
      for (int px = x0; px <= x0 + 2 * r; px++) {
        double margin = touch ? 0 : 1.5;
        if (ellipse(px - x, py - y, a + margin, b + margin, cos, sin) && labels[py * size + px] != 0) {
          taken++;
        }
        inside += ellipse(px - x, py - y, a, b, cos, sin) ? 1 : 0;
      }
    }
    if (touch ? taken == 0 || taken > inside / 3 : taken > 0) {
      return false;
    }
    for (int py = y0; py <= y0 + 2 * r; py++) {
      for (int px = x0; px <= x0 + 2 * r; px++) {
        if (ellipse(px - x, py - y, a, b, cos, sin) && labels[py * size + px] == 0) {
          labels[py * size + px] = label;
        }
      }
    }
    return true;
  }

  private static boolean ellipse(double dx, double dy, double a, double b, double cos, double sin) {
    double u = (dx * cos + dy * sin) / a;
    double v = (-dx * sin + dy * cos) / b;
    return u * u + v * v <= 1;
  }
}
