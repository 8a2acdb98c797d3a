package dev.zeropool.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A spawned task's entry against its pool directly, for what the public {@code spawn} cannot reach:
 * a start that loses the race with {@code shutdown()} ({@code spawn} checks the pool before it starts
 * the entry, so through it the refusal needs a shutdown between the two).
 */
class SpawnEntryTest {

  private WorkerPool pool;

  @AfterEach
  void stopPool() {
    if (pool != null) {
      pool.shutdownNow("test over", false);
    }
  }

  @Test
  void aStartAfterShutdownIsRefusedAndTheTaskStillRunsOnceOnItsJoiner() {
    pool = new WorkerPool("spawn-test", 1, r -> {
      Thread t = new Thread(r, "spawn-test-worker");
      t.setDaemon(true);
      return t;
    }, 0L, null, null, null, 0L, 0);
    pool.shutdown();
    AtomicInteger runs = new AtomicInteger();
    SpawnEntry<Integer> spawned = new SpawnEntry<>(pool, runs::incrementAndGet);
    assertFalse(spawned.start(), "a shut-down pool takes no new slot");
    assertEquals(0, pool.background.size(), "nothing was queued");
    assertFalse(spawned.isDone());
    assertEquals(1, spawned.join(), "the joiner runs a task nobody started");
    assertEquals(1, runs.get());
    assertTrue(spawned.isDone());
  }
}
