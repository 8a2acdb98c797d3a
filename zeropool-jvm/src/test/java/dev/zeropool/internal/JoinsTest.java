package dev.zeropool.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Joins} called directly: what a fork of nothing costs. The forks themselves are tested through
 * the pool in {@code ForkJoinTest}.
 */
class JoinsTest {

  private WorkerPool pool;

  @AfterEach
  void stopPool() {
    if (pool != null) {
      pool.shutdownNow("test over", false);
    }
  }

  @Test
  void aJoinOfNoPartsAllocatesNothing() {
    Allocations counter = Allocations.ofThisThread();
    pool = new WorkerPool("joins-test", 1, r -> {
      Thread t = new Thread(r, "joins-test-worker");
      t.setDaemon(true);
      return t;
    }, 0L, null, null, null, 0L, 0);
    Runnable[] none = new Runnable[0];
    Joins.joinAll(pool, none);
    int rounds = 2_000;
    long before = counter.bytes();
    for (int i = 0; i < rounds; i++) {
      Joins.joinAll(pool, none);
    }
    long allocated = counter.bytes() - before;
    // an entry is some 50 bytes: one per call would be 100 kB here
    assertTrue(allocated < 8L * rounds, rounds + " joins of no parts allocated " + allocated + " bytes");
  }
}
