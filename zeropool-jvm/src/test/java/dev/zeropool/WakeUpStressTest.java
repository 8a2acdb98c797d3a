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
 * No lost wake-up under the wake-up rules (no signal while a worker spins, none for work a worker
 * keeps locally, the cascade). The tasks are {@code execute}d and awaited on latches, so no caller
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

  @Test
  void manyProducersAndLocalHandOffsLoseNothing() throws Exception {
    int producers = 4;
    int perProducer = Math.max(100, ROUNDS * 20);
    try (ZeroPool pool = ZeroPool.builder().workers(2).withoutStarvationWatchdog().build()) {
      AtomicInteger ran = new AtomicInteger();
      CountDownLatch done = new CountDownLatch(producers * perProducer * 2);
      Runnable followUp = () -> {
        ran.incrementAndGet();
        done.countDown();
      };
      Runnable task = () -> {
        ran.incrementAndGet();
        done.countDown();
        pool.execute(followUp); // from a worker: into its run-next slot, no signal while one spins
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
      assertEquals(producers * perProducer * 2, ran.get());
    }
  }
}
