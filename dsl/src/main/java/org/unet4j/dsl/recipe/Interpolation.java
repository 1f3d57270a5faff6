package org.unet4j.dsl.recipe;

/** How the image is resampled under a geometric transform (labels always use nearest neighbour). */
public enum Interpolation {
  /** The paper's choice for the deformation field and the image. */
  BICUBIC,
  BILINEAR
}
