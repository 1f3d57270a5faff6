package org.unet4j.dsl.model;

/** The down-sampling operation between contracting stages. */
public enum PoolingKind {
  /** Max pooling, the paper's choice. */
  MAX,
  AVERAGE,
  /**
   * A learnt p x p convolution with stride p that keeps the channels, with a bias and no
   * activation (as in the all-convolutional nets of Springenberg et al. 2015): the same windows as
   * pooling, weighted instead of maximised or averaged.
   */
  STRIDED_CONV
}
