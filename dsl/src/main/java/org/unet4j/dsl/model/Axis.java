package org.unet4j.dsl.model;

import java.util.Locale;

/**
 * An axis of a net's input, in the (z, y, x) order of image stacks. A 2D net has y and x; a 3D net
 * (see {@link ModelSpec#dimensions()}) adds z, the axis whose spacing is often coarser.
 */
public enum Axis {
  Z,
  Y,
  X;

  /** The axis as messages name it: {@code z}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
