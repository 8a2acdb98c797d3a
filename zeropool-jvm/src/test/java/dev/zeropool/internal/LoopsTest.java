package dev.zeropool.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeropool.Split;
import dev.zeropool.ZeroPool;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The loops' bodies at the edges of their ranges, and a search's two threads in a fixed order: a
 * thread that is inside its chunk when another one finds a match stops at its next index ({@link
 * Loops}' class comment), which the results alone cannot show. The functions fail on any index outside
 * the range and the fold's operator on a call too many, so a loop that runs past its end fails at
 * once instead of running for four billion indices.
 */
class LoopsTest {

  /** Bound of every wait ({@code -Dzeropool.test.waitSeconds}, shortened by the mutation profile). */
  private static final long WAIT_SECONDS = Long.getLong("zeropool.test.waitSeconds", 10);

  /** {@code i}, or a failure if {@code i} is outside {@code [from, to)}. */
  private static long inRange(int i, int from, int to) {
    if (i < from || i >= to) {
      throw new IllegalStateException("index " + i + " outside [" + from + ", " + to + ")");
    }
    return i;
  }

  @Test
  void sumsAndFoldsTakeEveryIndexOfAnOffsetRangeOnceAndNoOther() {
    AtomicInteger merges = new AtomicInteger();
    try (ZeroPool pool = ZeroPool.create(1)) {
      for (Split split : new Split[] {Split.adaptive(), Split.per(2), Split.perItem()}) {
        assertEquals(5 + 6 + 7 + 8 + 9, pool.sumLong(5, 10, split, i -> inRange(i, 5, 10)), split.toString());
        assertEquals(35.0, pool.sumDouble(5, 10, split, i -> inRange(i, 5, 10)), split.toString());
        merges.set(0);
        long product = pool.reduce(5, 10, split, 1L, i -> inRange(i, 5, 10), (a, b) -> {
          // 5 folds and at most one merge per chunk, with a few retries when merges collide
          if (merges.incrementAndGet() > 100) {
            throw new IllegalStateException("the operator was called " + merges.get() + " times");
          }
          return a * b;
        });
        assertEquals(5L * 6 * 7 * 8 * 9, product, split.toString());
        assertEquals(-1, pool.findAny(5, 10, split, i -> inRange(i, 5, 10) < 0), split.toString());
        AtomicInteger ran = new AtomicInteger();
        pool.forRange(5, 10, split, i -> ran.addAndGet((int) inRange(i, 5, 10)));
        assertEquals(35, ran.get(), split.toString());
      }
    }
  }

  @Test
  void aThreadInsideItsChunkStopsAtItsNextIndexOnceAnotherThreadFoundAMatch() throws Exception {
    Thread caller = Thread.currentThread();
    CountDownLatch workerInside = new CountDownLatch(1);
    AtomicBoolean workerCameInTime = new AtomicBoolean();
    AtomicBoolean callerParkedInTime = new AtomicBoolean();
    AtomicInteger callerIndex = new AtomicInteger(-1);
    AtomicInteger testedByWorker = new AtomicInteger();
    int found;
    try (ZeroPool pool = ZeroPool.create(1)) {
      // two chunks of two: the caller runs one, the worker (woken by the published slot) the other
      found = pool.findAny(0, 4, Split.per(2), i -> {
        if (Thread.currentThread() == caller) {
          try {
            workerCameInTime.set(workerInside.await(WAIT_SECONDS, TimeUnit.SECONDS));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          callerIndex.set(i);
          return true; // the match, while the worker is inside its chunk
        }
        if (testedByWorker.incrementAndGet() == 1) {
          workerInside.countDown();
          // the caller parks only after its match is recorded and nothing is left to claim
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
          while (!(caller.getState() == Thread.State.WAITING && LockSupport.getBlocker(caller) != null)
              && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(100_000L);
          }
          callerParkedInTime.set(System.nanoTime() - deadline < 0);
        }
        return false;
      });
    }
    assertTrue(workerCameInTime.get(), "the worker never took the second chunk");
    assertTrue(callerParkedInTime.get(), "the caller never waited for the worker's chunk");
    assertEquals(callerIndex.get(), found);
    assertEquals(1, testedByWorker.get(), "the worker tested another index after the match was found");
  }
}
