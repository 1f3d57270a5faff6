package org.unet4j.recipes.data;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

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
}
