package org.unet4j.augment;

import java.util.random.RandomGenerator;

/**
 * A user-defined augmentation, applied to every tile after the built-in ones (see
 * {@link Augmenter#andThen(Augmentation)}). It changes the tile's arrays in place; a change of
 * geometry must be applied to image, labels and weights alike.
 *
 * <p>From Kotlin: {@code augmenter.andThen { tile, random -> tile.image().fill(0f) }}.
 */
@FunctionalInterface
public interface Augmentation {

  /**
   * Changes {@code tile} in place. {@code random} is seeded from the sample's seed and this
   * augmentation's position alone, so the result is reproducible; do not keep it beyond the call.
   */
  void augment(Tile tile, RandomGenerator random);
}
