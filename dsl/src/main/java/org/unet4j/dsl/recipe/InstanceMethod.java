package org.unet4j.dsl.recipe;

/** How the instance labels are cut from the foreground (after the net's separation borders). */
public enum InstanceMethod {
  /** Each 4-connected component of the foreground is one object. */
  COMPONENTS,
  /**
   * Each component is split by a seeded watershed: seeds are its cores above
   * {@code inference.seedThreshold}, flooded on the probability.
   */
  WATERSHED
}
