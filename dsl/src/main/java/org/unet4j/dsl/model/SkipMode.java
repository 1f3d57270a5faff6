package org.unet4j.dsl.model;

/** How an expanding stage uses the feature map of the contracting stage at its level. */
public enum SkipMode {
  /** The paper's skip: the contracting map is centre-cropped to the up-convolved size and concatenated. */
  CENTER_CROP,
  /** No skip at this level: the stage sees only the up-convolved map. */
  NONE
}
