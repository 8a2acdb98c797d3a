package dev.zeropool;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Edges of {@link ZeroPool}'s public surface: the bounds the builder accepts, the longest range,
 * the default-split overloads, the queued {@code execute} after a shutdown, an interrupted graceful
 * shutdown.
 */
class ZeroPoolEdgesTest {

  @Test
  void theBuilderAcceptsItsBoundsAndRefusesWhatLiesBeyond() {
    ZeroPool.Builder builder = ZeroPool.builder();
    assertDoesNotThrow(() -> builder.spinWindow(Duration.ZERO));
    assertDoesNotThrow(() -> builder.spinWindow(Duration.ofSeconds(1)));
    assertThrows(IllegalArgumentException.class, () -> builder.spinWindow(Duration.ofNanos(-1)));
    assertThrows(IllegalArgumentException.class, () -> builder.spinWindow(Duration.ofSeconds(1).plusNanos(1)));
    assertDoesNotThrow(() -> builder.starvationWatchdog(Duration.ofMillis(10), 0));
    assertDoesNotThrow(() -> builder.starvationWatchdog(Duration.ofHours(1), 3));
    assertThrows(IllegalArgumentException.class,
        () -> builder.starvationWatchdog(Duration.ofMillis(10).minusNanos(1), 1));
    assertThrows(IllegalArgumentException.class,
        () -> builder.starvationWatchdog(Duration.ofHours(1).plusNanos(1), 1));
    assertThrows(IllegalArgumentException.class, () -> builder.starvationWatchdog(Duration.ofSeconds(1), -1));
  }

  @Test
  void aRangeOfExactlyIntegerMaxValueIndicesIsAccepted() {
    try (ZeroPool pool = ZeroPool.builder().workers(2).withoutStarvationWatchdog().build()) {
      assertTrue(pool.anyMatch(0, Integer.MAX_VALUE, i -> true), "the search stops at its first match");
      assertThrows(IllegalArgumentException.class, () -> pool.anyMatch(-1, Integer.MAX_VALUE, i -> true));
    }
  }

  @Test
  void theDefaultSplitSumOfDoublesAddsEveryIndex() {
    try (ZeroPool pool = ZeroPool.builder().workers(2).withoutStarvationWatchdog().build()) {
      assertEquals(500.0, pool.sumDouble(0, 1000, i -> 0.5));
      assertEquals(0.0, pool.sumDouble(3, 3, i -> 1.0));
    }
  }

  @Test
  void aQueuedExecuteAfterShutdownIsRejected() {
    ZeroPool pool = ZeroPool.builder().workers(1).withoutStarvationWatchdog().build();
    pool.shutdown();
    assertThrows(RejectedExecutionException.class, () -> pool.executeQueued(() -> { }));
  }

  @Test
  void anInterruptedGracefulShutdownStopsTheWorkAndKeepsTheInterrupt() throws Exception {
    ZeroPool pool = ZeroPool.builder().workers(1).withoutStarvationWatchdog().build();
    Gate gate = Gate.hold(pool); // never released: only the stop's interrupt ends it
    try {
      Thread.currentThread().interrupt();
      assertFalse(pool.shutdownGracefully(Duration.ofMinutes(1)), "an interrupt counts as the deadline passing");
      assertTrue(Thread.interrupted(), "the interrupt is re-asserted");
      assertTrue(pool.awaitTermination(Waits.SECONDS, TimeUnit.SECONDS), "the running task was interrupted");
    } finally {
      Thread.interrupted();
      gate.release();
      pool.shutdownNow();
    }
  }

  @Test
  void theQueuedGaugeCountsABatchByItsTasksAndARunNextTaskToo() throws Exception {
    ZeroPool pool = ZeroPool.builder().workers(1).withoutStarvationWatchdog().build();
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger ran = new AtomicInteger();
    try {
      TaskFuture holder = pool.submitTask(ignored -> {
        pool.execute(ran::incrementAndGet); // waits in this worker's run-next slot
        started.countDown();
        WaitsTest.awaitLatch(release);
      }, null);
      Waits.open(started, "the holding task runs");
      TaskFuture batch = pool.submitBatch(WaitsTest.COUNT,
          new AtomicInteger[] {ran, ran, ran, ran, ran});
      assertEquals(6, pool.stats().queuedTasks(), "five tasks of the batch (not its slot) and the run-next task");
      release.countDown();
      Waits.done(holder);
      Waits.done(batch);
      Waits.until(() -> ran.get() == 6, "every task ran");
      assertEquals(0, pool.stats().queuedTasks());
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }

  @Test
  void aThreadFactoryThatReturnsNullIsReportedClearly() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> ZeroPool.builder().workers(1).threadFactory(r -> null).build());
    assertTrue(e.getMessage().contains("threadFactory returned null"), e.getMessage());
  }

  @Test
  void aBatchRefusedAfterShutdownLeavesTheQueuedGaugeAsItWas() throws Exception {
    ZeroPool pool = ZeroPool.builder().workers(1).withoutStarvationWatchdog().build();
    Gate gate = Gate.hold(pool);
    try {
      pool.submitTask(WaitsTest.COUNT, new AtomicInteger()); // queued behind the gate
      pool.shutdown();
      assertThrows(RejectedExecutionException.class, () -> pool.submitBatch(WaitsTest.COUNT,
          new AtomicInteger[] {new AtomicInteger()}));
      assertEquals(1, pool.stats().queuedTasks(), "only the task queued before the shutdown");
    } finally {
      gate.release();
      pool.shutdownNow();
    }
  }

  @Test
  void anOutsideWaiterRunsItsQueuedBackgroundTaskInPlace() throws Exception {
    ZeroPool pool = ZeroPool.builder().workers(1).withoutStarvationWatchdog().build();
    Gate gate = Gate.hold(pool);
    try {
      AtomicInteger ran = new AtomicInteger();
      TaskFuture background = pool.submitTask(WaitsTest.COUNT, ran, TaskOptions.BACKGROUND);
      AtomicReference<Throwable> failed = new AtomicReference<>();
      Thread getter = new Thread(() -> {
        try {
          background.get();
        } catch (Throwable e) {
          failed.set(e);
        }
      }, "background-getter");
      getter.setDaemon(true);
      getter.start();
      Waits.ended(getter);
      assertEquals(null, failed.get());
      assertEquals(1, ran.get(), "the waiter found its task in the background queue");
    } finally {
      gate.release();
      pool.shutdownNow();
    }
  }

  @Test
  void anOutsideWaiterNeverRunsAnotherSubmissionsTask() throws Exception {
    ZeroPool pool = ZeroPool.builder().workers(1).withoutStarvationWatchdog().build();
    Gate gate = Gate.hold(pool);
    try {
      AtomicInteger unrelated = new AtomicInteger();
      AtomicInteger own = new AtomicInteger();
      pool.submitTask(WaitsTest.COUNT, unrelated); // at the head of the queue
      TaskFuture mine = pool.submitTask(WaitsTest.COUNT, own);
      Thread getter = new Thread(() -> {
        try {
          mine.get();
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      }, "own-getter");
      getter.setDaemon(true);
      getter.start();
      Waits.state(getter, Thread.State.WAITING, Thread.State.TIMED_WAITING); // its task is not at the head: it parks
      assertEquals(0, unrelated.get(), "the waiter left the other submission's task alone");
      assertEquals(0, own.get());
      gate.release();
      Waits.ended(getter);
      assertEquals(1, own.get());
    } finally {
      gate.release();
      pool.shutdownNow();
    }
  }
}
