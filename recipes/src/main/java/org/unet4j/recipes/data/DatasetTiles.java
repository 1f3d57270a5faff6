package org.unet4j.recipes.data;

import java.util.List;
import org.unet4j.augment.Augmenter;
import org.unet4j.augment.Sample;
import org.unet4j.augment.Tile;
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
    int tile = shape.imageHeight();
    int output = shape.labelHeight();
    float[] images = new float[batchSize * tile * tile * channels];
    int[] labels = new int[batchSize * output * output];
    float[] weights = new float[labels.length];
    for (int b = 0; b < batchSize; b++) {
      TileDraw draw = TileDraw.of(seed, step, b, samples.size());
      Tile t = augmenter.randomTile(samples.get(draw.sample()), shape, draw.seed());
      System.arraycopy(t.image(), 0, images, b * tile * tile * channels, tile * tile * channels);
      System.arraycopy(t.labels(), 0, labels, b * output * output, output * output);
      System.arraycopy(t.weights(), 0, weights, b * output * output, output * output);
    }
    return new Batch(batchSize, tile, channels, output, images, labels, weights);
  }
}
