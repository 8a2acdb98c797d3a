package dev.zeropool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * Batches run as range entries: every task of a batch runs exactly once however many workers and
 * waiters claim chunks of it at once, and a stop hands back exactly what has not run.
 */
class RangeBatchStressTest {

  private static final int ROUNDS = Integer.getInteger("zeropool.stress.rangeRounds", 400);

  /** Parameter of one task: which counter to bump. */
  record Slot(AtomicIntegerArray runs, int index) {}

  static final TaskFn<Slot> RUN = s -> s.runs().incrementAndGet(s.index());

  private static Slot[] slots(AtomicIntegerArray runs) {
    Slot[] slots = new Slot[runs.length()];
    for (int i = 0; i < slots.length; i++) {
      slots[i] = new Slot(runs, i);
    }
    return slots;
  }

  @Test
  void everyTaskRunsExactlyOnceWithManyClaimers() throws Exception {
    try (ZeroPool pool = ZeroPool.builder().workers(3).withoutStarvationWatchdog().build()) {
      for (int round = 0; round < ROUNDS; round++) {
        AtomicIntegerArray runs = new AtomicIntegerArray(1 + ThreadLocalRandom.current().nextInt(3000));
        TaskFuture f = round % 2 == 0 ? pool.submitBatch(RUN, slots(runs))
            : pool.submitBatch(RUN, List.of(slots(runs)));
        Thread secondWaiter = new Thread(f::join);
        secondWaiter.start();
        f.join();
        secondWaiter.join(TimeUnit.SECONDS.toMillis(30));
        for (int i = 0; i < runs.length(); i++) {
          assertEquals(1, runs.get(i), "round " + round + ", task " + i);
        }
      }
    }
  }

  @Test
  void aStopHandsBackExactlyWhatDidNotRun() throws Exception {
    for (int round = 0; round < ROUNDS / 4; round++) {
      ZeroPool pool = ZeroPool.builder().workers(2).withoutStarvationWatchdog().build();
      AtomicIntegerArray runs = new AtomicIntegerArray(20_000);
      TaskFuture f = pool.submitBatch(RUN, slots(runs));
      List<Runnable> handedBack = pool.shutdownNow();
      assertTrue(pool.awaitTermination(Waits.SECONDS, TimeUnit.SECONDS));
      int ran = 0;
      for (int i = 0; i < runs.length(); i++) {
        assertTrue(runs.get(i) <= 1, "task " + i + " ran twice");
        ran += runs.get(i);
      }
      assertTrue(f.isDone(), "round " + round);
      if (ran < runs.length()) {
        assertThrows(CancellationException.class, f::join);
      }
      assertTrue(handedBack.size() <= runs.length() - ran, "handed back a task that ran");
      for (Runnable r : handedBack) {
        r.run(); // running a handed-back task runs it: together nothing runs twice
      }
      for (int i = 0; i < runs.length(); i++) {
        assertTrue(runs.get(i) <= 1, "task " + i + " ran twice after hand-back");
      }
    }
  }
}
