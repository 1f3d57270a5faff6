package org.unet4j.recipes.eval;

import org.unet4j.labels.ConnectedComponents;

/**
 * The truth side of the foreground-restricted scores, fixed across thresholds: the 4-connected
 * components A of the truth cells (6-connected in a volume), with the truth-cell pixels grouped by component (a counting
 * sort), so that each comparison with a proposal counts the contingency table row by row in O(n).
 */
final class TruthSegments {
  /** Truth-cell pixels. */
  final int n;
  final int segments;
  /** Pixel indices of segment i at {@code pixels[start[i - 1] .. start[i] - 1]}, i = 1..segments; start[0] = 0. */
  final int[] pixels;
  final int[] start;

  private TruthSegments(int n, int segments, int[] pixels, int[] start) {
    this.n = n;
    this.segments = segments;
    this.pixels = pixels;
    this.start = start;
  }

  static TruthSegments of(boolean[] cells, int width, int height) {
    int[] labels = new int[cells.length];
    return of(labels, ConnectedComponents.label(cells, width, height, labels));
  }

  /** The segments of a labelling already made (0 = not a truth cell, 1..segments), a volume's 6-connected one. */
  static TruthSegments of(int[] labels, int segments) {
    int[] start = new int[segments + 1];
    for (int label : labels) {
      if (label > 0) {
        start[label]++;
      }
    }
    for (int i = 1; i <= segments; i++) {
      start[i] += start[i - 1];
    }
    int n = start[segments];
    int[] pixels = new int[n];
    int[] next = new int[segments + 1];
    System.arraycopy(start, 0, next, 1, segments);
    for (int p = 0; p < labels.length; p++) {
      if (labels[p] > 0) {
        pixels[next[labels[p]]++] = p;
      }
    }
    return new TruthSegments(n, segments, pixels, start);
  }

  /** The size a_i of segment i. */
  int size(int segment) {
    return start[segment] - start[segment - 1];
  }
}
