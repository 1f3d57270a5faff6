package org.unet4j.recipes.infer;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Arrays;
import java.util.List;
import org.unet4j.augment.Mirror;
import org.unet4j.dsl.geometry.Tiling;
import org.unet4j.recipes.data.Image;
import org.unet4j.recipes.data.NormalizationStats;
import org.unet4j.recipes.data.PageSource;

/**
 * The tile loop of {@link Predictor}: which tiles of which transformed copy cover which rows of a
 * page, a window of the page's normalised rows that the tiles read, and a window of rows of
 * probability sums that they write.
 *
 * <p>The tiles of a transformed copy {@code J} are grouped in <em>strips</em>: the tiles along the
 * axis of {@code J} that runs across the page's rows. Strip {@code k} writes the {@code J}
 * indices {@code [k * step, (k + 1) * step)} of the other axis, which are a band of page rows: the
 * same band for the identity, counted from the bottom for copies mirrored top to bottom, and for
 * transposing copies a band of {@code J}'s columns. So every copy covers the page by bands of at
 * most {@code step} rows, and a band of page rows needs only the strips that write it and the
 * page rows those strips read (the band plus the mirrored context).
 *
 * <p><b>Batches are formed round by round</b>, in every path. Round {@code i} is the {@code i}-th
 * strip of every copy in the order of the page rows the strips write (so the copies' strips of a
 * round write neighbouring rows); its tiles are taken position by position along the strip, and at
 * each position copy by copy, and cut into batches of {@code batchSize} from the first, the last
 * batch of a round holding what is left. No batch mixes rounds, and every path predicts whole
 * rounds. With test-time augmentation a batch of {@code copies} tiles thus holds tile {@code m} of
 * every copy: the copies go through the net together ({@link TileBatching} sizes the batch), not
 * one after the other. The whole page, a band ({@link #rows}) and a stream of bands therefore feed
 * the net exactly the same batches in the same order: the same tiles at the same positions in
 * tensors of the same shape, and add them into the sums in the same order. That is what makes
 * their outputs bit-identical on every CPU: TensorFlow's kernels may sum in an order that depends
 * on the batch's shape (they do without oneDNN, on AVX2-only CPUs), so equal tiles alone are not
 * enough. The cost is one short batch per round when the batch size does not divide its tiles, and,
 * for a band, the strips of a round that write none of its rows (only with test-time augmentation,
 * where a round's strips are not aligned: copies mirrored top to bottom count from the bottom row).
 */
final class OverlapTiles {
  private final Tiling tiling;
  private final TileModel model;
  private final int channels;
  private final int classes;
  private final int batchSize;
  private final List<DihedralTransform> transforms;

  OverlapTiles(Tiling tiling, TileModel model, int channels, int classes, int batchSize,
      List<DihedralTransform> transforms) {
    this.tiling = tiling;
    this.model = model;
    this.channels = channels;
    this.classes = classes;
    this.batchSize = batchSize;
    this.transforms = List.copyOf(transforms);
  }

  /** Tiles of all copies of a {@code width x height} page. */
  long tileCount(int width, int height) {
    return tiling.tileCount(width, height) * transforms.size();
  }

  /** Tiles {@link #rows} predicts for page rows {@code [fromRow, toRow)}. */
  long tileCount(int width, int height, int fromRow, int toRow) {
    PageSource.checkRows(fromRow, toRow, height);
    long rounds = 0;
    for (int i = 0; i < tiling.tilesAlong(height); i++) {
      if (writes(i, height, fromRow, toRow)) {
        rounds++;
      }
    }
    return rounds * transforms.size() * tiling.tilesAlong(width);
  }

  /** A consumer of finished rows of probabilities, in order from the top. */
  @FunctionalInterface
  interface RowSink {
    /** Rows {@code firstRow ..} of the page: {@code band}'s height, the page's width. */
    void accept(int firstRow, ProbabilityMap band);
  }

  /**
   * The probabilities of the whole page at once: the rounds in order, each batched on its own (see
   * the class comment).
   */
  ProbabilityMap whole(Image image, NormalizationStats stats, TileProgress progress) {
    PageSource page = PageSource.of(image);
    int width = image.width();
    int height = image.height();
    Input input = new Input(page, stats);
    input.cover(0, height);
    Sum sum = new Sum(width, 0, height);
    Batch batch = new Batch(input, sum, progress, tileCount(width, height));
    for (int i = 0; i < tiling.tilesAlong(height); i++) {
      addRound(batch, i, width, height);
    }
    return sum.take(0, height);
  }

