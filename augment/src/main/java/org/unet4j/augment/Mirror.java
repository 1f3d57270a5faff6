package org.unet4j.augment;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * Mirror extrapolation of a pixel index, as the paper extrapolates missing context at the image
 * border (Sec. 2, Fig. 2): reflection about the edge pixel without repeating it, so for a row of
 * {@code size} pixels -1 maps to 1 and {@code size} to {@code size - 2}. Indices far outside are
 * reflected again and again (the pattern has period {@code 2 * (size - 1)}).
 */
public final class Mirror {
  private Mirror() {}

  /** The index inside [0, size) that mirroring maps {@code index} to. */
  public static int index(int index, int size) {
    checkArgument(size > 0, "size must be positive, got %s", size);
    return Resampler.reflect(index, size);
  }
}
