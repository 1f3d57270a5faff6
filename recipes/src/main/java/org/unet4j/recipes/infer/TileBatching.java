package org.unet4j.recipes.infer;

import static com.google.common.base.Preconditions.checkArgument;

import org.unet4j.dsl.model.LayerShape;
import org.unet4j.dsl.model.ModelSpec;
import org.unet4j.dsl.model.Size3;

/**
 * How many tiles go through the net at once. Without test-time augmentation
 * {@code inference.batchSize}; with it, each of those tiles comes with its transformed copies
 * ({@link OverlapTiles} puts tile {@code m} of every copy side by side), so that the 4 or 8 copies
 * cost one run of the net rather than 4 or 8, as far as memory allows: the batch's activations,
 * counted as every layer's output map for every tile, stay within {@link #ACTIVATION_BUDGET_BYTES}.
 * Above that the batch shrinks, never below {@code batchSize}.
 *
 * <p>The sum of all output maps over-counts what an inference pass holds at once (it frees a map
 * once its consumers ran, keeping the skips), but it grows with the tile and the widths exactly as
 * the real peak does and needs no measurement. The paper's net counts 741 MB a tile at 572 and
 * 1.2 GB at 700, so it predicts its copies one by one (its single-tile pass already keeps both
 * cores busy); {@code nuclei-demo} counts 32 MB at its tile 252 and predicts all 8 copies of a
 * tile together.
 */
final class TileBatching {
  /**
   * The most activation bytes one batch may count: 1 GiB, so that averaging copies never costs
   * more memory than a batch of one large tile.
   */
  static final long ACTIVATION_BUDGET_BYTES = 1L << 30;

  private TileBatching() {}

  /**
   * Tiles per batch for {@code copies} transformed copies of each of {@code batchSize} tiles of
   * {@code model} at {@code tile}.
   */
  static int tilesPerBatch(ModelSpec model, int tile, int batchSize, int copies) {
    checkArgument(batchSize >= 1 && copies >= 1, "batchSize and copies must be positive, got %s and %s",
        batchSize, copies);
    if (copies == 1) {
      return batchSize;
    }
    return fit(activationBytes(model, tile), batchSize, copies);
  }

  /**
   * Tiles per batch for {@code copies} transformed copies of each of {@code batchSize} volume tiles
   * of a 3D {@code model} at {@code tile}.
   */
  static int tilesPerBatch(ModelSpec model, Size3 tile, int batchSize, int copies) {
    checkArgument(batchSize >= 1 && copies >= 1, "batchSize and copies must be positive, got %s and %s",
        batchSize, copies);
    if (copies == 1) {
      return batchSize;
    }
    long values = 0;
    for (LayerShape layer : model.volumeGeometry().layers(tile)) {
      values += (long) layer.depth() * layer.height() * layer.width() * layer.channels();
    }
    return fit(values * Float.BYTES, batchSize, copies);
  }

  private static int fit(long tileBytes, int batchSize, int copies) {
    long fits = ACTIVATION_BUDGET_BYTES / tileBytes;
    return (int) Math.max(batchSize, Math.min((long) batchSize * copies, fits));
  }

  /** Bytes of every layer's output map for one tile: float32, batch 1. */
  static long activationBytes(ModelSpec model, int tile) {
    long values = 0;
    for (LayerShape layer : model.geometry().layers(tile)) {
      values += (long) layer.height() * layer.width() * layer.channels();
    }
    return values * Float.BYTES;
  }
}
