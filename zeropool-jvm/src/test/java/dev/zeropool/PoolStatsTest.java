package dev.zeropool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link PoolStats} gauges and {@link PoolCounters} counts, exact at moments the test makes quiet:
 * every worker parked, or every worker held in a {@link Gate} with work of both tiers queued
 * behind them.
 */
class PoolStatsTest {

  static final TaskFn<AtomicInteger> COUNT = AtomicInteger::incrementAndGet;

  @Test
  void gaugesAndCountsUnderMixedTiers() throws Exception {
    PoolCounters counters = new PoolCounters();
    ZeroPool pool = ZeroPool.builder().workers(2).metrics(counters).build();
    try {
      Waits.parked(pool);
      PoolStats idle = pool.stats();
      assertEquals(0, idle.busyWorkers());
      assertEquals(2, idle.parkedWorkers());
      assertEquals(0, idle.queuedTasks());
      long wakeUpsBefore = idle.wakeUps();

      Gate first = Gate.hold(pool); // each submission pops one parked worker
      Gate second = Gate.hold(pool);
      AtomicInteger ran = new AtomicInteger();
      TaskFuture[] queued;
      try {
        assertEquals(2, pool.stats().wakeUps() - wakeUpsBefore, "one wake-up per held worker");
        // Single tasks: a queued batch is counted as one entry by the present gauge (see the report).
        queued = new TaskFuture[] {
            pool.submitTask(COUNT, ran),
            pool.submitTask(COUNT, ran, TaskOptions.BACKGROUND),
            pool.submitTask(COUNT, ran, TaskOptions.BACKGROUND),
            pool.submitTask(COUNT, ran),
            pool.submitTask(x -> { throw new IllegalStateException("counted as failed"); }, null, TaskOptions.BACKGROUND)};
        pool.execute(ran::incrementAndGet);
        PoolStats busy = pool.stats();
        assertEquals(6, busy.queuedTasks(), "3 foreground and 3 background tasks wait");
        assertEquals(2, busy.busyWorkers());
        assertEquals(0, busy.parkedWorkers());
        assertEquals(8, busy.submitted());
        assertEquals(0, busy.completed());
      } finally {
        first.release();
        second.release();
      }
      for (int i = 0; i < 4; i++) {
        Waits.done(queued[i]);
      }
      assertThrows(CompletionException.class, () -> queued[4].await(Waits.SECONDS, TimeUnit.SECONDS));
      Waits.until(() -> ran.get() == 5, "the execute() task ran");
      assertEquals(5, ran.get());
      Waits.parked(pool);
      PoolStats after = pool.stats();
      assertEquals(0, after.queuedTasks());
      assertEquals(0, after.busyWorkers());
      assertEquals(2, after.parkedWorkers());
      assertEquals(8, after.submitted());
      assertEquals(7, after.completed(), "the two gates and five counts");
      assertEquals(1, after.failed());
      assertEquals(0, after.cancelled());
      assertEquals(0, after.rejected());
      assertEquals(counters.wakeUps(), after.wakeUps());
      assertEquals(counters.submitted(), after.submitted());
      assertEquals(counters.completed(), after.completed());
      assertEquals(counters.failed(), after.failed());
    } finally {
      pool.shutdownNow();
    }
    assertTrue(pool.awaitTermination(Waits.SECONDS, TimeUnit.SECONDS));
    assertEquals(0, pool.stats().busyWorkers(), "terminated workers are neither busy nor parked");
    assertEquals(0, pool.stats().parkedWorkers());
  }
}
