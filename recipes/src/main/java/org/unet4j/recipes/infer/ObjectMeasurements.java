package org.unet4j.recipes.infer;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.unet4j.recipes.data.AtomicFiles;
import org.unet4j.recipes.data.Calibration;
import org.unet4j.recipes.data.DataException;
import org.unet4j.recipes.data.Image;
import org.unet4j.recipes.data.PageSource;

/**
 * Per-object measurements of a labelled page, as Fiji's Analyze &gt; Measure gives them for each
 * ROI: area, centroid, bounding box, mean intensity of the input image and mean foreground
 * probability ({@link ObjectMeasurement}); and the table {@code NAME_objects.csv} of them
 * ({@link #writeCsv}). The page is read by bands of rows, so a page of any size is measured in
 * the memory of a band plus a few numbers per object.
 */
public final class ObjectMeasurements {
  /** Pixels per band read. */
  private static final int BAND_PIXELS = 1 << 20;
  /** Significant digits of the numbers in the table: more than a float holds. */
  private static final MathContext DIGITS = new MathContext(10);

  private ObjectMeasurements() {}

  /**
   * Measures every object of page {@code page} (1-based, for the table) of {@code labels} (one
   * channel of instance labels, 0 background) on {@code image} (the raw input, any channels) and
   * {@code probabilities} (one channel, the foreground probability), in label order.
   *
   * @throws DataException when the three pages differ in size, or labels or probabilities have
   *     more than one channel
   */
  public static List<ObjectMeasurement> measure(int page, PageSource labels, PageSource image,
      PageSource probabilities) {
    return measure(page, labels, image, probabilities, Math.max(1, BAND_PIXELS / labels.width()));
  }

  /** {@link #measure} reading bands of {@code band} rows. */
  static List<ObjectMeasurement> measure(int page, PageSource labels, PageSource image, PageSource probabilities,
      int band) {
    checkNotNull(labels, "labels");
    checkNotNull(image, "image");
    checkNotNull(probabilities, "probabilities");
    checkArgument(page >= 1, "pages count from 1, got %s", page);
    int width = labels.width();
    int height = labels.height();
    if (image.width() != width || image.height() != height || probabilities.width() != width
        || probabilities.height() != height) {
      throw new DataException("page " + page + ": labels " + width + "x" + height + ", image " + image.width() + "x"
          + image.height() + " and probabilities " + probabilities.width() + "x" + probabilities.height()
          + " must be the same size to be measured together");
    }
    if (labels.channels() != 1 || probabilities.channels() != 1) {
      throw new DataException("page " + page + ": labels and probabilities have one channel each, got "
          + labels.channels() + " and " + probabilities.channels());
    }
    int channels = image.channels();
    Sums sums = new Sums(channels);
    for (int from = 0; from < height; from += band) {
      int to = Math.min(height, from + band);
      int[] ids = labels.rows(from, to).channelAsInts(0);
      Image values = image.rows(from, to);
      float[] foreground = probabilities.rows(from, to).pixels();
      float[] samples = values.pixels();
      for (int i = 0; i < ids.length; i++) {
        int label = ids[i];
        if (label != 0) {
          sums.add(label, i % width, from + i / width, samples, i * channels, foreground[i]);
        }
      }
    }
    return sums.measurements(page);
  }

  /**
   * Writes {@code objects} as CSV: one row per object with a header row whose columns name their
   * units ({@code [px]}, or the calibration's unit such as {@code [micron]}, {@code [micron^2]}):
   * {@code page,label,area[px],area[U^2],centroidX[U],centroidY[U],z[U],boundsX[px],boundsY[px],
   * boundsWidth[px],boundsHeight[px],meanIntensity,meanProbability} ({@code meanIntensityC1},
   * {@code meanIntensityC2}, ... for images of several channels). {@code z} is the page's depth,
   * {@code (page - 1) * pixelDepth}.
   */
  public static void writeCsv(Path file, List<ObjectMeasurement> objects, Calibration calibration) {
    checkNotNull(file, "file");
    checkNotNull(objects, "objects");
    checkNotNull(calibration, "calibration");
    AtomicFiles.writeString(file, csv(objects, calibration));
  }

