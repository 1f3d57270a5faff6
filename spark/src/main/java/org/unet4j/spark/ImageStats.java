package org.unet4j.spark;

import static com.google.common.base.Preconditions.checkArgument;

import java.io.Serializable;
import java.util.BitSet;
import java.util.List;
import org.unet4j.recipes.data.Image;

/**
 * What the results table says about a prediction: its objects and the share of pixels inside them.
 *
 * @param objects the objects over all pages (distinct non-zero labels of each page, added up)
 * @param foregroundFraction the share of pixels with a non-zero label, over all pages, 0..1
 */
public record ImageStats(long objects, double foregroundFraction) implements Serializable {
  private static final long serialVersionUID = 1L;

  public ImageStats {
    checkArgument(objects >= 0, "objects must be >= 0, got %s", objects);
    checkArgument(foregroundFraction >= 0 && foregroundFraction <= 1, "a fraction lies in 0..1, got %s",
        foregroundFraction);
  }

  /** Counted from the pages of a label image ({@code NAME_labels.tif}). */
  static ImageStats ofLabels(List<Image> labelPages) {
    long objects = 0;
    long foreground = 0;
    long pixels = 0;
    for (Image page : labelPages) {
      BitSet seen = new BitSet();
      for (float v : page.pixels()) {
        if (v != 0) {
          foreground++;
          seen.set((int) v);
        }
      }
      objects += seen.cardinality();
      pixels += (long) page.width() * page.height();
    }
    return new ImageStats(objects, (double) foreground / pixels);
  }
}
