package org.unet4j.recipes.infer;

/**
 * A net that maps a batch of square tiles to their class probabilities: a restored checkpoint or
 * an exported SavedModel. Safe to call from several threads (TensorFlow sessions are).
 */
interface TileModel extends AutoCloseable {
  /**
   * The probabilities {@code [batch, out, out, classes]} of {@code tiles}
   * {@code [batch, tile, tile, channels]}, both flattened channels-last.
   */
  float[] predict(float[] tiles, int batch);

  @Override
  void close();
}
