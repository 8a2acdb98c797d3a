package dev.zeropool.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Timed waits on a {@link Completion} of a pool with a long spin window, whose workers never run (the
 * test completes the submission by hand): a wait spins at most for what is left of its timeout.
 */
class CompletionTest {

  /** Far longer than any timeout below: a wait that spun the whole window would show. */
  private static final long SPIN_NANOS = TimeUnit.SECONDS.toNanos(3);

  /** Bound of every wait ({@code -Dzeropool.test.waitSeconds}, shortened by the mutation profile). */
  private static final long WAIT_SECONDS = Long.getLong("zeropool.test.waitSeconds", 10);

  private WorkerPool pool;

  @BeforeEach
  void idlePool() {
    pool = idlePool(SPIN_NANOS);
  }

  private static WorkerPool idlePool(long spinNanos) {
    return new WorkerPool("completion-test", 1, r -> new Thread(() -> { }, "completion-test-idle"), spinNanos,
        null, null, null, 0L, 0);
  }

  @AfterEach
  void stopPool() {
    pool.shutdownNow("test over", false);
  }

  @Test
  void aTimedWaitSpinsNoLongerThanItsTimeout() throws Exception {
    Completion never = new Completion(pool, 1, false, null);
    long start = System.nanoTime();
    assertFalse(never.await(20, TimeUnit.MILLISECONDS));
    assertThrows(TimeoutException.class, () -> never.get(20, TimeUnit.MILLISECONDS));
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(tookMillis < TimeUnit.NANOSECONDS.toMillis(SPIN_NANOS) / 2,
        "two waits of 20 ms took " + tookMillis + " ms: the spin window (3 s) was not cut to the timeout");
    assertEquals(0, never.waiterCount(), "the timed-out waiters left the stack");
  }

  @Test
  void aTimedWaitThatParksAnswersWhetherTheSubmissionCompletedMeanwhile() throws Exception {
    WorkerPool noSpin = idlePool(0L);
    try {
      Completion never = new Completion(noSpin, 1, false, null);
      assertFalse(never.await(20, TimeUnit.MILLISECONDS), "parked past its timeout: not done");
      assertEquals(0, never.waiterCount());
      Completion later = new Completion(noSpin, 1, false, null);
      Thread completer = new Thread(() -> {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (later.waiterCount() == 0 && System.nanoTime() - deadline < 0) {
          Thread.onSpinWait(); // until the waiter is parked (or about to be)
        }
        later.tasksDone(1);
      }, "completion-test-completer");
      completer.start();
      assertTrue(later.await(WAIT_SECONDS, TimeUnit.SECONDS), "completed while the waiter was parked");
      completer.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
      assertFalse(completer.isAlive());
    } finally {
      noSpin.shutdownNow("test over", false);
    }
  }

  @Test
  void theWaitsOfAVoidFutureReturnNullOrThrowItsFailure() throws Exception {
    Completion ok = new Completion(pool, 1, false, null);
    CompletableFuture<Void> dependent = ok.toCompletableFuture();
    ok.tasksDone(1);
    assertNull(ok.get());
    assertNull(ok.get(0, TimeUnit.SECONDS));
    assertNull(dependent.join());
    assertNull(dependent.get());
    Completion failed = new Completion(pool, 1, false, null);
    IllegalStateException cause = new IllegalStateException("task failed");
    failed.taskFailed(cause);
    failed.tasksDone(1);
    assertEquals(cause, assertThrows(ExecutionException.class, failed::get).getCause());
    assertEquals(cause, assertThrows(ExecutionException.class, () -> failed.get(1, TimeUnit.SECONDS)).getCause());
    assertInstanceOf(IllegalStateException.class,
        assertThrows(ExecutionException.class, () -> failed.toCompletableFuture().get()).getCause());
    assertInstanceOf(IllegalStateException.class,
        assertThrows(CompletionException.class, () -> failed.toCompletableFuture().join()).getCause());
  }
}
