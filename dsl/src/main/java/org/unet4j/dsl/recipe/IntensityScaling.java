package org.unet4j.dsl.recipe;

/** How raw image intensities are mapped to the net's input range. */
public enum IntensityScaling {
  /** Per image: the low and high percentiles map to 0 and 1 (robust for 12/16-bit microscopy). */
  PERCENTILE,
  /** Per image: minimum and maximum map to 0 and 1. */
  MIN_MAX,
  /** Per image: zero mean, unit standard deviation. */
  Z_SCORE,
  /** Divide by the type's maximum (255, 65535; float as is). */
  TYPE_RANGE
}
