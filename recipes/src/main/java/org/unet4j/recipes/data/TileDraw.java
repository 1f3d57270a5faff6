package org.unet4j.recipes.data;

import org.unet4j.augment.Seeds;

/**
 * Which sample one batch slot of one training step draws, and the seed of its augmentation: a
 * function of the run seed, the step and the slot only, so training, resuming and the contact
 * sheet of {@code unet4j augment} all draw the same tiles.
 */
public record TileDraw(long step, int slot, long seed, int sample) {

  /** The draw of batch slot {@code slot} of step {@code step} among {@code samples} samples. */
  public static TileDraw of(long runSeed, long step, int slot, int samples) {
    long seed = Seeds.forSample(runSeed, step, slot);
    int sample = (int) Long.remainderUnsigned(org.unet4j.recipes.data.Seeds.mix(seed, 0), samples);
    return new TileDraw(step, slot, seed, sample);
  }

  /** The {@code n}-th tile of a run in step-major order (slot {@code n % batchSize} of step {@code n / batchSize}). */
  public static TileDraw nth(long runSeed, int batchSize, int samples, int n) {
    return of(runSeed, n / batchSize, n % batchSize, samples);
  }
}
