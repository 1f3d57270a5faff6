package org.unet4j.labels;

/**
 * 4-connected components (edge neighbours only), the connectivity of cells in unet4j's label
 * formats, its post-processing and the ISBI metrics. An image is a volume of one plane, so the flood
 * fill is {@link ConnectedComponents3d}'s, whose z neighbours do not exist here: O(N).
 */
public final class ConnectedComponents {
  private ConnectedComponents() {}

  /**
   * Labels the 4-connected components of {@code mask} (row-major, {@code width * height}) 1..n in
   * raster order of their first pixel, writing 0 elsewhere into {@code labels}; returns n.
   */
  public static int label(boolean[] mask, int width, int height, int[] labels) {
    int[] key = new int[width * height];
    for (int i = 0; i < key.length; i++) {
      key[i] = mask[i] ? 1 : 0;
    }
    return label(key, width, height, labels);
  }

  /**
   * Labels the 4-connected components of equal non-zero values of {@code key} (0 is background)
   * 1..n in raster order of their first pixel, writing 0 elsewhere into {@code labels}; returns n.
   * Touching regions of different values are different components.
   */
  public static int label(int[] key, int width, int height, int[] labels) {
    return ConnectedComponents3d.flood(key, width, height, 1, labels);
  }
}
