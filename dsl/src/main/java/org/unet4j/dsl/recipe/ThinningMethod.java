package org.unet4j.dsl.recipe;

/**
 * Whether and how prediction thins the boundaries between the regions above the threshold to one-pixel dams
 * ({@code inference.thinBoundaries}). Border or ridge, the regions grow over the boundary pixels until they meet,
 * none is split or merged, and the boundary pixels that join a region are raised just above the threshold in the
 * written probability map.
 */
public enum ThinningMethod {
  /** The boundaries as the net predicts them. */
  NONE,
  /**
   * The border thinning of the ISBI challenge's V_rand: the regions grow breadth-first, all boundary pixels alike,
   * so the dams run halfway between them.
   */
  BORDER,
  /**
   * A watershed of the net's foreground probability: the regions grow into the boundary pixels of highest
   * probability first (ties: breadth-first), so the dams run along the boundary's ridge, where the net is most sure
   * of it.
   */
  RIDGE
}
