package org.unet4j.recipes.infer;

import static com.google.common.base.Preconditions.checkArgument;

import org.jspecify.annotations.Nullable;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.unet4j.layers.CompiledModel;
import org.unet4j.recipes.model.Checkpoint;
import org.unet4j.recipes.model.Checkpoints;

/**
 * A checkpoint restored into a graph compiled at one tile: a square image tile
 * {@code [tile, tile, channels]} or a volume tile {@code [z, y, x, channels]}, fed as a batch.
 */
final class CheckpointTiles implements TileModel {
  private final CompiledModel model;
  private final Session session;
  /** A tile's shape without the batch, channels last. */
  private final long[] tile;
  private final long tileValues;

  private CheckpointTiles(CompiledModel model, Session session, long[] tile) {
    this.model = model;
    this.session = session;
    this.tile = tile.clone();
    long values = 1;
    for (long d : tile) {
      values *= d;
    }
    this.tileValues = values;
  }

  /**
   * Restores {@code checkpoint} into {@code model}, whose tiles have the shape {@code tile}
   * (channels last, without the batch); the model is closed if that fails.
   */
  static CheckpointTiles restore(CompiledModel model, Checkpoint checkpoint, long... tile) {
    @Nullable Session session = null;
    try {
      session = new Session(model.graph());
      Checkpoints.restore(session, model, checkpoint);
      return new CheckpointTiles(model, session, tile);
    } catch (RuntimeException | Error e) {
      if (session != null) {
        session.close();
      }
      model.close();
      throw e;
    }
  }

  @Override
  public void predict(float[] tiles, int batch, float[] probabilities) {
    checkArgument(batch >= 1, "batch must be positive, got %s", batch);
    long[] shape = new long[tile.length + 1];
    shape[0] = batch;
    System.arraycopy(tile, 0, shape, 1, tile.length);
    try (TFloat32 input = TFloat32.tensorOf(Shape.of(shape),
            DataBuffers.of(tiles, true, false).narrow(Math.multiplyExact(batch, tileValues)));
        Result result = session.runner().feed(model.input(), input).fetch(model.probabilities()).run()) {
      TFloat32 out = (TFloat32) result.get(0);
      out.asRawTensor().data().asFloats().read(probabilities, 0, Math.toIntExact(out.size()));
    }
  }

  @Override
  public void close() {
    session.close();
    model.close();
  }
}
