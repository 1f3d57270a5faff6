package org.unet4j.recipes.infer;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;
import org.jspecify.annotations.Nullable;
import org.unet4j.dsl.recipe.InferenceSpec;
import org.unet4j.dsl.recipe.InstanceMethod;
import org.unet4j.labels.UnionFind;

/**
 * {@link InstanceSegmentation} of a page that arrives a band of rows at a time, with the labels the
 * whole-page labelling gives (the same objects, the same numbers) and without holding the page.
 *
 * <p><b>Pass 1</b> ({@link #addRows}, as the predictor finishes rows) labels every pixel with a
 * provisional id in one raster scan that sees only the row above: foreground pixels get ids merged
 * over 4-neighbours, background pixels ids merged over 8-neighbours, both in union-find forests
 * whose roots carry the pixel count, the first pixel (raster order), the bounding box and, for the
 * background, whether the set reaches the image border. The provisional ids go to a scratch file
 * in the output folder (4 bytes a pixel), with the probabilities when a watershed follows.
 * Background sets that touch a foreground set are remembered while they have not reached the
 * border: they may be holes.
 *
 * <p><b>Resolving</b> ({@link #finish}): background sets that never reached the border are the holes
 * (background not 8-connected to the border); with hole filling each joins the objects it touches.
 * An object is a foreground set with its holes; objects under the minimum size are dropped and the
 * rest numbered in raster order of their first pixel, the rule of the whole-page labelling.
 *
 * <p><b>Pass 2</b> ({@link #rows}) reads the scratch file back and maps provisional ids to labels.
 * With the watershed, a pass in between floods each object ({@link Watershed}) when the row of its
 * last pixel has been read, holding the rows from the first row of the oldest unfinished object:
 * memory grows with the tallest object, not with the page.
 *
 * <p>Memory: a few rows, 32 bytes per provisional id (about one per object and row it spans) and
 * the candidate-hole adjacencies; scratch files are deleted by {@link #close}.
 */
final class BandLabelling implements AutoCloseable {
  private final int width;
  private final int height;
  private final double threshold;
  private final boolean fillHoles;
  private final int minObjectSize;
  private final boolean watershed;
  private final InferenceSpec inference;

  private final ScratchFile ids;
  private final @Nullable ScratchFile probabilities;
  private @Nullable ScratchFile regionIds;

  // Pass 1: the forests. Provisional ids start at 1; a pixel's id is +id (foreground) or -id.
  private final Forest foreground = new Forest(true);
  private final Forest background = new Forest(false);
  /** Background and foreground ids of 4-neighbours, while the background may be a hole. */
  private final HoleContacts contacts = new HoleContacts();
  private int[] previous;
  private int[] current;
  private int row;

  // After finish: labels of provisional ids.
  private int[] foregroundLabel = new int[0];
  private int[] backgroundLabel = new int[0];
  private int objects = -1;

  /**
   * @param inference the threshold, hole filling, minimum object size and instance method
   * @param folder where the scratch files go (the output folder: it has room for outputs)
   * @param name for the scratch files' names
   */
  BandLabelling(int width, int height, InferenceSpec inference, Path folder, String name) {
    checkArgument(width >= 1 && height >= 1, "sizes must be positive, got %sx%s", width, height);
    this.width = width;
    this.height = height;
    this.threshold = inference.threshold();
    this.fillHoles = inference.fillHoles();
    this.minObjectSize = inference.minObjectSize();
    this.watershed = inference.instances() != InstanceMethod.COMPONENTS;
    this.inference = inference;
    this.previous = new int[width];
    this.current = new int[width];
    ScratchFile idFile = ScratchFile.create(folder, name + ".ids");
    try {
      this.probabilities = watershed ? ScratchFile.create(folder, name + ".prob") : null;
    } catch (RuntimeException e) {
      idFile.close();
      throw e;
    }
    this.ids = idFile;
  }

  /** The rows received so far. */
  int rowCount() {
    return row;
  }

