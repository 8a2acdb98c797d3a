package dev.zeropool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Many producers submitting every shape at once (single tasks, uniform batches, pre-built mixed
 * batches, execute, nested submissions from inside tasks), some waiting by join (helping), some by
 * timed await (never helping): every task runs exactly once and every future completes.
 * Size: {@code -Dzeropool.stress.items} scales the rounds.
 */
class ZeroPoolStressTest {

  private static final int ROUNDS = (int) Math.max(200, Long.getLong("zeropool.stress.items", 12_000_000L) / 4_000);

  static final TaskFn<int[]> COUNT_SLOT = slot -> slot[0]++;

  @Test
  void everyTaskOfEveryShapeRunsExactlyOnce() throws Exception {
    int producers = 4;
    AtomicLong executed = new AtomicLong(); // counted by the execute() tasks themselves
    AtomicReference<Throwable> failure = new AtomicReference<>();
    try (ZeroPool pool = ZeroPool.builder().workers(3).build()) {
      TaskFn<AtomicLongArray> nested = counts -> pool.submitBatch(c -> c.incrementAndGet(0),
          new AtomicLongArray[] {counts, counts}).join();
      List<Thread> threads = new ArrayList<>();
      for (int p = 0; p < producers; p++) {
        threads.add(new Thread(() -> {
          try {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            AtomicLongArray nestedCount = new AtomicLongArray(1);
            long expectedNested = 0;
            for (int round = 0; round < ROUNDS; round++) {
              int n = 1 + random.nextInt(64);
              int[][] slots = new int[n][1];
              TaskFuture f;
              switch (round % 4) {
                case 0: f = pool.submitBatch(COUNT_SLOT, slots); break;
                case 1: f = pool.submitBatch(COUNT_SLOT, List.of(slots)); break;
                case 2: f = pool.submitBatch(TaskBatch.builder().addAll(COUNT_SLOT, slots)
                    .add(nested, nestedCount).build()); expectedNested += 2; break;
                default: f = pool.submitTask(COUNT_SLOT, slots[0]); n = 1; break;
              }
              if (random.nextBoolean()) {
                f.join();
              } else {
                assertTrue(f.await(Waits.SECONDS, TimeUnit.SECONDS), "a submission never completed");
              }
              for (int i = 0; i < n; i++) {
                assertEquals(1, slots[i][0], "task ran " + slots[i][0] + " times");
              }
              pool.execute(executed::incrementAndGet);
            }
            assertEquals(expectedNested, nestedCount.get(0));
          } catch (Throwable t) {
            failure.compareAndSet(null, t);
          }
        }));
      }
      threads.forEach(Thread::start);
      for (Thread t : threads) {
        t.join();
      }
    } // close() waits for the execute() tasks
    assertNull(failure.get());
    assertEquals((long) producers * ROUNDS, executed.get(), "every execute() task ran exactly once");
  }
}