  /** The table {@link #writeCsv} writes. */
  static String csv(List<ObjectMeasurement> objects, Calibration calibration) {
    int channels = objects.isEmpty() ? 1 : objects.get(0).meanIntensity().length;
    String u = calibration.unit();
    List<String> header = new ArrayList<>(List.of("page", "label", "area[px]", "area[" + u + "^2]",
        "centroidX[" + u + "]", "centroidY[" + u + "]", "z[" + u + "]", "boundsX[px]", "boundsY[px]",
        "boundsWidth[px]", "boundsHeight[px]"));
    if (channels == 1) {
      header.add("meanIntensity");
    } else {
      for (int c = 1; c <= channels; c++) {
        header.add("meanIntensityC" + c);
      }
    }
    header.add("meanProbability");
    StringBuilder text = new StringBuilder(String.join(",", header)).append('\n');
    for (ObjectMeasurement o : objects) {
      List<String> cells = new ArrayList<>(List.of(Integer.toString(o.page()), Integer.toString(o.label()),
          Long.toString(o.area()), number(o.area(calibration)), number(o.centroidX() * calibration.pixelWidth()),
          number(o.centroidY() * calibration.pixelHeight()), number((o.page() - 1) * calibration.pixelDepth()),
          Integer.toString(o.boundsX()), Integer.toString(o.boundsY()), Integer.toString(o.boundsWidth()),
          Integer.toString(o.boundsHeight())));
      for (double mean : o.meanIntensity()) {
        cells.add(number(mean));
      }
      cells.add(number(o.meanProbability()));
      text.append(String.join(",", cells)).append('\n');
    }
    return text.toString();
  }

  /** Ten significant digits, no exponent, no trailing zeros: {@code 0.1 * 3} is {@code 0.3}. */
  static String number(double value) {
    return value == 0 ? "0" : new BigDecimal(value).round(DIGITS).stripTrailingZeros().toPlainString();
  }

  /** Running sums per label, in arrays indexed by label (16-bit labels: at most 65535 of them). */
  private static final class Sums {
    private final int channels;
    private long[] count = new long[0];
    private double[] sumX = new double[0];
    private double[] sumY = new double[0];
    private int[] minX = new int[0];
    private int[] minY = new int[0];
    private int[] maxX = new int[0];
    private int[] maxY = new int[0];
    private double[] intensity = new double[0];
    private double[] probability = new double[0];

    Sums(int channels) {
      this.channels = channels;
    }

    void add(int label, int x, int y, float[] samples, int at, float foreground) {
      if (label >= count.length) {
        grow(label + 1);
      }
      if (count[label] == 0) {
        minX[label] = x;
        minY[label] = y;
        maxX[label] = x;
        maxY[label] = y;
      }
      count[label]++;
      sumX[label] += x;
      sumY[label] += y;
      minX[label] = Math.min(minX[label], x);
      minY[label] = Math.min(minY[label], y);
      maxX[label] = Math.max(maxX[label], x);
      maxY[label] = Math.max(maxY[label], y);
      for (int c = 0; c < channels; c++) {
        intensity[label * channels + c] += samples[at + c];
      }
      probability[label] += foreground;
    }

    private void grow(int size) {
      int n = Math.max(size, 2 * count.length);
      count = Arrays.copyOf(count, n);
      sumX = Arrays.copyOf(sumX, n);
      sumY = Arrays.copyOf(sumY, n);
      minX = Arrays.copyOf(minX, n);
      minY = Arrays.copyOf(minY, n);
      maxX = Arrays.copyOf(maxX, n);
      maxY = Arrays.copyOf(maxY, n);
      intensity = Arrays.copyOf(intensity, n * channels);
      probability = Arrays.copyOf(probability, n);
    }

    List<ObjectMeasurement> measurements(int page) {
      List<ObjectMeasurement> objects = new ArrayList<>();
      for (int label = 1; label < count.length; label++) {
        long n = count[label];
        if (n == 0) {
          continue;
        }
        double[] means = new double[channels];
        for (int c = 0; c < channels; c++) {
          means[c] = intensity[label * channels + c] / n;
        }
        objects.add(new ObjectMeasurement(page, label, n, sumX[label] / n + 0.5, sumY[label] / n + 0.5, minX[label],
            minY[label], maxX[label] - minX[label] + 1, maxY[label] - minY[label] + 1, means, probability[label] / n));
      }
      return objects;
    }
  }
}
