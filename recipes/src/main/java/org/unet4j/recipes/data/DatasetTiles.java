package org.unet4j.recipes.data;

import java.util.List;
import org.unet4j.augment.Augmenter;
import org.unet4j.augment.Sample;
import org.unet4j.augment.TileShape;

/**
 * Training tiles from loaded samples: for every step and batch slot a sample and a tile position
 * drawn from the run seed, the recipe's augmentation applied (one displacement field, one
 * resampling), the input tile of the net's valid size and the label/weight crop its output covers.
 */
public final class DatasetTiles implements TileSource {
  private final List<Sample> samples;
  private final Augmenter augmenter;
  private final TileShape shape;
  private final int channels;
  private final int batchSize;
  private final long seed;

  /**
   * @param tile the net's input tile; {@code output} its output size (the geometry engine's)
   */
  public DatasetTiles(List<Sample> samples, Augmenter augmenter, int tile, int output, int batchSize, long seed) {
    if (samples.isEmpty()) {
      throw new DataException("no training samples");
    }
    this.samples = List.copyOf(samples);
    this.augmenter = augmenter;
    this.shape = TileShape.square(tile, output);
    this.channels = samples.get(0).channels();
    this.batchSize = batchSize;
    this.seed = seed;
  }

  @Override
  public Batch batch(long step) {
    return Batch.of(batchSize, shape, channels, b -> {
      TileDraw draw = TileDraw.of(seed, step, b, samples.size());
      return augmenter.randomTile(samples.get(draw.sample()), shape, draw.seed());
    });
  }
}
