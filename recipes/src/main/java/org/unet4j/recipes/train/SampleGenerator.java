package org.unet4j.recipes.train;

import org.unet4j.recipes.data.LabelledImage;

/**
 * Training images made on demand (simulated cells, a database, a stream), one per batch slot. The
 * {@code n}th image must depend on {@code n} alone: then a resumed run sees what an uninterrupted
 * one would have, and two runs of the same recipe train alike. Called from several threads at once.
 *
 * <p>From Kotlin: {@code SampleGenerator { n -> LabelledImage.of(w, h, pixels(n), cells(n)) }}.
 */
@FunctionalInterface
public interface SampleGenerator {

  /** The {@code index}th training image (0, 1, 2, ... over the whole run). */
  LabelledImage generate(long index);
}
