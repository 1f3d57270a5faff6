package org.unet4j.dsl.model;

/** How an expanding stage uses the feature map of the contracting stage at its level. */
public enum SkipMode {
  /** The paper's skip: the contracting map is centre-cropped to the up-convolved size and concatenated. */
  CENTER_CROP,
  /** No skip at this level: the stage sees only the up-convolved map. */
  NONE,
  /**
   * An attention-gated skip (Oktay et al. 2018, "Attention U-Net", Fig. 2): the centre-cropped skip
   * is multiplied pixel by pixel by attention coefficients in (0, 1) computed from it and from the
   * gating signal, the coarser decoder map this stage up-convolves, then concatenated as
   * {@link #CENTER_CROP} does.
   */
  ATTENTION;

  /**
   * The intermediate channels of an attention gate on a skip of {@code skipChannels} (Oktay et
   * al.'s F_int): half the skip's, at least one.
   */
  public static int gateChannels(int skipChannels) {
    return Math.max(1, skipChannels / 2);
  }
}
