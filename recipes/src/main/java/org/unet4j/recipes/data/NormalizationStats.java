package org.unet4j.recipes.data;

import static com.google.common.base.Preconditions.checkNotNull;

import org.unet4j.dsl.recipe.NormalizationSpec;

/**
 * The affine map {@code (raw - offset) * scale} that a page's normalisation
 * ({@code data.normalization}) applies, computed from the page by bands of rows: a large page is
 * normalised with the statistics of the whole page without being held in memory, and the result
 * equals {@link Normalizer#apply} bit for bit.
 *
 * <ul>
 *   <li>{@code percentile}: the order statistics around each percentile's rank, exactly as sorting
 *       all samples would give them. 8- and 16-bit pages take one pass with a histogram of all 256
 *       or 65536 values. Float pages take two passes of a radix selection on the samples' 32-bit
 *       sort keys: a histogram of the upper 16 bits finds the bucket of each rank, a histogram of
 *       the lower 16 bits inside those buckets the exact value. No precision is lost.
 *   <li>{@code min-max}: one pass.
 *   <li>{@code z-score}: two passes (the sum, then the squared deviations from the mean), summed in
 *       the same order as {@link Normalizer}, so mean and deviation are the same doubles.
 *   <li>{@code type-range}: no pass.
 * </ul>
 * Memory: one band (about {@value #BAND_SAMPLES} samples) and at most 5 histograms of 65536 counts.
 *
 * @param offset subtracted from every raw sample
 * @param scale multiplies the difference
 */
public record NormalizationStats(double offset, double scale) {
  /** Samples per band read while gathering statistics. */
  static final int BAND_SAMPLES = 1 << 22;

  /** The statistics of an image in memory. */
  public static NormalizationStats of(Image image, NormalizationSpec spec) {
    return of(PageSource.of(image), spec);
  }

  /** The statistics of a page, read by bands of rows. */
  public static NormalizationStats of(PageSource page, NormalizationSpec spec) {
    return of(page, spec, BAND_SAMPLES);
  }

  /** {@link #of(PageSource, NormalizationSpec)} reading bands of about {@code bandSamples} samples. */
  static NormalizationStats of(PageSource page, NormalizationSpec spec, int bandSamples) {
    checkNotNull(page, "page");
    checkNotNull(spec, "spec");
    return switch (spec.scaling()) {
      case PERCENTILE -> percentiles(page, spec.low(), spec.high(), bandSamples);
      case MIN_MAX -> minMax(page, bandSamples);
      case Z_SCORE -> zScore(page, bandSamples);
      case TYPE_RANGE -> new NormalizationStats(0, switch (page.type()) {
        case UINT8 -> 1.0 / 255;
        case UINT16 -> 1.0 / 65535;
        case FLOAT32 -> 1.0;
      });
    };
  }

  /** The normalised samples of {@code raw} (a new array). */
  public float[] apply(float[] raw) {
    float[] out = new float[raw.length];
    apply(raw, 0, out, 0, raw.length);
    return out;
  }

  /** Normalises {@code count} samples of {@code raw} from {@code from} into {@code out} at {@code to}. */
  public void apply(float[] raw, int from, float[] out, int to, int count) {
    for (int i = 0; i < count; i++) {
      out[to + i] = (float) ((raw[from + i] - offset) * scale);
    }
  }

  // ------------------------------------------------------------------------------------ passes

  @FunctionalInterface
  private interface SampleVisitor {
    void visit(float[] samples, int count);
  }

  /** Visits all samples of the page in raster order, a band at a time. */
  private static void pass(PageSource page, int bandSamples, SampleVisitor visitor) {
    int rowSamples = Math.multiplyExact(page.width(), page.channels());
    int bandRows = Math.max(1, bandSamples / rowSamples);
    for (int from = 0; from < page.height(); from += bandRows) {
      int to = Math.min(page.height(), from + bandRows);
      float[] samples = page.rows(from, to).pixels();
      visitor.visit(samples, samples.length);
    }
  }

  private static long sampleCount(PageSource page) {
    return (long) page.width() * page.height() * page.channels();
  }

