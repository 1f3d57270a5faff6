package org.unet4j.recipes.data;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Worker pools for loading and augmentation: daemon threads, so they never keep the JVM alive. */
final class DaemonThreads {
  private DaemonThreads() {}

  static ExecutorService pool(String name, int threads) {
    return Executors.newFixedThreadPool(Math.max(1, threads), task -> {
      Thread thread = new Thread(task, name);
      thread.setDaemon(true);
      return thread;
    });
  }

  /**
   * The result of a task of such a pool; a task's own exception is rethrown as it is, so a user
   * error (a missing file, a bad label) reaches the command line unchanged.
   */
  static <T> T result(Future<T> task, String doing) {
    try {
      return task.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while " + doing, e);
    }
  }
}
