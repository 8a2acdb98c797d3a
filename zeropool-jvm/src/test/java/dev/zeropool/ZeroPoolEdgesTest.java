package dev.zeropool;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
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
    java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicInteger ran = new java.util.concurrent.atomic.AtomicInteger();
    try {
      TaskFuture holder = pool.submitTask(ignored -> {
        pool.execute(ran::incrementAndGet); // waits in this worker's run-next slot
        started.countDown();
        WaitsTest.awaitLatch(release);
      }, null);
      Waits.open(started, "the holding task runs");
      TaskFuture batch = pool.submitBatch(WaitsTest.COUNT,
          new java.util.concurrent.atomic.AtomicInteger[] {ran, ran, ran, ran, ran});
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
}
