package org.unet4j.recipes.data;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.unet4j.augment.Augmenter;
import org.unet4j.augment.Sample;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.dsl.recipe.Recipes;
import org.unet4j.labels.WeightMapCache;

/**
 * How fast training tiles are made for a recipe (default nuclei-demo: tile 252, batch 4, its own
 * augmentation), printed, never asserted: DatasetTiles on the calling thread, and through
 * PrefetchingTiles on 1 and 2 threads as {@code unet4j train} uses it, alone and beside a thread
 * that keeps one core busy the way the training step does. Rounds of the five configurations
 * interleave; the best round of each is the least disturbed by other work on the machine. Compare
 * with the step rate the trainer reaches (about 2.9 steps/s for nuclei-demo on a 2-core machine,
 * i.e. 11.6 tiles/s needed).
 *
 * <p>Not a test: run its main from the repository root, after {@code mvn -pl cli -am package -DskipTests}
 * (which writes the runtime's classpath, as {@code ./unet4j} does):
 * <pre>
 * java -cp recipes/target/test-classes:recipes/target/classes:$(cat cli/target/classpath.txt) \
 *     org.unet4j.recipes.data.TileRateProbe [HOME [RECIPE [BATCHES [STEPS_PER_S]]]]
 * </pre>
 * HOME is the folder the recipe's data paths resolve against (default: the current directory).
 */
public final class TileRateProbe {
  private static final int ROUNDS = 7;

  private TileRateProbe() {}

  public static void main(String[] args) throws Exception {
    Path home = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
    Recipe recipe = Recipes.load(args.length > 1 ? args[1] : "nuclei-demo");
    int batches = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    double trainingStepsPerSecond = args.length > 3 ? Double.parseDouble(args[3]) : 2.9;

    int cores = Runtime.getRuntime().availableProcessors();
    Dataset dataset = Dataset.open(recipe, home);
    long start = System.nanoTime();
    List<Sample> samples = dataset.load(dataset.training(), WeightMapCache.inMemory(1L << 30), cores);
    System.out.printf(Locale.ROOT, "%s: %d training images, %d samples loaded with weight maps in %.2f s on %d"
        + " threads (%d cores)%n", recipe.name(), dataset.training().size(), samples.size(),
        (System.nanoTime() - start) / 1e9, cores, cores);

    int tile = recipe.training().tile();
    int output = recipe.model().geometry().outputSize(tile);
    int batchSize = recipe.training().batchSize();
    DatasetTiles tiles = new DatasetTiles(samples, Augmenter.of(recipe.augmentation()), tile, output, batchSize,
        recipe.training().seed());
    System.out.printf(Locale.ROOT, "tile %d -> %d, batch %d, %d rounds of %d batches per measurement; training"
        + " needs %.1f tiles/s (%.1f steps/s)%n", tile, output, batchSize, ROUNDS, batches,
        trainingStepsPerSecond * batchSize, trainingStepsPerSecond);

    // Warm-up: JIT compilation of the resampler.
    for (int i = 0; i < 20; i++) {
      tiles.batch(-1 - i);
    }
    // The training step keeps (at least) one core busy; some rounds run beside such a thread.
    AtomicBoolean spinning = new AtomicBoolean(false);
    AtomicBoolean done = new AtomicBoolean(false);
    Thread busy = new Thread(() -> {
      double x = 0;
      while (!done.get()) {
        if (spinning.get()) {
          x += Math.sqrt(x + 1);
        } else {
          LockSupport.parkNanos(1_000_000);
        }
      }
      if (x < 0) {
        System.out.println(x);
      }
    }, "busy");
    busy.setDaemon(true);
    busy.start();
    String[] names = {"calling thread, no prefetch", "prefetch, 1 thread", "prefetch, 2 threads",
        "prefetch, 1 thread, 1 core busy", "prefetch, 2 threads, 1 core busy"};
    int[] threads = {0, 1, 2, 1, 2};
    double[][] rates = new double[names.length][ROUNDS];
    long step = 0;
    try {
      // Rounds interleave the configurations, so that load from elsewhere on the machine
      // disturbs them alike.
      for (int round = 0; round < ROUNDS; round++) {
        for (int c = 0; c < names.length; c++) {
          spinning.set(names[c].endsWith("busy"));
          if (threads[c] == 0) {
            rates[c][round] = tilesPerSecond(tiles, step, batches, batchSize);
          } else {
            // As unet4j train prefetches: 2 batches ahead per thread.
            try (PrefetchingTiles prefetch = new PrefetchingTiles(tiles, threads[c], 2 * threads[c])) {
              prefetch.batch(step++);
              rates[c][round] = tilesPerSecond(prefetch, step, batches, batchSize);
            }
            // Let the batches still prepared ahead finish before the next measurement.
            Thread.sleep(300);
          }
          step += batches + 10;
        }
      }
    } finally {
      spinning.set(false);
      done.set(true);
      busy.join();
    }
    for (int c = 0; c < names.length; c++) {
      double[] sorted = rates[c].clone();
      Arrays.sort(sorted);
      double best = sorted[ROUNDS - 1];
      System.out.printf(Locale.ROOT, "%-34s best %6.1f tiles/s (%5.2f batches/s, %4.1fx training), median %6.1f%n",
          names[c], best, best / batchSize, best / batchSize / trainingStepsPerSecond, sorted[ROUNDS / 2]);
    }
  }

  private static double tilesPerSecond(TileSource source, long from, int batches, int batchSize) {
    long start = System.nanoTime();
    long sink = 0;
    for (int i = 0; i < batches; i++) {
      sink += source.batch(from + i).labels()[0];
    }
    double rate = batches * batchSize / ((System.nanoTime() - start) / 1e9);
    return sink < 0 ? -rate : rate;
  }
}
