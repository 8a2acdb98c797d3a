package dev.zeropool.samples;

import dev.zeropool.SpawnedTask;
import dev.zeropool.ZeroPool;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Background work with {@link ZeroPool#spawn}: spawned tasks run when no foreground work waits, in
 * spawn order; {@code join()} runs a task on the caller if no worker has started it, and
 * {@code cancel} takes one that has not started away for good.
 */
public final class SpawnedTasks {

  private SpawnedTasks() {}

  /** Runs the sample on {@code pool}. */
  public static void run(ZeroPool pool) throws Exception {
    SpawnedTask<Long> checksum = pool.spawn(() -> {
      long h = 0;
      for (int i = 0; i < 1_000_000; i++) {
        h = h * 31 + i;
      }
      return h;
    });
    System.out.println("spawn: checksum " + checksum.join());

    // Cancel before it starts: keep every worker busy with foreground work, then change our mind.
    CountDownLatch busy = new CountDownLatch(pool.workerCount());
    CountDownLatch release = new CountDownLatch(1);
    for (int i = 0; i < pool.workerCount(); i++) {
      pool.execute(() -> {
        busy.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
    }
    busy.await();
    AtomicBoolean ran = new AtomicBoolean();
    SpawnedTask<String> prefetch = pool.spawn(() -> {
      ran.set(true);
      return "prefetched";
    });
    boolean cancelled = prefetch.cancel(false); // not started: the workers are all busy
    release.countDown();
    System.out.println("spawn: cancelled before it started = " + cancelled + ", isCancelled = "
        + prefetch.isCancelled() + ", ran = " + ran.get());
  }
}
