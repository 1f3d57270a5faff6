package org.unet4j.dsl.model;

/**
 * Normalization between a convolution and its activation. The paper uses none. Every kind but
 * {@link #NONE} learns a scale and an offset per channel, and the convolution it follows has no
 * bias of its own (the offset takes its place).
 */
public enum Normalization {
  NONE,
  /**
   * Batch normalization: statistics per channel over the batch and the pixels in training, moving
   * averages of them in inference.
   */
  BATCH,
  /**
   * Group normalization (Wu and He 2018): the channels are split into the stage's {@code groups}
   * and each image is normalised per group over its pixels, the same in training and inference,
   * so it does not depend on the batch (U-Nets often train on batches of one tile).
   */
  GROUP,
  /** Instance normalization: group normalization with one group per channel. */
  INSTANCE
}
