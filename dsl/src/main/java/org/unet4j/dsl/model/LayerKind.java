package org.unet4j.dsl.model;

/** What a layer of a compiled model does; see {@link LayerShape}. */
public enum LayerKind {
  CONV,
  POOL,
  DROPOUT,
  UP_CONV,
  /** The centre-cropped skip concatenated to the up-convolved map. */
  CROP_CONCAT,
  HEAD
}
