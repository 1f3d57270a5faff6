package org.unet4j.recipes.data;

import static com.google.common.base.Preconditions.checkNotNull;

import java.util.List;
import org.unet4j.augment.VolumeAugmenter;
import org.unet4j.augment.VolumeSample;
import org.unet4j.dsl.model.Size3;

/**
 * Training tiles of volumes, as {@link DatasetTiles} draws them from images: for every step and
 * batch slot a volume and a random block drawn from the run seed alone ({@link TileDraw}), the
 * recipe's augmentation applied in 3D, the net's valid input block and the label/weight crop its
 * output covers.
 */
public final class VolumeTiles implements TileSource {
  private final List<VolumeSample> samples;
  private final VolumeAugmenter augmenter;
  private final Size3 input;
  private final Size3 output;
  private final int channels;
  private final int batchSize;
  private final long seed;

  /**
   * @param input the net's input block; {@code output} its output (the volume geometry's)
   */
  public VolumeTiles(List<VolumeSample> samples, VolumeAugmenter augmenter, Size3 input, Size3 output, int batchSize,
      long seed) {
    if (samples.isEmpty()) {
      throw new DataException("no training volumes");
    }
    this.samples = List.copyOf(samples);
    this.augmenter = checkNotNull(augmenter, "augmenter");
    this.input = checkNotNull(input, "input");
    this.output = checkNotNull(output, "output");
    this.channels = samples.get(0).channels();
    this.batchSize = batchSize;
    this.seed = seed;
  }

  @Override
  public Batch batch(long step) {
    return Batch.ofVolumes(batchSize, input, output, channels, b -> {
      TileDraw draw = TileDraw.of(seed, step, b, samples.size());
      return augmenter.randomTile(samples.get(draw.sample()), input, output, draw.seed());
    });
  }
}
