package org.unet4j.dsl.model;

/** Normalization between a convolution and its activation. The paper uses none. */
public enum Normalization {
  NONE,
  /** Batch normalization: a convolution followed by it has no bias of its own. */
  BATCH
}
