package org.unet4j.dsl.model;

/** What a layer of a compiled model does; see {@link LayerShape}. */
public enum LayerKind {
  CONV,
  POOL,
  /** Down-sampling by a learnt p x p convolution with stride p ({@link PoolingKind#STRIDED_CONV}). */
  DOWN_CONV,
  DROPOUT,
  UP_CONV,
  /**
   * Bilinear upsampling by the pooling factor ({@link Upsampling#BILINEAR}), without weights; the
   * learnt 3x3 convolution after it is a {@link #CONV} at the up-convolution's path.
   */
  UPSAMPLE,
  /** The centre-cropped skip concatenated to the up-convolved map. */
  CROP_CONCAT,
  /**
   * A residual stage's shortcut added to its last convolution before the activation: the stage's
   * input, centre-cropped to the output when convolutions are unpadded, through a 1x1 projection
   * when the channels change.
   */
  SHORTCUT,
  /**
   * An attention gate's projection of the gating signal (the coarser decoder map) to the gate's
   * channels, on the coarse grid.
   */
  GATE,
  /** An attention gate's coefficients, and the cropped skip multiplied by them. */
  ATTENTION,
  HEAD
}
