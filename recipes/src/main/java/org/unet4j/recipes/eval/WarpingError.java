package org.unet4j.recipes.eval;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Arrays;
import org.unet4j.labels.ConnectedComponents;

/**
 * The warping error at one threshold (Jain et al. 2010; the challenge's definition): the truth's
 * cells L are warped onto T = (prob &gt; th) by flipping simple points only, and the mismatches
 * that remain are classified; merges and splits are the error.
 *
 * <p><b>Warping.</b> Each pass lists the current mismatches (L != T) in column-major order, sorts
 * them stably by |prob - th| (in float32) descending, differences below 1e-4 counting as ties, and
 * visits them in that order, flipping each one at once when it is simple ({@link SimplePoints})
 * in the current L; outside the image counts as membrane. Passes repeat until one flips nothing.
 *
 * <p><b>Classification.</b> With C the 4-connected components of the warped L and U the set of C
 * labels among a remaining mismatch's in-image 8 neighbours (0 = membrane): U = {0} is an object
 * addition or deletion (also for the lone pixel of a 1x1 image, whose only neighbour is the
 * membrane outside the image), U = {k} a hole addition or deletion; |U| = 2: a membrane pixel is a hole
 * addition, a cell pixel is set to membrane within the 41x41 window around it (radius 20; outside
 * the image = membrane; the whole image when it is narrower than the radius) and is a split when
 * its 8 neighbours then touch two different cell components, else a hole deletion; |U| &gt;= 3:
 * a membrane pixel is a merge, a cell pixel a split.
 *
 * <p><b>Cost.</b> Instead of rescanning the image every pass, the mismatch list shrinks as pixels
 * flip, and a pixel is tested again only when one of its 8 neighbours flipped since its last test
 * (the test depends on nothing else), which gives the same flips in the same order. The tie rule
 * is not transitive; when it is on the values at hand (always for 8-bit maps, whose distances
 * to a threshold come in groups 1/255 apart) one sort serves every pass, as the order of a subset
 * is then the subsequence; otherwise (float maps, as a rule) each pass sorts its list again, as
 * the challenge's code does. Time O(M log M) for M initial mismatches plus O(M) per pass (times
 * log M per pass when the ties are not transitive), plus O(N) to classify, at most 41^2 per
 * |U| = 2 cell pixel; memory O(N).
 */
public final class WarpingError {
  /** The classification window's radius: 41x41 pixels. */
  public static final int RADIUS = 20;

  private WarpingError() {}

