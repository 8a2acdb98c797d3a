package dev.zeropool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CancellationException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * {@code shutdownNow()} racing with {@code execute} from many threads always terminates promptly,
 * even when every task would sleep for an hour: no task starts after the stop, and a task that starts
 * during it starts interrupted. Nothing accepted is lost: every task either started, was handed back
 * by {@code shutdownNow()}, or (claimed by a worker as the stop landed) was reported to the failure
 * handler as cancelled.
 */
class ShutdownNowStressTest {

  private static final int ROUNDS = Integer.getInteger("zeropool.stress.stopRounds", 60);

  @Test
  void shutdownNowRacingProducersOfHourLongTasksTerminates() throws Exception {
    AtomicInteger started = new AtomicInteger();
    Runnable sleepForAnHour = () -> {
      started.incrementAndGet();
      try {
        Thread.sleep(TimeUnit.HOURS.toMillis(1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // well behaved: ends on interrupt
      }
    };
    for (int round = 0; round < ROUNDS; round++) {
      started.set(0);
      AtomicInteger reportedCancelled = new AtomicInteger();
      ZeroPool pool = ZeroPool.builder().workers(10).withoutStarvationWatchdog()
          .failureHandler((fn, params, failure) -> {
            if (failure instanceof CancellationException) {
              reportedCancelled.incrementAndGet();
            }
          })
          .build();
      AtomicInteger accepted = new AtomicInteger();
      Thread[] producers = new Thread[4];
      for (int p = 0; p < producers.length; p++) {
        producers[p] = new Thread(() -> {
          try {
            for (int i = 0; i < 10_000; i++) {
              pool.execute(sleepForAnHour);
              accepted.incrementAndGet();
            }
          } catch (RejectedExecutionException expected) {
            // the pool stopped: this producer is done
          }
        });
        producers[p].start();
      }
      LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(2_000_000)); // stop at varied points
      int handedBack = pool.shutdownNow().size();
      assertTrue(pool.awaitTermination(Waits.SECONDS, TimeUnit.SECONDS),
          "round " + round + " did not terminate: " + pool + ", accepted " + accepted.get());
      for (Thread t : producers) {
        t.join(TimeUnit.SECONDS.toMillis(20));
        assertFalse(t.isAlive(), "a producer is still running in round " + round);
      }
      assertEquals(accepted.get(), started.get() + handedBack + reportedCancelled.get(),
          "round " + round + ": accepted tasks = started + handed back + reported as cancelled");
    }
  }

}
