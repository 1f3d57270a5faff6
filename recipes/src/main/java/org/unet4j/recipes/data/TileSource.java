package org.unet4j.recipes.data;

/**
 * Where training batches come from. A batch depends only on the step, so a resumed run sees
 * exactly the data and augmentation an uninterrupted run would have seen.
 */
@FunctionalInterface
public interface TileSource {
  /** The batch of step {@code step} (0-based); the same step always gives the same batch. */
  Batch batch(long step);
}
