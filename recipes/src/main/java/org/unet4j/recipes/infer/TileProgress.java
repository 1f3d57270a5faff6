package org.unet4j.recipes.infer;

/**
 * Told after every batch of tiles how many of an image's tiles are predicted. With test-time
 * augmentation every transformed copy counts its own tiles.
 */
@FunctionalInterface
public interface TileProgress {
  /** Nothing to tell. */
  TileProgress NONE = (done, total) -> { };

  /** {@code done} of {@code total} tiles of the current image are predicted. */
  void update(long done, long total);
}
