package org.unet4j.recipes.eval;

/**
 * Simple points of a binary image with cells 4-connected and membrane 8-connected (the pair the
 * warping error uses): a pixel is simple when flipping it changes no topology, which depends on
 * its 8 neighbours alone (Bertrand and Malandain 1994; Jain et al. 2010, Sec. 3). It is simple
 * iff (1) the cell neighbours that are 4-adjacent to it form exactly one 4-connected component
 * within the 3x3 neighbourhood, and (2) the membrane neighbours form exactly one 8-connected
 * component there. Both are precomputed for the 256 neighbourhoods.
 *
 * <p>Neighbour bits: 0 (x-1, y-1), 1 (x, y-1), 2 (x+1, y-1), 3 (x-1, y), 4 (x+1, y), 5 (x-1, y+1),
 * 6 (x, y+1), 7 (x+1, y+1); a set bit is a cell.
 */
final class SimplePoints {
  private static final int[] DX = {-1, 0, 1, -1, 1, -1, 0, 1};
  private static final int[] DY = {-1, -1, -1, 0, 0, 1, 1, 1};
  private static final boolean[] SIMPLE = new boolean[256];

  static {
    for (int config = 0; config < 256; config++) {
      SIMPLE[config] = cellComponentsTouchingCentre(config) == 1 && membraneComponents(config) == 1;
    }
  }

  private SimplePoints() {}

  /** Whether a pixel with this neighbourhood (bits as in the class comment) is simple. */
  static boolean isSimple(int neighbourhood) {
    return SIMPLE[neighbourhood];
  }

  /** The neighbourhood bits of {@code q} in a 0/1 image padded by one membrane pixel. */
  static int neighbourhood(byte[] padded, int q, int paddedWidth) {
    int up = q - paddedWidth;
    int down = q + paddedWidth;
    return padded[up - 1] | padded[up] << 1 | padded[up + 1] << 2 | padded[q - 1] << 3 | padded[q + 1] << 4
        | padded[down - 1] << 5 | padded[down] << 6 | padded[down + 1] << 7;
  }

  /** 4-connected components of the cell neighbours that contain a 4-neighbour of the centre. */
  private static int cellComponentsTouchingCentre(int config) {
    int[] component = components(config, true, false);
    boolean[] seen = new boolean[9];
    int count = 0;
    for (int k = 0; k < 8; k++) {
      boolean edgeNeighbour = Math.abs(DX[k]) + Math.abs(DY[k]) == 1;
      if (edgeNeighbour && component[k] > 0 && !seen[component[k]]) {
        seen[component[k]] = true;
        count++;
      }
    }
    return count;
  }

  /** 8-connected components of the membrane neighbours. */
  private static int membraneComponents(int config) {
    int[] component = components(config, false, true);
    int max = 0;
    for (int c : component) {
      max = Math.max(max, c);
    }
    return max;
  }

  /** Components (1..) of the neighbours whose bit equals {@code cell}, the centre left out. */
  private static int[] components(int config, boolean cell, boolean eightConnected) {
    int[] component = new int[8];
    int count = 0;
    for (int start = 0; start < 8; start++) {
      if (isCell(config, start) != cell || component[start] != 0) {
        continue;
      }
      component[start] = ++count;
      boolean grown = true;
      while (grown) {
        grown = false;
        for (int a = 0; a < 8; a++) {
          if (component[a] != count) {
            continue;
          }
          for (int b = 0; b < 8; b++) {
            if (component[b] == 0 && isCell(config, b) == cell && adjacent(a, b, eightConnected)) {
              component[b] = count;
              grown = true;
            }
          }
        }
      }
    }
    return component;
  }

  private static boolean isCell(int config, int k) {
    return (config >> k & 1) == 1;
  }

  private static boolean adjacent(int a, int b, boolean eightConnected) {
    int dx = Math.abs(DX[a] - DX[b]);
    int dy = Math.abs(DY[a] - DY[b]);
    return eightConnected ? Math.max(dx, dy) == 1 : dx + dy == 1;
  }
}
