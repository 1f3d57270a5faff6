package org.unet4j.dsl.recipe;

/** How the instance labels are cut from the foreground (after the net's separation borders). */
public enum InstanceMethod {
  /** Each 4-connected component of the foreground is one object. */
  COMPONENTS,
  /**
   * Each component is split by a seeded watershed: seeds are its cores above
   * {@code inference.seedThreshold}, flooded on the probability.
   */
  WATERSHED,
  /**
   * Each component is split by a watershed of its shape, for touching nuclei whose probability has
   * no valley between them: seeds are the maxima of its distance to the background at least
   * {@code inference.seedDepth} pixels deep (h-maxima), flooded on that distance, so the cut runs
   * along the neck between them.
   */
  DISTANCE_WATERSHED
}
