package org.unet4j.recipes.data;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Prepares the batches of the next steps on background threads while the net trains, so
 * augmentation stays off the training thread. Batches are a function of the step, so prefetching
 * changes nothing but the timing.
 */
public final class PrefetchingTiles implements TileSource, AutoCloseable {
  private final TileSource source;
  private final int ahead;
  private final ExecutorService pool;
  private final Map<Long, Future<Batch>> pending = new ConcurrentHashMap<>();

  public PrefetchingTiles(TileSource source, int threads, int ahead) {
    this.source = source;
    this.ahead = ahead;
    this.pool = DaemonThreads.pool("unet4j-tiles", threads);
  }

  @Override
  public Batch batch(long step) {
    for (long s = step; s <= step + ahead; s++) {
      long next = s;
      pending.computeIfAbsent(next, k -> pool.submit(() -> source.batch(next)));
    }
    pending.keySet().removeIf(s -> s < step);
    return DaemonThreads.result(pending.remove(step), "preparing tiles");
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
