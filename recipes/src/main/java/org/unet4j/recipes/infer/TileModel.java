package org.unet4j.recipes.infer;

/**
 * A net that maps a batch of square tiles to their class probabilities: a restored checkpoint or
 * an exported SavedModel. Safe to call from several threads (TensorFlow sessions are).
 */
interface TileModel extends AutoCloseable {
  /**
   * Writes the probabilities {@code [batch, out, out, classes]} of the first {@code batch} tiles
   * {@code [batch, tile, tile, channels]} of {@code tiles} to the start of {@code probabilities},
   * both flattened channels-last. The arrays may be longer than the batch, so that the tile loop
   * reuses one pair of arrays for every batch, a short last one included.
   */
  void predict(float[] tiles, int batch, float[] probabilities);

  @Override
  void close();
}
