package org.unet4j.dsl.model;

/** How a convolution treats the border. */
public enum Padding {
  /** Unpadded, as in the paper: a k x k convolution loses k-1 pixels per axis. */
  VALID,
  /** Zero-padded: the size is kept. */
  SAME
}
