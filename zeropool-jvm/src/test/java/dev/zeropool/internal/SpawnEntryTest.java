package dev.zeropool.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A spawned task's entry against its pool directly, for what the public {@code spawn} cannot reach: a
 * start that loses the race with {@code shutdown()} ({@code spawn} checks the pool before it starts
 * the entry, so through it the refusal needs a shutdown between the two). The pool is shut down, so
 * no worker ever runs these tasks: whatever runs them is the thread that waits, and a wait that
 * would leave them to a worker fails a bounded join here instead of hanging.
 */
class SpawnEntryTest {

  /** Bound of every wait ({@code -Dzeropool.test.waitSeconds}, shortened by the mutation profile). */
  private static final long WAIT_SECONDS = Long.getLong("zeropool.test.waitSeconds", 10);

  private WorkerPool pool;

  @BeforeEach
  void shutDownPool() {
    pool = new WorkerPool("spawn-test", 1, r -> {
      Thread t = new Thread(r, "spawn-test-worker");
      t.setDaemon(true);
      return t;
    }, 0L, null, null, null, 0L, 0);
    pool.shutdown();
  }

  @AfterEach
  void stopPool() {
    pool.shutdownNow("test over", false);
  }

  @Test
  void aStartAfterShutdownIsRefusedAndTheTaskStillRunsOnceOnItsJoiner() {
    AtomicInteger runs = new AtomicInteger();
    SpawnEntry<Integer> spawned = new SpawnEntry<>(pool, runs::incrementAndGet);
    assertFalse(spawned.start(), "a shut-down pool takes no new slot");
    assertEquals(0, pool.background.size(), "nothing was queued");
    assertFalse(spawned.isDone());
    assertEquals(1, spawned.join(), "the joiner runs a task nobody started");
    assertEquals(1, runs.get());
    assertTrue(spawned.isDone());
    CompletableFuture<Integer> future = spawned.toCompletableFuture();
    assertTrue(future.isDone(), "the view of a finished task is completed at once");
    assertEquals(1, future.getNow(-1));
  }

  @Test
  void getRunsATaskNobodyStartedOnTheCallingThread() throws Exception {
    SpawnEntry<Thread> spawned = new SpawnEntry<>(pool, Thread::currentThread);
    assertFalse(spawned.start());
    AtomicReference<Object> got = new AtomicReference<>();
    Thread caller = new Thread(() -> {
      try {
        got.set(spawned.get());
      } catch (Throwable t) {
        got.set(t);
      }
    }, "spawn-getter");
    caller.setDaemon(true); // left waiting if get() leaves the task to a worker
    caller.start();
    caller.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
    assertFalse(caller.isAlive(), "get() waited for a worker instead of running the task");
    assertSame(caller, got.get());
  }
}
