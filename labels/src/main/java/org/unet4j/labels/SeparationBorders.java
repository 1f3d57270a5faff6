package org.unet4j.labels;

import static com.google.common.base.Preconditions.checkNotNull;

/**
 * The separation borders between touching cells (paper Sec. 3 and Fig. 3c: "the separation
 * border is computed using morphological operations").
 *
 * <p>A cell pixel becomes background when one of its 8 neighbours belongs to a different cell;
 * equivalently, the pixels of each cell that the 1-pixel (3x3) dilation of another cell covers.
 * The rule is symmetric, so the result does not depend on how the cells are numbered, and a
 * straight contact becomes a background line 2 pixels wide (one from each side). No remaining
 * pixel of one cell is then an 8-neighbour of a remaining pixel of another, so touching cells
 * never merge in the foreground/background target, whichever connectivity reads it back. Cells
 * that touch no other cell are unchanged; a cell thin enough to be all border disappears.
 */
public final class SeparationBorders {
  private SeparationBorders() {}

  /**
   * The cells with the pixels that touch another cell set to background, renumbered compactly in
   * the same order (a cell that disappears leaves no gap).
   */
  public static InstanceLabels separate(InstanceLabels instances) {
    checkNotNull(instances, "instances");
    int width = instances.width();
    int height = instances.height();
    int[] in = instances.array();
    int[] out = in.clone();
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int i = y * width + x;
        int cell = in[i];
        if (cell != 0 && touchesOtherCell(in, width, height, x, y, cell)) {
          out[i] = 0;
        }
      }
    }
    return InstanceLabels.compact(out, width, height);
  }

  /**
   * The foreground/background target of Fig. 3c: 1 for the pixels of {@code cells}, 0 elsewhere.
   * Pass separated cells ({@link #separate}) so that touching cells stay apart.
   */
  public static byte[] classLabels(InstanceLabels cells) {
    int[] labels = cells.array();
    byte[] classes = new byte[labels.length];
    for (int i = 0; i < labels.length; i++) {
      classes[i] = labels[i] != 0 ? (byte) 1 : (byte) 0;
    }
    return classes;
  }

  private static boolean touchesOtherCell(int[] labels, int width, int height, int x, int y, int cell) {
    for (int ny = Math.max(0, y - 1); ny <= Math.min(height - 1, y + 1); ny++) {
      for (int nx = Math.max(0, x - 1); nx <= Math.min(width - 1, x + 1); nx++) {
        int other = labels[ny * width + nx];
        if (other != 0 && other != cell) {
          return true;
        }
      }
    }
    return false;
  }
}
