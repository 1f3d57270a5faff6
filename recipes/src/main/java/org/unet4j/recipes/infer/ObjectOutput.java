package org.unet4j.recipes.infer;

/**
 * Per-object outputs a prediction of files can add to its probabilities, labels and overlays
 * ({@link PredictionFiles}), for Fiji users ({@link ObjectFiles}).
 */
public enum ObjectOutput {
  /** {@code NAME_rois.zip}: an ImageJ ROI set, one polygon per object, for Fiji's ROI Manager; images only. */
  ROIS,
  /**
   * {@code NAME_objects.csv}: area, centroid, bounds, mean intensity and probability per object; for
   * a 3D net's volume, voxels, volume, centroid and bounds per object ({@link VolumeObjects}).
   */
  MEASUREMENTS
}
