package org.unet4j.dsl.model;

/** How an expanding stage brings the coarser map up to its level's grid. */
public enum Upsampling {
  /** The paper's p x p up-convolution with stride p: each coarse pixel fills a p x p block. */
  UP_CONV,
  /**
   * Bilinear interpolation by the pooling factor p with half-pixel centres (TensorFlow's
   * {@code half_pixel_centers}: fine pixel j samples the coarse map at (j + 1/2) / p - 1/2, so the
   * fine grid lies exactly on the grid the pooling came from), followed by a learnt 3 x 3
   * convolution with a bias and the stage's activation, padded as the stage is (Odena et al. 2016,
   * "Deconvolution and checkerboard artifacts"). Unpadded, only the pixels between two coarse pixel
   * centres are kept (floor(p/2) fewer on each side, nothing extrapolated) and the convolution loses
   * one more on each side; padded, the border pixels repeat the edge and the size is p times the
   * coarse one.
   */
  BILINEAR;

  /** The kernel of the learnt convolution after bilinear upsampling. */
  public static final int BILINEAR_KERNEL = 3;
}