  /** Labels the next {@code rows} rows of foreground probabilities (row-major, the page's width). */
  void addRows(float[] foregroundRows, int rows) {
    checkState(objects < 0, "already finished");
    checkArgument(row + rows <= height, "%s more rows would make %s, but the page has %s", rows, row + rows, height);
    checkArgument(foregroundRows.length >= rows * width, "%s rows need %s values, got %s", rows, rows * width,
        foregroundRows.length);
    for (int r = 0; r < rows; r++) {
      scanRow(foregroundRows, r * width);
      ids.writeInts(current, width);
      if (probabilities != null) {
        probabilities.writeFloats(foregroundRows, r * width, width);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
      row++;
    }
    contacts.compactIfDue(background::find, background::border, foreground::find);
  }

  private void scanRow(float[] values, int offset) {
    int y = row;
    boolean top = y == 0;
    boolean bottom = y == height - 1;
    long rowStart = (long) y * width;
    for (int x = 0; x < width; x++) {
      boolean on = values[offset + x] > threshold;
      int left = x > 0 ? current[x - 1] : 0;
      int up = top ? 0 : previous[x];
      if (on) {
        int id = 0;
        if (left > 0) {
          id = left;
        }
        if (up > 0) {
          if (id == 0) {
            id = up;
          } else if (up != id) {
            foreground.union(id, up);
          }
        }
        if (id == 0) {
          id = foreground.add(rowStart + x, y);
        }
        foreground.count(id, x, y);
        current[x] = id;
        if (fillHoles) {
          if (left < 0) {
            edge(-left, id);
          }
          if (up < 0) {
            edge(-up, id);
          }
        }
      } else {
        int upLeft = top || x == 0 ? 0 : previous[x - 1];
        int upRight = top || x == width - 1 ? 0 : previous[x + 1];
        int id = join(join(join(join(0, left), upLeft), up), upRight);
        if (id == 0) {
          id = background.add(rowStart + x, y);
        }
        background.count(id, x, y);
        if (top || bottom || x == 0 || x == width - 1) {
          background.touchBorder(id);
        }
        current[x] = -id;
        if (fillHoles) {
          if (left > 0) {
            edge(id, left);
          }
          if (up > 0) {
            edge(id, up);
          }
        }
      }
    }
  }

  /** The background id of a pixel with background neighbour {@code neighbour} (if negative) and id {@code id} so far. */
  private int join(int id, int neighbour) {
    if (neighbour >= 0) {
      return id;
    }
    if (id == 0) {
      return -neighbour;
    }
    if (-neighbour != id) {
      background.union(id, -neighbour);
    }
    return id;
  }

  /** Remembers that background {@code b} touches foreground {@code f}, unless b reached the border. */
  private void edge(int b, int f) {
    if (!background.border(background.find(b))) {
      contacts.add(b, f);
    }
  }

  /**
   * Resolves holes and objects after the last row; returns the number of labels.
   *
   * @throws IllegalStateException when rows are missing
   */
  int finish() {
    checkState(row == height, "the page has %s rows but %s were labelled", height, row);
    checkState(objects < 0, "already finished");
    contacts.compact(background::find, background::border, foreground::find);
    ids.finishWriting();
    if (probabilities != null) {
      probabilities.finishWriting();
    }
    // Objects: foreground roots, joined through the holes they touch.
    int[] holeObject = contacts.holeObjects(background.size(), foreground::union);
    // Object index per foreground root and per hole root; stats summed over their ids.
    int[] objectOfRoot = new int[foreground.size() + 1];
    int[] objectOfHole = new int[background.size() + 1];
    ObjectTable table = new ObjectTable();
    for (int id = 1; id <= foreground.size(); id++) {
      int root = foreground.find(id);
      if (objectOfRoot[root] == 0) {
        objectOfRoot[root] = table.add();
      }
      table.include(objectOfRoot[root], foreground, id);
    }
    for (int id = 1; id <= background.size(); id++) {
      int root = background.find(id);
      if (!fillHoles || background.border(root)) {
        continue;
      }
      if (objectOfHole[root] == 0) {
        // A hole touches the foreground around it; one that touches none cannot occur, but would be
        // an object of its own, as whole-image hole filling would make it.
        objectOfHole[root] = holeObject[root] != 0 ? objectOfRoot[foreground.find(holeObject[root])] : table.add();
      }
      table.include(objectOfHole[root], background, id);
    }
    int[] objectOfForeground = new int[foreground.size() + 1];
    for (int id = 1; id <= foreground.size(); id++) {
      objectOfForeground[id] = objectOfRoot[foreground.find(id)];
    }
    int[] objectOfBackground = new int[background.size() + 1];
    for (int id = 1; id <= background.size(); id++) {
      objectOfBackground[id] = objectOfHole[background.find(id)];
    }
    if (!watershed) {
      int[] labelOfObject = table.labels(minObjectSize);
      foregroundLabel = compose(objectOfForeground, labelOfObject);
      backgroundLabel = compose(objectOfBackground, labelOfObject);
      objects = table.kept;
      return objects;
    }
    objects = floodObjects(objectOfForeground, objectOfBackground, table);
    return objects;
  }

  private static int[] compose(int[] first, int[] second) {
    int[] out = new int[first.length];
    for (int i = 0; i < first.length; i++) {
      out[i] = second[first[i]];
    }
    return out;
  }

  /**
   * The watershed pass: reads objects and probabilities back, floods each object when its last row
   * is in, and writes region ids to a second scratch file; returns the kept regions.
   */
  private int floodObjects(int[] objectOfForeground, int[] objectOfBackground, ObjectTable table) {
    ScratchFile probabilityFile = probabilities;
    checkState(probabilityFile != null, "no probabilities kept");
    ScratchFile regionFile = ScratchFile.create(ids.folder(), ids.name() + ".regions");
    regionIds = regionFile;
    // Objects by last row, and the open ones by first row.
    int count = table.count;
    List<List<Integer>> endingAt = new ArrayList<>(height);
    for (int y = 0; y < height; y++) {
      endingAt.add(null);
    }
    for (int o = 1; o <= count; o++) {
      int last = table.lastRow[o];
      if (endingAt.get(last) == null) {
        endingAt.set(last, new ArrayList<>());
      }
      endingAt.get(last).add(o);
    }
    PriorityQueue<int[]> open = new PriorityQueue<>((a, b) -> Integer.compare(a[0], b[0]));
    RegionTable regions = new RegionTable();
    RowWindow window = new RowWindow(width);
    int[] idRow = new int[width];
    float[] probabilityRow = new float[width];
    int written = 0;
    int started = 1;
    int[] byFirstRow = table.byFirstRow();
    try (ScratchFile.Reader idReader = ids.read(); ScratchFile.Reader probabilityReader = probabilityFile.read()) {
      for (int y = 0; y < height; y++) {
        idReader.readInts(idRow, width);
        probabilityReader.readFloats(probabilityRow, width);
        int[] objectRow = new int[width];
        for (int x = 0; x < width; x++) {
          int v = idRow[x];
          objectRow[x] = v > 0 ? objectOfForeground[v] : objectOfBackground[-v];
        }
        window.append(objectRow, probabilityRow.clone());
        while (started - 1 < byFirstRow.length && table.firstRow[byFirstRow[started - 1]] == y) {
          int o = byFirstRow[started - 1];
          open.add(new int[] {y, o});
          started++;
        }
        List<Integer> ending = endingAt.get(y);
        if (ending != null) {
          for (int o : ending) {
            floodObject(o, table, window, regions);
          }
          int last = y;
          open.removeIf(entry -> table.lastRow[entry[1]] == last);
        }
        int keepFrom = open.isEmpty() ? y + 1 : open.peek()[0];
        while (written < keepFrom) {
          regionFile.writeInts(window.regionRow(written), width);
          written++;
        }
        window.dropBefore(keepFrom);
      }
    }
    regionFile.finishWriting();
    int[] labelOfRegion = regions.labels(minObjectSize);
    foregroundLabel = labelOfRegion;
    backgroundLabel = new int[0];
    return regions.kept;
  }

  private void floodObject(int o, ObjectTable table, RowWindow window, RegionTable regions) {
    int x0 = table.minX[o];
    int y0 = table.firstRow[o];
    int w = table.maxX[o] - x0 + 1;
    int h = table.lastRow[o] - y0 + 1;
    int[] crop = new int[w * h];
    float[] probability = new float[w * h];
    for (int r = 0; r < h; r++) {
      System.arraycopy(window.objectRow(y0 + r), x0, crop, r * w, w);
      System.arraycopy(window.probabilityRow(y0 + r), x0, probability, r * w, w);
    }
    int[] region = new int[w * h];
    int count = Watershed.split(probability, crop, w, h, o, inference, region);
    int base = regions.add(count);
    for (int r = 0; r < h; r++) {
      int[] out = window.regionRow(y0 + r);
      for (int c = 0; c < w; c++) {
        int k = region[r * w + c];
        if (k != 0) {
          int id = base + k;
          out[x0 + c] = id;
          regions.count(id, (long) (y0 + r) * width + x0 + c);
        }
      }
    }
  }

  /** The labels, 1..n (0 background), after {@link #finish}. */
  int labelCount() {
    checkState(objects >= 0, "not finished");
    return objects;
  }

  /** Reads the final labels a row at a time, from the top; may be called more than once. */
  LabelRows rows() {
    checkState(objects >= 0, "not finished");
    return new LabelRows();
  }

  /** A pass over the final labels. */
  final class LabelRows implements Overlay.LabelRowReader {
    private final ScratchFile.Reader reader;
    private final int[] raw = new int[width];

    LabelRows() {
      ScratchFile source = watershed ? regionIds : ids;
      checkState(source != null, "not finished");
      reader = source.read();
    }

    /** The next row's labels into {@code labels} (the page's width). */
    @Override
    public void next(int[] labels) {
      reader.readInts(raw, width);
      for (int x = 0; x < width; x++) {
        int v = raw[x];
        labels[x] = watershed ? foregroundLabel[v] : v > 0 ? foregroundLabel[v] : backgroundLabel[-v];
      }
    }

    @Override
    public void close() {
      reader.close();
    }
  }

  @Override
  public void close() {
    ids.close();
    if (probabilities != null) {
      probabilities.close();
    }
    if (regionIds != null) {
      regionIds.close();
    }
  }

  // ----------------------------------------------------------------------------- bookkeeping

  /** Growable int array. */
  private static int[] grow(int[] a, int size) {
    return size < a.length ? a : Arrays.copyOf(a, Math.max(16, a.length * 2));
  }

  private static long[] grow(long[] a, int size) {
    return size < a.length ? a : Arrays.copyOf(a, Math.max(16, a.length * 2));
  }

  /**
   * Provisional ids 1..size in a union-find forest; per id its pixel count, first pixel, first and
   * last row and column range (summed over a set when objects are built), and per root whether
   * the set touches the image border.
   */
  private static final class Forest {
    private final boolean boxes;
    private final UnionFind sets = new UnionFind();
    private long[] pixels = new long[16];
    private long[] first = new long[16];
    private int[] minX = new int[16];
    private int[] maxX = new int[16];
    private int[] firstRow = new int[16];
    private int[] lastRow = new int[16];
    private boolean[] border = new boolean[16];

    Forest(boolean boxes) {
      this.boxes = boxes;
    }

    int size() {
      return sets.size();
    }

    int add(long firstPixel, int y) {
      int id = sets.add();
      pixels = grow(pixels, id);
      first = grow(first, id);
      if (border.length <= id) {
        border = Arrays.copyOf(border, pixels.length);
      }
      if (boxes) {
        minX = grow(minX, id);
        maxX = grow(maxX, id);
        firstRow = grow(firstRow, id);
        lastRow = grow(lastRow, id);
        minX[id] = Integer.MAX_VALUE;
        maxX[id] = -1;
        firstRow[id] = y;
      }
      first[id] = firstPixel;
      return id;
    }

    void count(int id, int x, int y) {
      pixels[id]++;
      if (boxes) {
        if (x < minX[id]) {
          minX[id] = x;
        }
        if (x > maxX[id]) {
          maxX[id] = x;
        }
        lastRow[id] = y;
      }
    }

    int find(int id) {
      return sets.find(id);
    }

    /** Joins two sets; the smaller root id becomes the root. Returns the root that stopped being one, or 0. */
    int union(int a, int b) {
      int child = sets.union(a, b);
      if (child != 0) {
        border[sets.find(a)] |= border[child];
      }
      return child;
    }

    void touchBorder(int id) {
      border[find(id)] = true;
    }

    boolean border(int root) {
      return border[root];
    }
  }

  /** Objects 1..count with their summed statistics. */
  private final class ObjectTable {
    long[] pixels = new long[16];
    long[] first = new long[16];
    int[] minX = new int[16];
    int[] maxX = new int[16];
    int[] firstRow = new int[16];
    int[] lastRow = new int[16];
    int count;
    int kept;

    int add() {
      int o = ++count;
      pixels = grow(pixels, o);
      first = grow(first, o);
      minX = grow(minX, o);
      maxX = grow(maxX, o);
      firstRow = grow(firstRow, o);
      lastRow = grow(lastRow, o);
      first[o] = Long.MAX_VALUE;
      minX[o] = Integer.MAX_VALUE;
      maxX[o] = -1;
      firstRow[o] = Integer.MAX_VALUE;
      lastRow[o] = -1;
      return o;
    }

    void include(int o, Forest forest, int id) {
      pixels[o] += forest.pixels[id];
      first[o] = Math.min(first[o], forest.first[id]);
      if (forest.boxes) {
        minX[o] = Math.min(minX[o], forest.minX[id]);
        maxX[o] = Math.max(maxX[o], forest.maxX[id]);
        firstRow[o] = Math.min(firstRow[o], forest.firstRow[id]);
        lastRow[o] = Math.max(lastRow[o], forest.lastRow[id]);
      }
    }

    /** Objects in order of their first row. */
    int[] byFirstRow() {
      Integer[] order = new Integer[count];
      for (int o = 1; o <= count; o++) {
        order[o - 1] = o;
      }
      Arrays.sort(order, (a, b) -> Integer.compare(firstRow[a], firstRow[b]));
      return Arrays.stream(order).mapToInt(Integer::intValue).toArray();
    }

    /** Label per object: kept objects numbered by first pixel, 0 for dropped ones (and index 0). */
    int[] labels(int minSize) {
      int[] labels = new int[count + 1];
      kept = number(pixels, first, count, minSize, labels);
      return labels;
    }
  }

  /**
   * Numbers the items 1..count whose pixel count is at least {@code minSize} (all when it is 0
   * or 1) in order of their first pixel; returns how many were kept.
   */
  private static int number(long[] pixels, long[] first, int count, int minSize, int[] labels) {
    Integer[] sorted = new Integer[count];
    int kept = 0;
    for (int i = 1; i <= count; i++) {
      if (minSize <= 1 || pixels[i] >= minSize) {
        sorted[kept++] = i;
      }
    }
    sorted = Arrays.copyOf(sorted, kept);
    Arrays.sort(sorted, (a, b) -> Long.compare(first[a], first[b]));
    for (int k = 0; k < kept; k++) {
      labels[sorted[k]] = k + 1;
    }
    return kept;
  }

  /** Watershed regions 1..count, with pixel count and first pixel. */
  private static final class RegionTable {
    long[] pixels = new long[16];
    long[] first = new long[16];
    int count;
    int kept;

    /** Reserves {@code regions} ids; returns the id before the first. */
    int add(int regions) {
      int base = count;
      for (int k = 0; k < regions; k++) {
        int id = ++count;
        pixels = grow(pixels, id);
        first = grow(first, id);
        first[id] = Long.MAX_VALUE;
      }
      return base;
    }

    void count(int id, long pixel) {
      pixels[id]++;
      first[id] = Math.min(first[id], pixel);
    }

    int[] labels(int minSize) {
      int[] labels = new int[count + 1];
      kept = number(pixels, first, count, minSize, labels);
      return labels;
    }
  }

  /** Rows from {@code first} on: object ids, probabilities and region ids. */
  private static final class RowWindow {
    private final int width;
    private final List<int[]> objects = new ArrayList<>();
    private final List<float[]> probabilities = new ArrayList<>();
    private final List<int[]> regions = new ArrayList<>();
    private int first;

    RowWindow(int width) {
      this.width = width;
    }

    void append(int[] objectRow, float[] probabilityRow) {
      objects.add(objectRow);
      probabilities.add(probabilityRow);
      regions.add(new int[width]);
    }

    int[] objectRow(int y) {
      return objects.get(y - first);
    }

    float[] probabilityRow(int y) {
      return probabilities.get(y - first);
    }

    int[] regionRow(int y) {
      return regions.get(y - first);
    }

    void dropBefore(int y) {
      int drop = y - first;
      if (drop > 0) {
        objects.subList(0, drop).clear();
        probabilities.subList(0, drop).clear();
        regions.subList(0, drop).clear();
        first = y;
      }
    }
  }
}