  /**
   * The probabilities of page rows {@code [fromRow, toRow)}: every round with a strip that writes
   * into them is predicted and only those rows are kept.
   */
  ProbabilityMap rows(PageSource page, NormalizationStats stats, int fromRow, int toRow, TileProgress progress) {
    int width = page.width();
    int height = page.height();
    PageSource.checkRows(fromRow, toRow, height);
    int strips = tiling.tilesAlong(height);
    long total = tileCount(width, height, fromRow, toRow);
    int inputFrom = Integer.MAX_VALUE;
    int inputTo = Integer.MIN_VALUE;
    for (int i = 0; i < strips; i++) {
      if (writes(i, height, fromRow, toRow)) {
        for (DihedralTransform transform : transforms) {
          int[] reads = reads(transform, stripAt(transform, i, strips), height);
          inputFrom = Math.min(inputFrom, reads[0]);
          inputTo = Math.max(inputTo, reads[1]);
        }
      }
    }
    Input input = new Input(page, stats);
    input.cover(inputFrom, inputTo);
    Sum sum = new Sum(width, fromRow, toRow - fromRow);
    Batch batch = new Batch(input, sum, progress, total);
    for (int i = 0; i < strips; i++) {
      if (writes(i, height, fromRow, toRow)) {
        addRound(batch, i, width, height);
      }
    }
    return sum.take(0, toRow - fromRow);
  }

  /**
   * Predicts the page band by band and hands the finished rows to {@code sink} in order. A band
   * runs the rounds up to the first that brings every copy to the band's last row, and the rows
   * every copy has covered are finished. Rows a strip writes beyond them are kept for the next
   * band, so no tile is predicted twice. Memory: {@code bandRows + 2 step} rows of sums (a copy
   * counted from the bottom lags by less than a step, so the others may run up to a step further)
   * and the page rows the band's strips read.
   */
  void stream(PageSource page, NormalizationStats stats, int bandRows, RowSink sink, TileProgress progress) {
    checkArgument(bandRows >= 1, "bandRows must be positive, got %s", bandRows);
    int width = page.width();
    int height = page.height();
    int strips = tiling.tilesAlong(height);
    int copies = transforms.size();
    int next = 0;
    int[] covered = new int[copies];
    Input input = new Input(page, stats);
    Sum sum = new Sum(width, 0, Math.min(height, bandRows + 2 * tiling.step()));
    Batch batch = new Batch(input, sum, progress, tileCount(width, height));
    while (sum.first < height) {
      int target = Math.min(height, sum.first + bandRows);
      int stop = next;
      int inputFrom = Integer.MAX_VALUE;
      int inputTo = Integer.MIN_VALUE;
      while (Arrays.stream(covered).min().orElseThrow() < target) {
        for (int t = 0; t < copies; t++) {
          DihedralTransform transform = transforms.get(t);
          int k = stripAt(transform, stop, strips);
          int[] reads = reads(transform, k, height);
          inputFrom = Math.min(inputFrom, reads[0]);
          inputTo = Math.max(inputTo, reads[1]);
          covered[t] = written(transform, k, height)[1];
        }
        stop++;
      }
      input.cover(inputFrom, inputTo);
      for (int i = next; i < stop; i++) {
        addRound(batch, i, width, height);
      }
      next = stop;
      int done = Arrays.stream(covered).min().orElseThrow();
      int kept = Arrays.stream(covered).max().orElseThrow();
      sink.accept(sum.first, sum.take(0, done - sum.first));
      sum.advance(done, kept);
    }
  }

  /** The strip of {@code transform} that is {@code i}-th in the order of the page rows it writes. */
  private static int stripAt(DihedralTransform transform, int i, int strips) {
    return transform.flipsY() ? strips - 1 - i : i;
  }

  /** Whether a strip of round {@code i} writes a row of {@code [fromRow, toRow)}. */
  private boolean writes(int i, int height, int fromRow, int toRow) {
    int strips = tiling.tilesAlong(height);
    for (DihedralTransform transform : transforms) {
      int[] rows = written(transform, stripAt(transform, i, strips), height);
      if (rows[0] < toRow && rows[1] > fromRow) {
        return true;
      }
    }
    return false;
  }

  /** The page rows {@code [from, to)} strip {@code k} writes. */
  private int[] written(DihedralTransform transform, int k, int height) {
    int a = k * tiling.step();
    int b = Math.min(height, a + tiling.step());
    return transform.flipsY() ? new int[] {height - b, height - a} : new int[] {a, b};
  }

  /** The page rows {@code [from, to)} strip {@code k} reads (its input, mirrored into the page). */
  private int[] reads(DihedralTransform transform, int k, int height) {
    int from = Integer.MAX_VALUE;
    int to = Integer.MIN_VALUE;
    int origin = k * tiling.step() - tiling.context();
    int lastMirrored = -1;
    for (int u = 0; u < tiling.tile(); u++) {
      int row = transform.sourceRow(Mirror.index(origin + u, height), height);
      if (row != lastMirrored) {
        from = Math.min(from, row);
        to = Math.max(to, row + 1);
        lastMirrored = row;
      }
    }
    return new int[] {from, to};
  }

