package dev.zeropool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * No lost wake-up under the wake-up rules (no signal while a worker spins, the cascade), for work
 * submitted from outside and for work a worker keeps in its run-next slot or its local queue. The tasks are {@code execute}d and awaited on latches, so no caller
 * ever helps: a task that no worker is woken for stays queued and the latch times out.
 */
class WakeUpStressTest {

  private static final int ROUNDS = Integer.getInteger("zeropool.stress.wakeRounds", 300);

  @Test
  void burstsWithIdleGapsAllRun() throws Exception {
    try (ZeroPool pool = ZeroPool.builder().workers(3).withoutStarvationWatchdog().build()) {
      for (int round = 0; round < ROUNDS; round++) {
        int burst = 1 + ThreadLocalRandom.current().nextInt(8);
        CountDownLatch done = new CountDownLatch(burst);
        for (int i = 0; i < burst; i++) {
          pool.execute(done::countDown);
        }
        assertTrue(done.await(Waits.SECONDS, TimeUnit.SECONDS), "round " + round + ": a task was never picked up");
        LockSupport.parkNanos(ThreadLocalRandom.current().nextInt(60_000)); // around the spin window
      }
    }
  }

  @Test
  void aSingleTaskAfterALongIdleRuns() throws Exception {
    try (ZeroPool pool = ZeroPool.builder().workers(2).withoutStarvationWatchdog().build()) {
      for (int round = 0; round < 20; round++) {
        Thread.sleep(5); // well past the spin window: every worker is parked
        CountDownLatch done = new CountDownLatch(1);
        pool.execute(done::countDown);
        assertTrue(done.await(Waits.SECONDS, TimeUnit.SECONDS), "round " + round);
      }
    }
  }

  /**
   * The owner queues a task locally and then blocks until it has run, so only another worker can run
   * it: that worker must be spinning, or listed and woken by the add, or see it before it parks,
   * whatever moment of its idle cycle the add hits.
   */
  @Test
  void aBlockedOwnersLocallyQueuedTaskIsStolenAtAnyMomentOfTheOtherWorkersIdleCycle() throws Exception {
    try (ZeroPool pool = ZeroPool.builder().workers(2).withoutStarvationWatchdog().build()) {
      for (int round = 0; round < ROUNDS; round++) {
        CountDownLatch stolen = new CountDownLatch(1);
        CountDownLatch ownerDone = new CountDownLatch(1);
        boolean[] ownerSawIt = new boolean[1];
        pool.execute(() -> {
          pool.executeQueued(stolen::countDown);
          try {
            ownerSawIt[0] = stolen.await(Waits.SECONDS, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } finally {
            ownerDone.countDown();
          }
        });
        assertTrue(ownerDone.await(2L * Waits.SECONDS, TimeUnit.SECONDS), "round " + round);
        assertTrue(ownerSawIt[0], "round " + round + ": nobody stole the blocked owner's queued task");
        LockSupport.parkNanos(ThreadLocalRandom.current().nextInt(60_000)); // around the spin window
      }
    }
  }

  @Test
  void manyProducersAndLocalHandOffsLoseNothing() throws Exception {
    int producers = 4;
    int perProducer = Math.max(100, ROUNDS * 20);
    try (ZeroPool pool = ZeroPool.builder().workers(2).withoutStarvationWatchdog().build()) {
      AtomicInteger ran = new AtomicInteger();
      CountDownLatch done = new CountDownLatch(producers * perProducer * 3);
      Runnable followUp = () -> {
        ran.incrementAndGet();
        done.countDown();
      };
      Runnable task = () -> {
        ran.incrementAndGet();
        done.countDown();
        pool.execute(followUp); // from a worker: into its run-next slot, no signal while one spins
        pool.executeQueued(followUp); // and into its local queue, signalled under the same rule
      };
      Thread[] threads = new Thread[producers];
      for (int p = 0; p < producers; p++) {
        threads[p] = new Thread(() -> {
          for (int i = 0; i < perProducer; i++) {
            pool.execute(task);
            if (ThreadLocalRandom.current().nextInt(64) == 0) {
              LockSupport.parkNanos(30_000);
            }
          }
        });
        threads[p].start();
      }
      for (Thread t : threads) {
        t.join(TimeUnit.SECONDS.toMillis(60));
      }
      assertTrue(done.await(Waits.SECONDS, TimeUnit.SECONDS), "tasks lost: " + done.getCount());
      assertEquals(producers * perProducer * 3, ran.get());
    }
  }
}
