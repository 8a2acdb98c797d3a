package dev.zeropool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Workers park when idle and must all come back: after many idle/busy cycles (everyone parked,
 * bursts that wake a few, single tasks that wake one) every one of the N workers must still be
 * able to run at the same time, which N tasks meeting at a barrier prove. A worker lost on the idle
 * list makes the barrier time out, which fails its tasks and so the test, by assertion.
 *
 * <p>This checks the parking mechanism through the public API; the idle-worker structure itself is
 * not model-checked here (it is inside {@code WorkerPool} and the scheduler rewrite replaces it with
 * its own parking model test). Cycles: {@code -Dzeropool.stress.items} / 200_000 (at least 20).
 */
class WorkerParkingStressTest {

  private static final int CYCLES = (int) Math.max(20, Long.getLong("zeropool.stress.items", 12_000_000L) / 200_000);

  /** Meets the other tasks at the barrier; a worker that never comes breaks it with a timeout. */
  static final TaskFn<CyclicBarrier> MEET = barrier -> {
    try {
      barrier.await(Waits.SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("not every worker came to run its task", e);
    }
  };
  static final TaskFn<AtomicInteger> COUNT = AtomicInteger::incrementAndGet;

  @Test
  void afterIdleAndBusyCyclesAllWorkersRunAtOnce() throws Exception {
    for (int workers : new int[] {2, 4}) {
      ZeroPool pool = ZeroPool.builder().workers(workers).build();
      try {
        AtomicInteger counted = new AtomicInteger();
        int expected = 0;
        for (int cycle = 0; cycle < CYCLES; cycle++) {
          switch (cycle % 4) {
            case 0 -> Waits.parked(pool); // everyone on the idle list
            case 1 -> { // one task at a time: pops and re-pushes the same top worker
              for (int i = 0; i < 20; i++) {
                Waits.done(pool.submitTask(COUNT, counted));
                expected++;
              }
            }
            case 2 -> { // bursts that wake a cascade, with gaps
              for (int i = 0; i < 5; i++) {
                AtomicInteger[] burst = new AtomicInteger[1 + cycle % 7 * workers];
                java.util.Arrays.fill(burst, counted);
                Waits.done(pool.submitBatch(COUNT, burst));
                expected += burst.length;
                Thread.onSpinWait();
              }
            }
            default -> { // background work only
              Waits.done(pool.submitBatch(COUNT, new AtomicInteger[] {counted, counted}, TaskOptions.BACKGROUND));
              expected += 2;
            }
          }
          CyclicBarrier barrier = new CyclicBarrier(workers);
          TaskFuture[] meet = new TaskFuture[workers];
          if (cycle % 3 == 0) { // one batch: the first woken worker must wake the others
            CyclicBarrier[] params = new CyclicBarrier[workers];
            java.util.Arrays.fill(params, barrier);
            java.util.Arrays.fill(meet, pool.submitBatch(MEET, params));
          } else { // single tasks: one wake-up each
            for (int i = 0; i < workers; i++) {
              meet[i] = pool.submitTask(MEET, barrier, cycle % 2 == 0 ? TaskOptions.DEFAULT : TaskOptions.BACKGROUND);
            }
          }
          for (TaskFuture f : meet) {
            Waits.done(f); // a timed await never helps, so only workers can meet at the barrier
            assertNull(f.failure(), () -> "cycle " + f.failure());
          }
        }
        assertEquals(expected, counted.get());
      } finally {
        pool.shutdownNow();
      }
    }
  }
}