  private static NormalizationStats minMax(PageSource page, int bandSamples) {
    double[] range = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
    pass(page, bandSamples, (samples, count) -> {
      double min = range[0];
      double max = range[1];
      for (int i = 0; i < count; i++) {
        float v = samples[i];
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      range[0] = min;
      range[1] = max;
    });
    return new NormalizationStats(range[0], range[1] > range[0] ? 1.0 / (range[1] - range[0]) : 1.0);
  }

  private static NormalizationStats zScore(PageSource page, int bandSamples) {
    double[] sum = {0};
    pass(page, bandSamples, (samples, count) -> {
      double s = sum[0];
      for (int i = 0; i < count; i++) {
        s += samples[i];
      }
      sum[0] = s;
    });
    long n = sampleCount(page);
    double mean = sum[0] / n;
    double[] squares = {0};
    pass(page, bandSamples, (samples, count) -> {
      double s = squares[0];
      for (int i = 0; i < count; i++) {
        float v = samples[i];
        s += (v - mean) * (v - mean);
      }
      squares[0] = s;
    });
    double std = Math.sqrt(squares[0] / n);
    return new NormalizationStats(mean, std > 0 ? 1.0 / std : 1.0);
  }

  /**
   * The linearly interpolated percentiles as {@link Normalizer} computes them from sorted samples:
   * rank {@code p / 100 * (n - 1)} between the order statistics {@code floor(rank)} and the next.
   */
  private static NormalizationStats percentiles(PageSource page, double low, double high, int bandSamples) {
    long n = sampleCount(page);
    long[] ranks = new long[4];
    double[] fractions = new double[2];
    double[] ps = {low, high};
    for (int i = 0; i < 2; i++) {
      double rank = ps[i] / 100.0 * (n - 1);
      long below = (long) Math.floor(rank);
      ranks[2 * i] = below;
      ranks[2 * i + 1] = Math.min(n - 1, below + 1);
      fractions[i] = rank - below;
    }
    float[] values = page.type().isInteger()
        ? integerOrderStatistics(page, ranks, bandSamples) : floatOrderStatistics(page, ranks, bandSamples);
    double lo = values[0] * (1 - fractions[0]) + values[1] * fractions[0];
    double hi = values[2] * (1 - fractions[1]) + values[3] * fractions[1];
    return new NormalizationStats(lo, hi > lo ? 1.0 / (hi - lo) : 1.0);
  }

  /** The {@code ranks}-th smallest samples (0-based) of an 8/16-bit page: one histogram pass. */
  private static float[] integerOrderStatistics(PageSource page, long[] ranks, int bandSamples) {
    long[] counts = new long[(int) page.type().max() + 1];
    pass(page, bandSamples, (samples, count) -> {
      for (int i = 0; i < count; i++) {
        counts[(int) samples[i]]++;
      }
    });
    float[] values = new float[ranks.length];
    for (int r = 0; r < ranks.length; r++) {
      values[r] = select(counts, ranks[r]);
    }
    return values;
  }

  /** The bucket holding the {@code rank}-th smallest (0-based) of a histogram. */
  private static int select(long[] counts, long rank) {
    long seen = 0;
    for (int v = 0; v < counts.length; v++) {
      seen += counts[v];
      if (rank < seen) {
        return v;
      }
    }
    throw new IllegalStateException("rank " + rank + " beyond " + seen + " samples");
  }

  /** The samples before the bucket holding {@code rank}. */
  private static long before(long[] counts, int bucket) {
    long seen = 0;
    for (int v = 0; v < bucket; v++) {
      seen += counts[v];
    }
    return seen;
  }

  /**
   * The {@code ranks}-th smallest samples of a float page in the order {@link java.util.Arrays#sort(float[])}
   * gives (-0.0 before 0.0, NaN last): a radix selection on 32-bit keys that order as the floats do.
   */
  private static float[] floatOrderStatistics(PageSource page, long[] ranks, int bandSamples) {
    long[] upper = new long[1 << 16];
    pass(page, bandSamples, (samples, count) -> {
      for (int i = 0; i < count; i++) {
        upper[key(samples[i]) >>> 16]++;
      }
    });
    int[] buckets = new int[ranks.length];
    long[] within = new long[ranks.length];
    for (int r = 0; r < ranks.length; r++) {
      buckets[r] = select(upper, ranks[r]);
      within[r] = ranks[r] - before(upper, buckets[r]);
    }
    // One histogram of the lower 16 bits per distinct bucket (at most 4).
    long[][] lower = new long[ranks.length][];
    int[] histogramOf = new int[ranks.length];
    for (int r = 0; r < ranks.length; r++) {
      histogramOf[r] = r;
      for (int q = 0; q < r; q++) {
        if (buckets[q] == buckets[r]) {
          histogramOf[r] = histogramOf[q];
          break;
        }
      }
      if (histogramOf[r] == r) {
        lower[r] = new long[1 << 16];
      }
    }
    pass(page, bandSamples, (samples, count) -> {
      for (int i = 0; i < count; i++) {
        int key = key(samples[i]);
        int bucket = key >>> 16;
        for (int r = 0; r < ranks.length; r++) {
          if (lower[r] != null && buckets[r] == bucket) {
            lower[r][key & 0xFFFF]++;
            break;
          }
        }
      }
    });
    float[] values = new float[ranks.length];
    for (int r = 0; r < ranks.length; r++) {
      int low16 = select(lower[histogramOf[r]], within[r]);
      values[r] = value(buckets[r] << 16 | low16);
    }
    return values;
  }

  /**
   * An unsigned 32-bit key (compare with {@link Integer#compareUnsigned}) that orders floats as
   * {@link Float#compare} does: NaN canonical and last, -0.0 before 0.0.
   */
  static int key(float v) {
    int bits = Float.floatToIntBits(v);
    return (bits ^ ((bits >> 31) & 0x7FFFFFFF)) ^ 0x80000000;
  }

  /** The float of a {@link #key}. */
  static float value(int key) {
    int signed = key ^ 0x80000000;
    return Float.intBitsToFloat(signed ^ ((signed >> 31) & 0x7FFFFFFF));
  }
}
