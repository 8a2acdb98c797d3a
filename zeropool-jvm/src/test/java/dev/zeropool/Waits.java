package dev.zeropool;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Bounded waits for tests, so that a bug shows up as a failed assertion with a message rather than
 * as a hung test. The bound is generous for a loaded machine ({@code -Dzeropool.test.waitSeconds},
 * 10 s by default); the mutation profile shortens it so that PIT sees a mutant that loses work as a
 * failed test, not as a timed-out one.
 */
final class Waits {

  static final long SECONDS = Long.getLong("zeropool.test.waitSeconds", 10);

  private Waits() {}

  /** Waits for the future without helping (a timed await never runs tasks on the caller). */
  static void done(TaskFuture future) throws InterruptedException {
    assertTrue(future.await(SECONDS, TimeUnit.SECONDS), "the submission never completed: " + future);
  }

  static void open(CountDownLatch latch, String what) throws InterruptedException {
    assertTrue(latch.await(SECONDS, TimeUnit.SECONDS), what);
  }

  static void until(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        fail("timed out waiting until " + what);
      }
      Thread.sleep(1);
    }
  }

  /** Waits until {@code thread} is in one of {@code states} (e.g. parked in a wait). */
  static void state(Thread thread, Thread.State... states) throws InterruptedException {
    until(() -> Arrays.asList(states).contains(thread.getState()),
        thread.getName() + " is " + Arrays.toString(states) + " (it is " + thread.getState() + ")");
  }

  /** Waits until every worker of the pool is parked. */
  static void parked(ZeroPool pool) throws InterruptedException {
    until(() -> pool.stats().parkedWorkers() == pool.workerCount(),
        "all " + pool.workerCount() + " workers are parked: " + pool.stats());
  }

  /** Joins a thread within the bound and fails if it is still running. */
  static void ended(Thread thread) throws InterruptedException {
    thread.join(TimeUnit.SECONDS.toMillis(SECONDS));
    assertTrue(!thread.isAlive(), thread.getName() + " never ended");
  }
}
