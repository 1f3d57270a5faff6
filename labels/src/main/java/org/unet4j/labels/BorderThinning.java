package org.unet4j.labels;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import org.unet4j.dsl.model.Size3;

/**
 * The border thinning of the challenge's V_rand and V_info ("Segmentation evaluation after border
 * thinning", ImageJ wiki, 2016): a watershed by flooding (Vincent and Soille 1991, 4-connectivity)
 * of the elevation E = 0 on cells and 255 on the boundary, which turns a proposal's thick
 * boundaries into one-pixel dams between the cells.
 *
 * <p>Level 0: every 4-connected region of cells is a basin. Level 255: the boundary pixels
 * 4-adjacent to a basin enter a FIFO queue in column-major order (x outer, y inner). A pixel taken
 * from the queue visits its neighbours in the order (x-1, y), (x, y-1), (x+1, y), (x, y+1): it
 * takes the label of the first basin it meets, becomes a dam when it meets a second, different
 * basin, and queues the boundary neighbours not yet queued. A pixel that meets only dams stays a
 * dam unless a basin neighbour follows. Without any cell pixel, one basin covers the image.
 *
 * <p>A volume is thinned the same way in 3D ({@link #thin(boolean[], Size3)}): 6-connected basins,
 * face neighbours.
 *
 * <p>The exact placement follows from the queue order: between basins A (left) and B (right) a
 * boundary 4 pixels wide becomes A, A, dam, B; 3 pixels wide, A, dam, B. O(N).
 */
public final class BorderThinning {
  private static final int MASK = -1;
  private static final int QUEUED = -2;
  /** A dam reached through another dam: a later basin neighbour still claims it. */
  private static final int SOFT_DAM = -3;
  /** A dam between two different basins: final. */
  private static final int DAM = -4;

  private BorderThinning() {}

  /**
   * The thinned segmentation of a cell mask (row-major, {@code width * height}): basin labels
   * 1..n, 0 on dams.
   */
  public static int[] thin(boolean[] cells, int width, int height) {
    checkNotNull(cells, "cells");
    checkArgument(width >= 1 && height >= 1 && (long) width * height == cells.length,
        "a %sx%s image has %s pixels, the mask %s", width, height, (long) width * height, cells.length);
    return thin(cells, new Size3(1, height, width));
  }

  /**
   * The thinned segmentation of a volume's cell mask (z-major, {@code size.voxels()}): basin labels
   * 1..n, 0 on dams. The same flooding in 3D, with 6-connected basins, the queue filled x outer,
   * y, z inner, and a voxel's neighbours visited in the order x-1, y-1, z-1, x+1, y+1, z+1; on a
   * volume of one plane it is exactly the image's thinning.
   */
  public static int[] thin(boolean[] cells, Size3 size) {
    checkNotNull(cells, "cells");
    checkNotNull(size, "size");
    checkArgument(size.z() >= 1 && size.y() >= 1 && size.x() >= 1 && size.voxels() == cells.length,
        "a %s volume has %s voxels, the mask %s", size, size.voxels(), cells.length);
    int n = cells.length;
    int[] labels = new int[n];
    int basins = ConnectedComponents3d.label(cells, size, labels);
    for (int p = 0; p < n; p++) {
      if (!cells[p]) {
        labels[p] = MASK;
      }
    }
    int[] queue = new int[n];
    FaceNeighbours grid = new FaceNeighbours(size);
    int[] around = new int[6];
    int head = 0;
    int tail = 0;
    for (int x = 0; x < size.x(); x++) {
      for (int y = 0; y < size.y(); y++) {
        for (int z = 0; z < size.z(); z++) {
          int p = grid.index(z, y, x);
          if (labels[p] == MASK && grid.touchesRegion(labels, p, around)) {
            labels[p] = QUEUED;
            queue[tail++] = p;
          }
        }
      }
    }
    while (head < tail) {
      int p = queue[head++];
      for (int q : grid.neighbours(p, around)) {
        if (q >= 0) {
          tail = visit(labels, p, q, queue, tail);
        }
      }
    }
    // Boundary no basin reaches (only when there are no cells): new basins at level 255.
    for (int p = 0; p < n; p++) {
      if (labels[p] == MASK) {
        flood(labels, p, ++basins, grid, queue, around);
      }
    }
    for (int p = 0; p < n; p++) {
      if (labels[p] < 0) {
        labels[p] = 0;
      }
    }
    return labels;
  }

  /** One neighbour {@code q} of the pixel {@code p} taken from the queue; returns the new tail. */
  private static int visit(int[] labels, int p, int q, int[] queue, int tail) {
    int neighbour = labels[q];
    int own = labels[p];
    if (neighbour > 0) {
      if (own == QUEUED || own == SOFT_DAM) {
        labels[p] = neighbour;
      } else if (own > 0 && own != neighbour) {
        labels[p] = DAM;
      }
    } else if (neighbour == DAM || neighbour == SOFT_DAM) {
      if (own == QUEUED) {
        labels[p] = SOFT_DAM;
      }
    } else if (neighbour == MASK) {
      labels[q] = QUEUED;
      queue[tail++] = q;
    }
    return tail;
  }

  private static void flood(int[] labels, int start, int label, FaceNeighbours grid, int[] queue, int[] around) {
    int head = 0;
    int tail = 0;
    labels[start] = label;
    queue[tail++] = start;
    while (head < tail) {
      for (int q : grid.neighbours(queue[head++], around)) {
        if (q >= 0 && labels[q] == MASK) {
          labels[q] = label;
          queue[tail++] = q;
        }
      }
    }
  }
}
