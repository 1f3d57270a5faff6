package org.unet4j.recipes.infer;

/**
 * The tiles of a net whose output is {@code stride} times coarser than its input, read back at the
 * input's resolution: every class channel of every tile's output upsampled bilinearly
 * ({@link BilinearUpsampling}), so the overlap-tile loop places them as it places a full U-Net's.
 */
final class UpsampledTiles implements TileModel {
  private final TileModel coarse;
  private final int output;
  private final int classes;
  private final BilinearUpsampling upsampling;

  /**
   * @param output the net's output height and width per tile
   * @param classes the channels of its output
   */
  UpsampledTiles(TileModel coarse, int output, int classes, int stride) {
    this.coarse = coarse;
    this.output = output;
    this.classes = classes;
    this.upsampling = new BilinearUpsampling(stride);
  }

  /**
   * The coarse outputs go to an array of their own per call (several threads may call at once), so
   * a stride net's tiles allocate what a full-resolution net's do not.
   */
  @Override
  public void predict(float[] tiles, int batch, float[] probabilities) {
    int pixels = output * output;
    float[] coarseOut = new float[batch * pixels * classes];
    coarse.predict(tiles, batch, coarseOut);
    int fine = pixels * upsampling.stride() * upsampling.stride();
    float[] channel = new float[pixels];
    for (int b = 0; b < batch; b++) {
      for (int k = 0; k < classes; k++) {
        for (int p = 0; p < pixels; p++) {
          channel[p] = coarseOut[(b * pixels + p) * classes + k];
        }
        float[] up = upsampling.upsample(channel, output, output);
        for (int p = 0; p < fine; p++) {
          probabilities[(b * fine + p) * classes + k] = up[p];
        }
      }
    }
  }

  @Override
  public void close() {
    coarse.close();
  }
}
