package org.unet4j.recipes.data;

import java.util.SplittableRandom;
import org.unet4j.dsl.model.ModelSpec;

/**
 * A learnable synthetic task for smoke tests and benchmarks: bright discs of random size on a
 * noisy dark background; class 1 inside the discs. Every batch is a pure function of the seed and
 * the step.
 */
public final class SyntheticTiles implements TileSource {
  private final int tile;
  private final OutputGrid grid;
  private final int output;
  private final int channels;
  private final int batchSize;
  private final long seed;

  public SyntheticTiles(ModelSpec model, int tile, int batchSize, long seed) {
    this.tile = tile;
    this.grid = OutputGrid.of(model, tile);
    this.output = grid.output();
    this.channels = model.inputChannels();
    this.batchSize = batchSize;
    this.seed = seed;
  }

  @Override
  public Batch batch(long step) {
    SplittableRandom random = new SplittableRandom(Seeds.mix(seed, step));
    float[] images = new float[batchSize * tile * tile * channels];
    int[] labels = new int[batchSize * output * output];
    float[] weights = new float[labels.length];
    java.util.Arrays.fill(weights, 1f);
    int side = output * grid.stride();
    int margin = (tile - side) / 2;
    for (int b = 0; b < batchSize; b++) {
      boolean[] inside = new boolean[tile * tile];
      int discs = 1 + random.nextInt(4);
      for (int d = 0; d < discs; d++) {
        double cx = random.nextDouble() * tile;
        double cy = random.nextDouble() * tile;
        double r = 3 + random.nextDouble() * tile / 6.0;
        for (int y = 0; y < tile; y++) {
          for (int x = 0; x < tile; x++) {
            if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r) {
              inside[y * tile + x] = true;
            }
          }
        }
      }
      for (int p = 0; p < tile * tile; p++) {
        float value = (float) ((inside[p] ? 0.75 : 0.25) + 0.1 * random.nextGaussian());
        for (int c = 0; c < channels; c++) {
          images[(b * tile * tile + p) * channels + c] = value;
        }
      }
      // the labels under the output's blocks, then one class per block (majority)
      int[] under = new int[side * side];
      for (int y = 0; y < side; y++) {
        for (int x = 0; x < side; x++) {
          under[y * side + x] = inside[(y + margin) * tile + x + margin] ? 1 : 0;
        }
      }
      System.arraycopy(grid.downsampling().classes(under, side, side), 0, labels, b * output * output,
          output * output);
    }
    return new Batch(batchSize, tile, channels, output, images, labels, weights);
  }
}
