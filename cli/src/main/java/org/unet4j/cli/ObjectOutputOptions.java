package org.unet4j.cli;

import java.util.EnumSet;
import java.util.Set;
import org.unet4j.recipes.infer.ObjectOutput;
import picocli.CommandLine.Option;

/**
 * The options that ask for per-object outputs ({@link ObjectOutput}), shared by every command
 * that writes predicted files ({@code predict}, {@code spark-predict}) as a picocli mixin.
 */
public final class ObjectOutputOptions {
  @Option(names = "--rois", description = "Also write NAME_rois.zip: an ImageJ ROI set, one polygon per object,"
      + " for Fiji's ROI Manager (images only).")
  boolean rois;

  @Option(names = "--measurements", description = "Also write NAME_objects.csv: area, centroid, bounding box, mean"
      + " intensity and mean probability per object, in the input's calibrated units (for a 3D net's volumes:"
      + " voxels, volume, centroid and bounding box per object).")
  boolean measurements;

  /** The outputs asked for; empty when neither option is given. */
  public Set<ObjectOutput> outputs() {
    Set<ObjectOutput> outputs = EnumSet.noneOf(ObjectOutput.class);
    if (rois) {
      outputs.add(ObjectOutput.ROIS);
    }
    if (measurements) {
      outputs.add(ObjectOutput.MEASUREMENTS);
    }
    return outputs;
  }
}
