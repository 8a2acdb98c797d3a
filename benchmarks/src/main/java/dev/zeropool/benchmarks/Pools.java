package dev.zeropool.benchmarks;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/** Creating and closing the pools under test, the same way in every benchmark. */
final class Pools {

  private Pools() {}

  /** {@return {@code workers}, or one per available processor when it is 0} */
  static int resolveWorkers(int workers) {
    return workers == 0 ? Runtime.getRuntime().availableProcessors() : workers;
  }

  /** Shuts {@code pool} down and waits for its workers, failing loudly if they do not stop. */
  static void close(ExecutorService pool) {
    if (pool == null) {
      return;
    }
    pool.shutdown();
    try {
      if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("pool did not terminate within 10 s: " + pool);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while closing " + pool, e);
    }
  }
}
