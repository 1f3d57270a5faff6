package org.unet4j.recipes.eval;

import java.util.ArrayList;
import java.util.List;
import org.unet4j.labels.ConnectedComponents;

/**
 * The warping error written literally from the definition, for tests: every pass rescans the whole
 * image for mismatches, sorts them with the challenge's comparator, tests every one of them, and
 * the classification relabels a 41x41 window per pixel; the simple-point test counts components
 * in the 3x3 neighbourhood directly. Slow and plain, independent of {@link WarpingError}'s
 * shortcuts.
 */
final class WarpingReference {
  private WarpingReference() {}

  static WarpingCounts compute(boolean[] truth, float[] prob, int width, int height, double threshold) {
    boolean[] l = truth.clone();
    boolean[] t = new boolean[l.length];
    for (int i = 0; i < t.length; i++) {
      t[i] = prob[i] > threshold;
    }
    List<float[]> mismatches = new ArrayList<>();
    while (true) {
      List<float[]> pass = new ArrayList<>();
      for (int x = 0; x < width; x++) {
        for (int y = 0; y < height; y++) {
          int p = y * width + x;
          if (l[p] != t[p]) {
            pass.add(new float[] {x, y, (float) Math.abs(prob[p] - threshold)});
          }
        }
      }
      pass.sort((a, b) -> (int) ((b[2] - a[2]) * 10000));
      int flips = 0;
      for (float[] m : pass) {
        int x = (int) m[0];
        int y = (int) m[1];
        if (simple(l, x, y, width, height)) {
          l[y * width + x] = !l[y * width + x];
          flips++;
        }
      }
      mismatches = pass;
      if (flips == 0) {
        break;
      }
    }
    int[] c = new int[l.length];
    ConnectedComponents.label(l, width, height, c);
    long merges = 0;
    long splits = 0;
    long holeAdditions = 0;
    long holeDeletions = 0;
    long objectAdditions = 0;
    long objectDeletions = 0;
    for (float[] m : mismatches) {
      int x = (int) m[0];
      int y = (int) m[1];
      List<Integer> u = labelsAround(c, x, y, width, height);
      boolean cell = l[y * width + x];
      if (u.isEmpty() || (u.size() == 1 && u.get(0) == 0)) {
        if (cell) {
          objectDeletions++;
        } else {
          objectAdditions++;
        }
      } else if (u.size() == 1) {
        if (cell) {
          holeAdditions++;
        } else {
          holeDeletions++;
        }
      } else if (u.size() == 2) {
        if (!cell) {
          holeAdditions++;
        } else if (windowLabelsAfterRemoval(l, x, y, width, height) > 2) {
          splits++;
        } else {
          holeDeletions++;
        }
      } else if (cell) {
        splits++;
      } else {
        merges++;
      }
    }
    return new WarpingCounts(merges, splits, holeAdditions, holeDeletions, objectAdditions, objectDeletions,
        (long) width * height);
  }

  /** Cells 4-connected, membrane 8-connected, outside the image membrane. */
  static boolean simple(boolean[] l, int x, int y, int width, int height) {
    boolean[][] patch = new boolean[3][3];
    for (int dy = -1; dy <= 1; dy++) {
      for (int dx = -1; dx <= 1; dx++) {
        int xx = x + dx;
        int yy = y + dy;
        patch[dy + 1][dx + 1] = xx >= 0 && yy >= 0 && xx < width && yy < height && l[yy * width + xx];
      }
    }
    patch[1][1] = false;
    int[][] cells = label3x3(patch, true, false);
    List<Integer> touching = new ArrayList<>();
    int[][] edge = {{0, 1}, {1, 0}, {1, 2}, {2, 1}};
    for (int[] e : edge) {
      int label = cells[e[0]][e[1]];
      if (label != 0 && !touching.contains(label)) {
        touching.add(label);
      }
    }
    boolean[][] membrane = new boolean[3][3];
    for (int r = 0; r < 3; r++) {
      for (int s = 0; s < 3; s++) {
        membrane[r][s] = !patch[r][s] && !(r == 1 && s == 1);
      }
    }
    int[][] background = label3x3(membrane, true, true);
    int backgroundCount = 0;
    for (int[] row : background) {
      for (int v : row) {
        backgroundCount = Math.max(backgroundCount, v);
      }
    }
    return touching.size() == 1 && backgroundCount == 1;
  }

  private static int[][] label3x3(boolean[][] mask, boolean value, boolean eight) {
    int[][] labels = new int[3][3];
    int count = 0;
    for (int r = 0; r < 3; r++) {
      for (int s = 0; s < 3; s++) {
        if (mask[r][s] == value && labels[r][s] == 0) {
          count++;
          grow(mask, labels, r, s, count, value, eight);
        }
      }
    }
    return labels;
  }

  private static void grow(boolean[][] mask, int[][] labels, int r, int s, int label, boolean value, boolean eight) {
    labels[r][s] = label;
    for (int dr = -1; dr <= 1; dr++) {
      for (int ds = -1; ds <= 1; ds++) {
        if ((dr == 0 && ds == 0) || (!eight && dr != 0 && ds != 0)) {
          continue;
        }
        int rr = r + dr;
        int ss = s + ds;
        if (rr >= 0 && ss >= 0 && rr < 3 && ss < 3 && mask[rr][ss] == value && labels[rr][ss] == 0) {
          grow(mask, labels, rr, ss, label, value, eight);
        }
      }
    }
  }

  private static List<Integer> labelsAround(int[] c, int x, int y, int width, int height) {
    List<Integer> u = new ArrayList<>();
    for (int yy = y - 1; yy <= y + 1; yy++) {
      for (int xx = x - 1; xx <= x + 1; xx++) {
        if ((xx != x || yy != y) && xx >= 0 && yy >= 0 && xx < width && yy < height
            && !u.contains(c[yy * width + xx])) {
          u.add(c[yy * width + xx]);
        }
      }
    }
    return u;
  }

  /**
   * The distinct labels (0 included) among the 8 neighbours of the window's centre after setting
   * it to membrane and relabelling the 41x41 window (outside the image = membrane); the whole
   * image when the radius does not fit in it.
   */
  private static int windowLabelsAfterRemoval(boolean[] l, int x, int y, int width, int height) {
    int r = WarpingError.RADIUS;
    if (r > width || r > height) {
      boolean[] copy = l.clone();
      copy[y * width + x] = false;
      int[] c = new int[copy.length];
      ConnectedComponents.label(copy, width, height, c);
      return labelsAround(c, x, y, width, height).size();
    }
    int side = 2 * r + 1;
    boolean[] window = new boolean[side * side];
    for (int j = 0; j < side; j++) {
      for (int i = 0; i < side; i++) {
        int xx = x - r + i;
        int yy = y - r + j;
        window[j * side + i] = xx >= 0 && yy >= 0 && xx < width && yy < height && l[yy * width + xx];
      }
    }
    window[r * side + r] = false;
    int[] c = new int[window.length];
    ConnectedComponents.label(window, side, side, c);
    return labelsAround(c, r, r, side, side).size();
  }
}
