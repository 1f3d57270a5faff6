package org.unet4j.recipes.eval;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.base.Throwables;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import org.unet4j.labels.BorderThinning;
import org.unet4j.labels.ConnectedComponents;

/**
 * The ISBI 2012 challenge's metrics of one image or stack, exactly as its official evaluation
 * computes them (see {@code docs/guide/metrics.md}):
 *
 * <ul>
 *   <li>{@code pixelError} = 1 - max over thresholds 0.0..1.0 of the cell class's F-score;
 *   <li>{@code randError} = 1 - max of the foreground-restricted Rand F-score against the
 *       4-connected components of prob &gt; th;
 *   <li>{@code vRand} = max of the same F-score after border thinning ({@link BorderThinning});
 *   <li>{@code vInfo} = max of the foreground-restricted information score on the same thinned
 *       proposal;
 *   <li>{@code warpingError} = min over thresholds 0.0..0.9 of (merge + split pixels) / pixels
 *       ({@link WarpingError}).
 * </ul>
 *
 * <p>A stack is scored slice by slice as the challenge's Fiji plugin does: pixel and Rand F-scores
 * from counts summed over the slices, V_rand and V_info as the mean of the per-slice scores,
 * the warping error from the summed counts over all pixels. The thresholds are computed in
 * parallel, as many at a time as the cores and the heap allow.
 */
public final class IsbiMetrics {
  /** Bytes one threshold's computation needs per pixel, at most (the warping error's lists). */
  private static final long BYTES_PER_PIXEL = 64;

  private IsbiMetrics() {}

  /** The five metrics of paired truth and prediction pages. */
  public static IsbiScores compute(List<GroundTruth> truth, List<CellProbabilities> pred) {
    checkNotNull(truth, "truth");
    checkNotNull(pred, "pred");
    checkArgument(truth.size() == pred.size() && !truth.isEmpty(), "%s truth page(s) but %s predicted page(s)",
        truth.size(), pred.size());
    int pages = truth.size();
    boolean[][] cells = new boolean[pages][];
    TruthSegments[] segments = new TruthSegments[pages];
    for (int i = 0; i < pages; i++) {
      GroundTruth t = truth.get(i);
      CellProbabilities p = pred.get(i);
      checkArgument(t.width() == p.width() && t.height() == p.height(), "page %s: truth %sx%s, prediction %sx%s",
          i + 1, t.width(), t.height(), p.width(), p.height());
      cells[i] = t.cells();
      segments[i] = TruthSegments.of(cells[i], t.width(), t.height());
    }
    double[] thresholds = Thresholds.toArray(Thresholds.isbi());
    double[] warpingThresholds = Thresholds.toArray(Thresholds.warping());
    int k = thresholds.length;
    double[] pixelF = new double[k];
    double[] randF = new double[k];
    double[] thinnedRandF = new double[k];
    double[] information = new double[k];
    double[] warping = new double[warpingThresholds.length];
    // Tasks 0..9 are the warping thresholds, then the 11 others.
    inParallel(warpingThresholds.length + k, truth.get(0).width() * truth.get(0).height(), task -> {
      if (task < warpingThresholds.length) {
        WarpingCounts sum = WarpingCounts.ZERO;
        for (int i = 0; i < pages; i++) {
          CellProbabilities p = pred.get(i);
          sum = sum.plus(WarpingError.compute(cells[i], p.values(), p.width(), p.height(),
              warpingThresholds[task]));
        }
        warping[task] = sum.error();
        return;
      }
      int t = task - warpingThresholds.length;
      PixelCounts pixelSum = PixelCounts.ZERO;
      RandCounts randSum = RandCounts.ZERO;
      double thinnedSum = 0;
      double informationSum = 0;
      for (int i = 0; i < pages; i++) {
        CellProbabilities p = pred.get(i);
        boolean[] proposal = p.cells(thresholds[t]);
        pixelSum = pixelSum.plus(PixelCounts.of(cells[i], proposal));
        int[] components = new int[proposal.length];
        int count = ConnectedComponents.label(proposal, p.width(), p.height(), components);
        randSum = randSum.plus(ForegroundOverlap.of(segments[i], components, count, false).rand());
        int[] thinned = BorderThinning.thin(proposal, p.width(), p.height());
        ForegroundOverlap overlap = ForegroundOverlap.of(segments[i], thinned, max(thinned), true);
        thinnedSum += overlap.rand().fScore();
        informationSum += overlap.information();
      }
      pixelF[t] = pixelSum.fScore();
      randF[t] = randSum.fScore();
      thinnedRandF[t] = thinnedSum / pages;
      information[t] = informationSum / pages;
    });
    return new IsbiScores(
        BestScore.max(pixelF, thresholds).complement(),
        BestScore.max(randF, thresholds).complement(),
        BestScore.min(warping, warpingThresholds),
        BestScore.max(thinnedRandF, thresholds),
        BestScore.max(information, thresholds));
  }

  /** Runs {@code tasks} on a pool as wide as the cores, or as the heap allows for this image size. */
  static void inParallel(int tasks, long pixels, IntConsumer task) {
    Runtime runtime = Runtime.getRuntime();
    long fit = runtime.maxMemory() / 2 / Math.max(1, BYTES_PER_PIXEL * pixels);
    int parallelism = (int) Math.max(1, Math.min(Math.min(runtime.availableProcessors(), tasks), fit));
    if (parallelism == 1) {
      IntStream.range(0, tasks).forEach(task);
      return;
    }
    ForkJoinPool pool = new ForkJoinPool(parallelism);
    try {
      pool.submit(() -> IntStream.range(0, tasks).parallel().forEach(task)).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while computing the metrics", e);
    } catch (ExecutionException e) {
      Throwables.throwIfUnchecked(e.getCause());
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdown();
    }
  }

  static int max(int[] labels) {
    int max = 0;
    for (int label : labels) {
      max = Math.max(max, label);
    }
    return max;
  }
}