  /**
   * Warps {@code truthCells} onto {@code prob > threshold} and classifies what remains.
   *
   * @param truthCells the truth's cell mask, row-major
   * @param prob the cell probabilities, row-major
   */
  public static WarpingCounts compute(boolean[] truthCells, float[] prob, int width, int height, double threshold) {
    checkNotNull(truthCells, "truthCells");
    checkNotNull(prob, "prob");
    checkArgument(width >= 1 && height >= 1 && (long) width * height == truthCells.length
        && truthCells.length == prob.length, "a %sx%s image has %s pixels; truth %s, probabilities %s", width,
        height, (long) width * height, truthCells.length, prob.length);
    int n = width * height;
    int paddedWidth = width + 2;
    byte[] warped = new byte[paddedWidth * (height + 2)];
    boolean[] target = new boolean[n];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int p = y * width + x;
        warped[(y + 1) * paddedWidth + x + 1] = (byte) (truthCells[p] ? 1 : 0);
        target[p] = prob[p] > threshold;
      }
    }
    int[] remaining = warp(warped, target, prob, width, height, threshold);
    return classify(warped, remaining, width, height);
  }

  /** Flips simple mismatches of {@code warped} (padded) until none flips; returns what remains. */
  private static int[] warp(byte[] warped, boolean[] target, float[] prob, int width, int height, double threshold) {
    int n = width * height;
    int paddedWidth = width + 2;
    Mismatch[] list = new Mismatch[n];
    int size = 0;
    for (int x = 0; x < width; x++) {
      for (int y = 0; y < height; y++) {
        int p = y * width + x;
        if ((warped[(y + 1) * paddedWidth + x + 1] == 1) != target[p]) {
          list[size++] = new Mismatch(p, (float) Math.abs(prob[p] - threshold));
        }
      }
    }
    list = Arrays.copyOf(list, size);
    boolean transitive = tiesAreTransitive(list);
    Mismatch[] order = passOrder(list);
    int[] testedAt = new int[n];
    int[] changedAt = new int[n];
    Arrays.fill(testedAt, -1);
    boolean[] flipped = new boolean[n];
    int flips = 0;
    while (true) {
      int before = flips;
      for (Mismatch m : order) {
        int p = m.pixel;
        if (testedAt[p] >= 0 && changedAt[p] <= testedAt[p]) {
          continue;  // its neighbourhood is unchanged since it was found not simple
        }
        testedAt[p] = flips;
        int x = p % width;
        int y = p / width;
        int q = (y + 1) * paddedWidth + x + 1;
        if (SimplePoints.isSimple(SimplePoints.neighbourhood(warped, q, paddedWidth))) {
          warped[q] ^= 1;
          flipped[p] = true;
          flips++;
          for (int dy = Math.max(0, y - 1); dy <= Math.min(height - 1, y + 1); dy++) {
            for (int dx = Math.max(0, x - 1); dx <= Math.min(width - 1, x + 1); dx++) {
              changedAt[dy * width + dx] = flips;
            }
          }
        }
      }
      if (flips == before) {
        int[] remaining = new int[list.length];
        for (int i = 0; i < remaining.length; i++) {
          remaining[i] = list[i].pixel;
        }
        return remaining;
      }
      list = without(list, flipped);
      if (transitive) {
        order = without(order, flipped);
      } else if (anyChanged(list, testedAt, changedAt)) {
        order = passOrder(list);
      } else {
        order = new Mismatch[0];  // nothing to test again: the next pass would flip nothing
      }
    }
  }

  /** A pixel where the warped truth and the proposal disagree, with its sort key |prob - th|. */
  record Mismatch(int pixel, float key) {}

  /**
   * The visiting order of one pass: the challenge's comparator, {@code (int) ((b - a) * 10000)} in
   * float, under Java's stable sort (TimSort, as in the challenge's Java code). Should the sort
   * detect that the comparator contradicts itself, an exact stable descending sort stands in.
   */
  static Mismatch[] passOrder(Mismatch[] list) {
    Mismatch[] order = list.clone();
    try {
      Arrays.sort(order, (a, b) -> (int) ((b.key - a.key) * 10000));
    } catch (IllegalArgumentException contractViolation) {
      order = list.clone();
      Arrays.sort(order, (a, b) -> Float.compare(b.key, a.key));
    }
    return order;
  }

  /**
   * Whether "differs by less than 1e-4" is an equivalence on these keys: in ascending order, every
   * run of keys each tied with the previous one is tied end to end. Then the comparator is a total
   * preorder (float subtraction and scaling are monotonic, so tied ends tie every pair between
   * them, and an untied neighbouring pair unties every pair across it).
   */
  static boolean tiesAreTransitive(Mismatch[] list) {
    float[] sorted = new float[list.length];
    for (int i = 0; i < list.length; i++) {
      sorted[i] = list[i].key;
    }
    Arrays.sort(sorted);
    int runStart = 0;
    for (int i = 1; i < sorted.length; i++) {
      if ((int) ((sorted[i] - sorted[i - 1]) * 10000) == 0) {
        if ((int) ((sorted[i] - sorted[runStart]) * 10000) != 0) {
          return false;
        }
      } else {
        runStart = i;
      }
    }
    return true;
  }

  private static boolean anyChanged(Mismatch[] list, int[] testedAt, int[] changedAt) {
    for (Mismatch m : list) {
      if (changedAt[m.pixel] > testedAt[m.pixel]) {
        return true;
      }
    }
    return false;
  }

  private static Mismatch[] without(Mismatch[] list, boolean[] removed) {
    Mismatch[] kept = new Mismatch[list.length];
    int size = 0;
    for (Mismatch m : list) {
      if (!removed[m.pixel]) {
        kept[size++] = m;
      }
    }
    return Arrays.copyOf(kept, size);
  }

  private static WarpingCounts classify(byte[] warped, int[] remaining, int width, int height) {
    int n = width * height;
    int paddedWidth = width + 2;
    boolean[] cells = new boolean[n];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        cells[y * width + x] = warped[(y + 1) * paddedWidth + x + 1] == 1;
      }
    }
    int[] components = new int[n];
    ConnectedComponents.label(cells, width, height, components);
    LocalSplit local = new LocalSplit(cells, width, height);
    long merges = 0;
    long splits = 0;
    long holeAdditions = 0;
    long holeDeletions = 0;
    long objectAdditions = 0;
    long objectDeletions = 0;
    int[] distinct = new int[8];
    for (int p : remaining) {
      int x = p % width;
      int y = p / width;
      int count = 0;
      for (int dy = Math.max(0, y - 1); dy <= Math.min(height - 1, y + 1); dy++) {
        for (int dx = Math.max(0, x - 1); dx <= Math.min(width - 1, x + 1); dx++) {
          int q = dy * width + dx;
          if (q != p && !contains(distinct, count, components[q])) {
            distinct[count++] = components[q];
          }
        }
      }
      boolean cell = cells[p];
      // A pixel without neighbours (a 1x1 image) is surrounded by the membrane outside the image,
      // so U = {0}: an object addition or deletion. The challenge's code counts it as a merge or
      // split, which would give a one-pixel image a warping error of 1 where a larger empty
      // prediction of a full truth gets 0; the definition does not cover |U| = 0.
      if (count == 0 || (count == 1 && distinct[0] == 0)) {
        if (cell) {
          objectDeletions++;
        } else {
          objectAdditions++;
        }
      } else if (count == 1) {
        if (cell) {
          holeAdditions++;
        } else {
          holeDeletions++;
        }
      } else if (count == 2) {
        if (!cell) {
          holeAdditions++;
        } else if (local.splits(p)) {
          splits++;
        } else {
          holeDeletions++;
        }
      } else {
        // |U| >= 3.
        if (cell) {
          splits++;
        } else {
          merges++;
        }
      }
    }
    return new WarpingCounts(merges, splits, holeAdditions, holeDeletions, objectAdditions, objectDeletions, n);
  }

  private static boolean contains(int[] values, int count, int value) {
    for (int i = 0; i < count; i++) {
      if (values[i] == value) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether setting a cell pixel to membrane splits its cell locally: within the window around it,
   * its cell 8-neighbours then fall into two or more 4-connected components. One flood fill from
   * the first cell neighbour, limited to the window; a stamp per fill instead of clearing.
   */
  private static final class LocalSplit {
    private final boolean[] cells;
    private final int width;
    private final int height;
    private final boolean wholeImage;
    private final int[] stamp;
    private final int[] queue;
    private int fill;
    private int head;
    private int tail;
    private int missing;
    private int centreX;
    private int centreY;

    LocalSplit(boolean[] cells, int width, int height) {
      this.cells = cells;
      this.width = width;
      this.height = height;
      // The challenge relabels the whole image when the radius does not fit into it.
      this.wholeImage = RADIUS > width || RADIUS > height;
      this.stamp = new int[cells.length];
      this.queue = new int[cells.length];
    }

    boolean splits(int p) {
      int x = p % width;
      int y = p / width;
      int x0 = wholeImage ? 0 : Math.max(0, x - RADIUS);
      int x1 = wholeImage ? width - 1 : Math.min(width - 1, x + RADIUS);
      int y0 = wholeImage ? 0 : Math.max(0, y - RADIUS);
      int y1 = wholeImage ? height - 1 : Math.min(height - 1, y + RADIUS);
      fill++;
      stamp[p] = fill;  // the pixel set to membrane
      int first = -1;
      int others = 0;
      for (int dy = Math.max(0, y - 1); dy <= Math.min(height - 1, y + 1); dy++) {
        for (int dx = Math.max(0, x - 1); dx <= Math.min(width - 1, x + 1); dx++) {
          int q = dy * width + dx;
          if (q != p && cells[q]) {
            if (first < 0) {
              first = q;
            } else {
              others++;
            }
          }
        }
      }
      centreX = x;
      centreY = y;
      return first >= 0 && others > 0 && !reachesAll(first, others, x0, x1, y0, y1);
    }

    /** Flood fill from {@code start} until it has reached {@code others} more cell 8-neighbours. */
    private boolean reachesAll(int start, int others, int x0, int x1, int y0, int y1) {
      head = 0;
      tail = 0;
      stamp[start] = fill;
      queue[tail++] = start;
      missing = others;
      while (head < tail) {
        int q = queue[head++];
        int x = q % width;
        int y = q / width;
        if ((x > x0 && reach(q - 1)) || (x < x1 && reach(q + 1)) || (y > y0 && reach(q - width))
            || (y < y1 && reach(q + width))) {
          return true;
        }
      }
      return false;
    }

    /** Queues {@code q} if it is an unreached cell; true when that was the last missing neighbour. */
    private boolean reach(int q) {
      if (!cells[q] || stamp[q] == fill) {
        return false;
      }
      stamp[q] = fill;
      queue[tail++] = q;
      return Math.abs(q % width - centreX) <= 1 && Math.abs(q / width - centreY) <= 1 && --missing == 0;
    }
  }
}