  /**
   * Predicts round {@code i} in batches of its own: at each position along the strips, the tile of
   * every copy's {@code i}-th strip in page-row order.
   */
  private void addRound(Batch batch, int i, int width, int height) {
    int strips = tiling.tilesAlong(height);
    for (int m = 0; m < tiling.tilesAlong(width); m++) {
      int b = m * tiling.step();
      for (DihedralTransform transform : transforms) {
        int a = stripAt(transform, i, strips) * tiling.step();
        if (transform.transposes()) {
          batch.add(transform, a, b);
        } else {
          batch.add(transform, b, a);
        }
      }
    }
    batch.flush();
  }

  /** Normalised page rows {@code [first, first + rows)}, read from the page as needed. */
  private final class Input {
    private final PageSource page;
    private final NormalizationStats stats;
    private final int rowSamples;
    float[] values = new float[0];
    int first;
    int rows;

    Input(PageSource page, NormalizationStats stats) {
      this.page = page;
      this.stats = stats;
      this.rowSamples = Math.multiplyExact(page.width(), page.channels());
    }

    /** Makes the window hold exactly rows {@code [from, to)}, keeping the rows it already holds. */
    void cover(int from, int to) {
      if (from == first && to == first + rows) {
        return;
      }
      float[] window = new float[Math.multiplyExact(to - from, rowSamples)];
      int keepFrom = Math.max(from, first);
      int keepTo = Math.min(to, first + rows);
      if (keepFrom < keepTo) {
        System.arraycopy(values, (keepFrom - first) * rowSamples, window, (keepFrom - from) * rowSamples,
            (keepTo - keepFrom) * rowSamples);
        read(window, from, from, keepFrom);
        read(window, from, keepTo, to);
      } else {
        read(window, from, from, to);
      }
      values = window;
      first = from;
      rows = to - from;
    }

    private void read(float[] window, int windowFirst, int from, int to) {
      if (from < to) {
        float[] raw = page.rows(from, to).pixels();
        stats.apply(raw, 0, window, (from - windowFirst) * rowSamples, raw.length);
      }
    }
  }

  /** Sums of probabilities of page rows {@code [first, first + capacity)}. */
  private final class Sum {
    private final int width;
    private final int rowValues;
    private final float[] values;
    private final int capacity;
    int first;

    Sum(int width, int first, int capacity) {
      this.width = width;
      this.rowValues = Math.multiplyExact(width, classes);
      this.values = new float[Math.multiplyExact(capacity, rowValues)];
      this.capacity = capacity;
      this.first = first;
    }

    /** Rows {@code first + from ..} of {@code count} rows as probabilities (the mean of the copies). */
    ProbabilityMap take(int from, int count) {
      float[] out = Arrays.copyOfRange(values, from * rowValues, (from + count) * rowValues);
      if (transforms.size() > 1) {
        // 1/4 and 1/8 are powers of two: the mean is exactly the sum scaled.
        float scale = 1f / transforms.size();
        for (int i = 0; i < out.length; i++) {
          out[i] *= scale;
        }
      }
      return new ProbabilityMap(width, count, classes, out);
    }

    /** Rows before {@code done} are finished; sums of rows {@code [done, kept)} move to the front. */
    void advance(int done, int kept) {
      System.arraycopy(values, (done - first) * rowValues, values, 0, (kept - done) * rowValues);
      Arrays.fill(values, (kept - done) * rowValues, values.length, 0f);
      first = done;
    }
  }

  /** The tiles waiting to be run, and where their outputs go. */
  private final class Batch {
    private final Input input;
    private final Sum sum;
    private final TileProgress progress;
    private final long total;
    private final int tileSamples;
    private final float[] tiles;
    private final float[] probabilities;
    private final DihedralTransform[] transforms;
    private final int[] originX;
    private final int[] originY;
    private final int[] offsetsU;
    private final int[] offsetsV;
    private final int[] offsetsX;
    private final int[] offsetsY;
    private int size;
    private long done;

