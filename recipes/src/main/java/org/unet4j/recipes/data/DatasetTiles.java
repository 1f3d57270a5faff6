package org.unet4j.recipes.data;

import java.util.List;
import org.unet4j.augment.Augmenter;
import org.unet4j.augment.Sample;
import org.unet4j.labels.Downsampling;

/**
 * Training tiles from loaded samples: for every step and batch slot a sample and a tile position
 * drawn from the run seed, the recipe's augmentation applied (one displacement field, one
 * resampling), the input tile of the net's valid size and the labels and weights of its output
 * grid ({@link OutputGrid}).
 */
public final class DatasetTiles implements TileSource {
  private final List<Sample> samples;
  private final Augmenter augmenter;
  private final OutputGrid grid;
  private final int channels;
  private final int batchSize;
  private final long seed;

  /**
   * Tiles for a net of output stride 1.
   *
   * @param tile the net's input tile; {@code output} its output size (the geometry engine's)
   */
  public DatasetTiles(List<Sample> samples, Augmenter augmenter, int tile, int output, int batchSize, long seed) {
    this(samples, augmenter, new OutputGrid(tile, output, Downsampling.of(1)), batchSize, seed);
  }

  /** Tiles whose targets lie on {@code grid}: {@link OutputGrid#of} of the model and its input tile. */
  public DatasetTiles(List<Sample> samples, Augmenter augmenter, OutputGrid grid, int batchSize, long seed) {
    if (samples.isEmpty()) {
      throw new DataException("no training samples");
    }
    this.samples = List.copyOf(samples);
    this.augmenter = augmenter;
    this.grid = grid;
    this.channels = samples.get(0).channels();
    this.batchSize = batchSize;
    this.seed = seed;
  }

  @Override
  public Batch batch(long step) {
    return Batch.of(batchSize, grid, channels, b -> {
      TileDraw draw = TileDraw.of(seed, step, b, samples.size());
      return augmenter.randomTile(samples.get(draw.sample()), grid.labelCrop(), draw.seed());
    });
  }
}
