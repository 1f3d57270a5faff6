package org.unet4j.recipes.infer;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;
import org.unet4j.recipes.data.Calibration;

/**
 * What {@link ObjectMeasurements} measured of one object, in pixels; {@link #centroidX} and
 * {@link #centroidY} follow ImageJ, where pixel {@code (x, y)} has its centre at
 * {@code (x + 0.5, y + 0.5)}. {@link Calibration} turns them into units.
 *
 * @param page the page (1-based) the object is on
 * @param label the object's label in {@code NAME_labels.tif}
 * @param area its pixels
 * @param centroidX the mean x of its pixels' centres
 * @param centroidY the mean y of its pixels' centres
 * @param boundsX the left column of its bounding box
 * @param boundsY the top row of its bounding box
 * @param boundsWidth the bounding box's width in pixels
 * @param boundsHeight the bounding box's height in pixels
 * @param meanIntensity the mean raw value of the input image over its pixels, one per channel
 * @param meanProbability the mean foreground probability over its pixels
 */
public record ObjectMeasurement(int page, int label, long area, double centroidX, double centroidY, int boundsX,
    int boundsY, int boundsWidth, int boundsHeight, double[] meanIntensity, double meanProbability) {

  public ObjectMeasurement {
    checkNotNull(meanIntensity, "meanIntensity");
    checkArgument(page >= 1 && label >= 1 && area >= 1, "page %s, label %s, area %s: each is at least 1", page,
        label, area);
    meanIntensity = meanIntensity.clone();
  }

  /** The mean raw value per input channel (a copy). */
  @Override
  public double[] meanIntensity() {
    return meanIntensity.clone();
  }

  /** The area in square units of {@code calibration}. */
  public double area(Calibration calibration) {
    return area * calibration.pixelArea();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ObjectMeasurement m && page == m.page && label == m.label && area == m.area
        && centroidX == m.centroidX && centroidY == m.centroidY && boundsX == m.boundsX && boundsY == m.boundsY
        && boundsWidth == m.boundsWidth && boundsHeight == m.boundsHeight
        && Arrays.equals(meanIntensity, m.meanIntensity) && meanProbability == m.meanProbability;
  }

  @Override
  public int hashCode() {
    return 31 * (31 * page + label) + Long.hashCode(area);
  }

  @Override
  public String toString() {
    return "ObjectMeasurement[page " + page + ", label " + label + ", area " + area + ", centroid (" + centroidX + ", "
        + centroidY + "), bounds " + boundsX + "," + boundsY + " " + boundsWidth + "x" + boundsHeight
        + ", mean intensity " + Arrays.toString(meanIntensity) + ", mean probability " + meanProbability + "]";
  }
}
