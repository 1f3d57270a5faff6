package org.unet4j.recipes.eval;

/** A small binary image drawn in text, one string per row: {@code #} cell, {@code .} membrane. */
record AsciiMask(int width, int height, boolean[] cells) {

  static AsciiMask of(String... rows) {
    int width = rows[0].length();
    boolean[] cells = new boolean[width * rows.length];
    for (int y = 0; y < rows.length; y++) {
      if (rows[y].length() != width) {
        throw new IllegalArgumentException("row " + y + " has " + rows[y].length() + " columns, not " + width);
      }
      for (int x = 0; x < width; x++) {
        char c = rows[y].charAt(x);
        if (c != '#' && c != '.') {
          throw new IllegalArgumentException("use # and . only, got " + c);
        }
        cells[y * width + x] = c == '#';
      }
    }
    return new AsciiMask(width, rows.length, cells);
  }

  /** Probability 0.875 on cells and 0.125 on membrane: the same mask at thresholds 0.2..0.8. */
  float[] confident() {
    float[] prob = new float[cells.length];
    for (int i = 0; i < prob.length; i++) {
      prob[i] = cells[i] ? 0.875f : 0.125f;
    }
    return prob;
  }

  GroundTruth truth() {
    return GroundTruthFixtures.fromCells(cells, width, height);
  }

  CellProbabilities probabilities() {
    return new CellProbabilities(width, height, confident());
  }
}
