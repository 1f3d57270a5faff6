package org.unet4j.recipes.eval;

/** How a file evaluation scores a multi-page TIFF. */
public enum StackScoring {
  /**
   * Page by page, as the ISBI 2012 challenge scores its stacks (4-connected objects within each
   * page, counts summed over the pages): the predictions of a 2D net.
   */
  SLICES,
  /**
   * As one volume ({@link VolumeMetrics}): 6-connected objects through the pages, counts over all
   * voxels: the predictions of a 3D net.
   */
  VOLUME
}
