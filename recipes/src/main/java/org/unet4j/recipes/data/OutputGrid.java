package org.unet4j.recipes.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import org.unet4j.augment.Tile;
import org.unet4j.augment.TileShape;
import org.unet4j.dsl.model.Geometry;
import org.unet4j.dsl.model.ModelSpec;
import org.unet4j.labels.Downsampling;

/**
 * Where a training tile's targets lie: the net's {@code output x output} grid at input tile
 * {@code tile}, one output pixel per {@code stride x stride} block of input pixels ({@link
 * Geometry#outputOrigin()}). A full U-Net has stride 1 and is trained on the labels under its
 * output; a net with fewer expanding than contracting stages is trained on the labels of the
 * blocks, downsampled by {@code downsampling} (majority class, ignored pixels not voting; largest weight).
 *
 * @param tile input height and width of a tile
 * @param output the net's output height and width at {@code tile}
 * @param downsampling the stride and how blocks of labels and weights become one target
 */
public record OutputGrid(int tile, int output, Downsampling downsampling) {

  public OutputGrid {
    checkNotNull(downsampling, "downsampling");
    checkArgument(tile >= 1 && output >= 1 && (long) output * downsampling.stride() <= tile,
        "a tile of %s cannot hold %s output pixels of stride %s", tile, output, downsampling.stride());
  }

  /**
   * The grid of {@code model} at a valid input {@code tile}. The blocks of its output pixels fill
   * the centred {@code output * stride} square of the tile, since the origin of the blocks is the
   * margin (see {@link Geometry#outputOrigin()}), so the augmenter's centred label crop holds them.
   */
  public static OutputGrid of(ModelSpec model, int tile) {
    Geometry g = model.geometry();
    return new OutputGrid(tile, g.outputSize(tile), Downsampling.of(g.outputStride()));
  }

  /** Input pixels per output pixel along each axis. */
  public int stride() {
    return downsampling.stride();
  }

  /** The image tile and the centred label crop an augmented tile needs: the blocks of the output pixels. */
  public TileShape labelCrop() {
    return TileShape.square(tile, output * stride());
  }

  /** The class of every output pixel of {@code tile}, row-major. */
  public int[] classes(Tile tile) {
    int side = output * stride();
    return stride() == 1 ? tile.labels() : downsampling.classes(tile.labels(), side, side);
  }

  /** The loss weight of every output pixel of {@code tile}, row-major. */
  public float[] weights(Tile tile) {
    int side = output * stride();
    return stride() == 1 ? tile.weights() : downsampling.weights(tile.weights(), side, side);
  }
}
