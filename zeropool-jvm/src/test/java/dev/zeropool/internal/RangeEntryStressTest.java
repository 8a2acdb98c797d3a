package dev.zeropool.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Range entries on a real pool, from several outside threads at once: random sizes, fixed and guided
 * chunks, a few slow units (so callers park and are woken by the last unit) and injected failures.
 * Every unit runs exactly once (plain, unsynchronized counters: the completion must publish them),
 * failures reach the caller with the rest suppressed, and stale queue slots of finished entries are
 * harmless. Size: {@code -Dzeropool.stress.items} scales the rounds.
 */
class RangeEntryStressTest {

  /** Bound of every wait ({@code -Dzeropool.test.waitSeconds}, shortened by the mutation profile). */
  private static final long WAIT_SECONDS = Long.getLong("zeropool.test.waitSeconds", 10);

  private static final int ROUNDS = (int) Math.max(300, Long.getLong("zeropool.stress.items", 12_000_000L) / 6_000);

  /** Counts runs per unit; unit {@code failAt} (if >= 0) and every later multiple of 7 throw. */
  static final class CountingEntry extends RangeEntry {
    final int[] runs;
    final int failAt;
    final int slowUnit;

    CountingEntry(WorkerPool pool, int units, int chunk, int failAt, int slowUnit) {
      super(pool, units, chunk, false, null);
      this.runs = new int[units];
      this.failAt = failAt;
      this.slowUnit = slowUnit;
    }

    @Override
    protected void runUnits(int from, int to) {
      for (int i = from; i < to; i++) {
        runs[i]++;
        if (i == slowUnit) {
          LockSupport.parkNanos(200_000);
        }
        if (failAt >= 0 && (i == failAt || (i > failAt && i % 7 == 0))) {
          throw new IllegalStateException("unit " + i);
        }
      }
    }
  }

  @Test
  void everyUnitRunsOnceAndFailuresReachTheCaller() throws Exception {
    WorkerPool pool = new WorkerPool("stress", 3, Thread::new, 20_000, null, null, null, 0, 0);
    AtomicReference<Throwable> problem = new AtomicReference<>();
    List<Thread> callers = new ArrayList<>();
    try {
      for (int t = 0; t < 4; t++) {
        callers.add(new Thread(() -> {
          try {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int round = 0; round < ROUNDS; round++) {
              int units = 1 + random.nextInt(round % 10 == 0 ? 100_000 : 2_000);
              int chunk = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(64);
              int failAt = random.nextInt(8) == 0 ? random.nextInt(units) : -1;
              int slow = random.nextInt(16) == 0 ? random.nextInt(units) : -1;
              CountingEntry entry = new CountingEntry(pool, units, chunk, failAt, slow);
              if (failAt < 0) {
                entry.invoke();
                for (int i = 0; i < units; i++) {
                  assertEquals(1, entry.runs[i], "unit " + i + " of " + units);
                }
              } else {
                CompletionException e = assertThrows(CompletionException.class, entry::invoke);
                assertTrue(e.getCause() instanceof IllegalStateException, e.toString());
                assertTrue(e.getSuppressed().length <= RangeEntry.MAX_SUPPRESSED);
                int ran = 0;
                for (int i = 0; i < units; i++) {
                  assertTrue(entry.runs[i] <= 1, "unit " + i + " ran twice");
                  ran += entry.runs[i];
                }
                assertTrue(entry.runs[failAt] == 1 || ran < units, "the failing unit ran or was skipped");
              }
              assertTrue(entry.isDone() && entry.isExhausted());
            }
          } catch (Throwable e) {
            problem.compareAndSet(null, e);
          }
        }));
      }
      callers.forEach(Thread::start);
      for (Thread t : callers) {
        t.join();
      }
      assertNull(problem.get(), () -> String.valueOf(problem.get()));
    } finally {
      pool.shutdown();
      assertTrue(pool.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS), "workers ended");
    }
  }

  @Test
  void onlyTheFirstFailureIsTheCauseAndAWorkerSurvivesIt() {
    WorkerPool pool = new WorkerPool("test", 2, Thread::new, 0, null, null, null, 0, 0);
    try {
      RuntimeException first = new RuntimeException("first");
      RangeEntry entry = new RangeEntry(pool, 1, 1, false, null) {
        @Override
        protected void runUnits(int from, int to) {
          throw first;
        }
      };
      CompletionException e = assertThrows(CompletionException.class, entry::invoke);
      assertSame(first, e.getCause());
      CountingEntry after = new CountingEntry(pool, 10_000, 1, -1, 5_000);
      after.invoke();
      for (int runs : after.runs) {
        assertEquals(1, runs);
      }
    } finally {
      pool.shutdownNow("test over", false);
    }
  }

  @Test
  void afterShutdownTheCallerRunsEverythingItself() {
    WorkerPool pool = new WorkerPool("test", 2, Thread::new, 0, null, null, null, 0, 0);
    pool.shutdown();
    CountingEntry entry = new CountingEntry(pool, 1_000, 3, -1, -1);
    entry.invoke();
    for (int runs : entry.runs) {
      assertEquals(1, runs);
    }
  }
}