    Batch(Input input, Sum sum, TileProgress progress, long total) {
      this.input = input;
      this.sum = sum;
      this.progress = progress;
      this.total = total;
      // A batch never spans two rounds, so a round's tiles bound it.
      int capacity = Math.max(1, Math.min(batchSize, tiling.tilesAlong(input.page.width()) * OverlapTiles.this.transforms.size()));
      this.tileSamples = tiling.tile() * tiling.tile() * channels;
      this.tiles = new float[Math.multiplyExact(capacity, tileSamples)];
      int out = tiling.upsampledOutput();
      this.probabilities = new float[Math.multiplyExact(capacity, Math.multiplyExact(out * out, classes))];
      this.transforms = new DihedralTransform[capacity];
      this.originX = new int[capacity];
      this.originY = new int[capacity];
      this.offsetsU = new int[tiling.tile()];
      this.offsetsV = new int[tiling.tile()];
      this.offsetsX = new int[tiling.step()];
      this.offsetsY = new int[tiling.step()];
    }

    /**
     * Copies the input tile at {@code (x0, y0)} of the transformed image's grid into the batch:
     * extended-image pixel {@code x0 + u} is transformed-image pixel {@code x0 + u - context},
     * mirrored into the image, and the transform says which page pixel that is.
     */
    void add(DihedralTransform transform, int x0, int y0) {
      int width = input.page.width();
      int height = input.page.height();
      int w = transform.width(width, height);
      int h = transform.height(width, height);
      int tile = tiling.tile();
      int rowSamples = width * channels;
      for (int u = 0; u < tile; u++) {
        int jx = Mirror.index(x0 + u - tiling.context(), w);
        int jy = Mirror.index(y0 + u - tiling.context(), h);
        if (transform.transposes()) {
          offsetsU[u] = (transform.sourceRow(jx, height) - input.first) * rowSamples;
          offsetsV[u] = transform.sourceColumn(jy, width) * channels;
        } else {
          offsetsU[u] = transform.sourceColumn(jx, width) * channels;
          offsetsV[u] = (transform.sourceRow(jy, height) - input.first) * rowSamples;
        }
      }
      float[] in = input.values;
      int at = size * tileSamples;
      for (int v = 0; v < tile; v++) {
        int row = offsetsV[v];
        if (channels == 1) {
          for (int u = 0; u < tile; u++) {
            tiles[at++] = in[row + offsetsU[u]];
          }
        } else {
          for (int u = 0; u < tile; u++) {
            int from = row + offsetsU[u];
            for (int c = 0; c < channels; c++) {
              tiles[at++] = in[from + c];
            }
          }
        }
      }
      transforms[size] = transform;
      originX[size] = x0;
      originY[size] = y0;
      size++;
      if (size == transforms.length) {
        flush();
      }
    }

    /**
     * Runs the waiting tiles and adds each one's share of the output to the sums it covers. The
     * tile and probability arrays serve every batch: nothing is allocated per tile.
     */
    void flush() {
      if (size == 0) {
        return;
      }
      model.predict(tiles, size, probabilities);
      int width = input.page.width();
      int height = input.page.height();
      int out = tiling.upsampledOutput();
      int skip = tiling.skip();
      int tileValues = out * out * classes;
      int rowValues = width * classes;
      for (int b = 0; b < size; b++) {
        DihedralTransform transform = transforms[b];
        int w = transform.width(width, height);
        int h = transform.height(width, height);
        // This tile writes transformed-image pixels [x0, x0 + step), or up to the image's end;
        // an offset of -1 marks a page row outside the sums.
        int x0 = originX[b];
        int y0 = originY[b];
        int columns = Math.min(tiling.step(), w - x0);
        int rows = Math.min(tiling.step(), h - y0);
        for (int j = 0; j < columns; j++) {
          offsetsX[j] = transform.transposes()
              ? rowOffset(transform.sourceRow(x0 + j, height), rowValues)
              : transform.sourceColumn(x0 + j, width) * classes;
        }
        for (int i = 0; i < rows; i++) {
          offsetsY[i] = transform.transposes()
              ? transform.sourceColumn(y0 + i, width) * classes
              : rowOffset(transform.sourceRow(y0 + i, height), rowValues);
        }
        float[] target = sum.values;
        int tileBase = b * tileValues;
        for (int i = 0; i < rows; i++) {
          int row = offsetsY[i];
          if (row < 0) {
            continue;
          }
          int from = tileBase + ((skip + i) * out + skip) * classes;
          for (int j = 0; j < columns; j++, from += classes) {
            int column = offsetsX[j];
            if (column < 0) {
              continue;
            }
            int to = row + column;
            for (int k = 0; k < classes; k++) {
              target[to + k] += probabilities[from + k];
            }
          }
        }
      }
      done += size;
      size = 0;
      progress.update(done, total);
    }

    /** Where page row {@code row} starts in the sums, or -1 outside them. */
    private int rowOffset(int row, int rowValues) {
      int r = row - sum.first;
      return r >= 0 && r < sum.capacity ? r * rowValues : -1;
    }
  }
}
