package dev.zeropool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Work a worker submits itself ({@code execute} and {@code executeQueued} on a worker): its run-next slot
 * and local queue, stealing, fairness.
 */
class LocalWorkTest {

  @Test
  void followUpWorkRunsOnTheSameWorkerWhenItIsFree() throws Exception {
    try (ZeroPool pool = ZeroPool.create(2)) {
      AtomicReference<Thread> first = new AtomicReference<>();
      AtomicReference<Thread> second = new AtomicReference<>();
      CountDownLatch done = new CountDownLatch(1);
      CountDownLatch otherBusy = new CountDownLatch(1);
      CountDownLatch releaseOther = new CountDownLatch(1);
      pool.execute(() -> { // keep the other worker out of the way, so nobody can steal
        otherBusy.countDown();
        WaitsTest.awaitUninterruptibly(releaseOther);
      });
      try {
        assertTrue(otherBusy.await(Waits.SECONDS, TimeUnit.SECONDS));
        pool.execute(() -> {
          first.set(Thread.currentThread());
          pool.execute(() -> {
            second.set(Thread.currentThread());
            done.countDown();
          });
        });
        assertTrue(done.await(Waits.SECONDS, TimeUnit.SECONDS));
      } finally {
        releaseOther.countDown();
      }
      assertEquals(first.get(), second.get());
    }
  }

  @Test
  void anIdleWorkerStealsFollowUpWorkWhileItsOwnerIsBlocked() throws Exception {
    idleWorkerStealsFromABlockedOwner(ZeroPool.builder().workers(2).withoutStarvationWatchdog().build(), false);
  }

  /** Without a spin window the idle worker finds the blocked owner only in its recheck after parking. */
  @Test
  void anIdleWorkerThatDoesNotSpinStealsFollowUpWorkWhileItsOwnerIsBlocked() throws Exception {
    idleWorkerStealsFromABlockedOwner(
        ZeroPool.builder().workers(2).spinWindow(Duration.ZERO).withoutStarvationWatchdog().build(), false);
  }

  @Test
  void anIdleWorkerStealsLocallyQueuedWorkWhileItsOwnerIsBlocked() throws Exception {
    idleWorkerStealsFromABlockedOwner(ZeroPool.builder().workers(2).withoutStarvationWatchdog().build(), true);
  }

  /** Parked rather than spinning, the idle worker is woken by the owner's add to its local queue. */
  @Test
  void anIdleWorkerThatDoesNotSpinStealsLocallyQueuedWorkWhileItsOwnerIsBlocked() throws Exception {
    idleWorkerStealsFromABlockedOwner(
        ZeroPool.builder().workers(2).spinWindow(Duration.ZERO).withoutStarvationWatchdog().build(), true);
  }

  private static void idleWorkerStealsFromABlockedOwner(ZeroPool created, boolean queued) throws Exception {
    try (ZeroPool pool = created) {
      for (int round = 0; round < 50; round++) {
        CountDownLatch followUpRan = new CountDownLatch(1);
        AtomicReference<Boolean> ownerSawIt = new AtomicReference<>();
        CountDownLatch ownerDone = new CountDownLatch(1);
        pool.execute(() -> {
          if (queued) {
            pool.executeQueued(followUpRan::countDown); // into this worker's local queue
          } else {
            pool.execute(followUpRan::countDown); // into this worker's run-next slot
          }
          try {
            ownerSawIt.set(followUpRan.await(Waits.SECONDS, TimeUnit.SECONDS)); // only a thief can run it now
          } catch (InterruptedException e) {
            ownerSawIt.set(false);
          } finally {
            ownerDone.countDown();
          }
        });
        assertTrue(ownerDone.await(Waits.SECONDS, TimeUnit.SECONDS));
        assertEquals(Boolean.TRUE, ownerSawIt.get(), "round " + round);
      }
    }
  }

  @Test
  void aChainOfLocalHandOffsDoesNotStarveTheSharedQueue() throws Exception {
    try (ZeroPool pool = ZeroPool.builder().workers(1).withoutStarvationWatchdog().build()) {
      AtomicInteger hops = new AtomicInteger();
      AtomicInteger hopsWhenOutsideRan = new AtomicInteger(-1);
      CountDownLatch chainDone = new CountDownLatch(1);
      CountDownLatch chainStarted = new CountDownLatch(1);
      CountDownLatch outsideQueued = new CountDownLatch(1);
      int chainLength = 10_000;
      Runnable[] hop = new Runnable[1];
      hop[0] = () -> {
        int n = hops.incrementAndGet();
        if (n == 1) {
          chainStarted.countDown();
          WaitsTest.awaitLatch(outsideQueued);
        }
        if (n < chainLength) {
          pool.execute(hop[0]);
        } else {
          chainDone.countDown();
        }
      };
      pool.execute(hop[0]);
      assertTrue(chainStarted.await(Waits.SECONDS, TimeUnit.SECONDS));
      TaskFn<Object> outside = ignored -> hopsWhenOutsideRan.set(hops.get());
      TaskFuture f;
      try {
        f = pool.submitTask(outside, null);
      } finally {
        outsideQueued.countDown();
      }
      // A timed wait from outside the pool never helps, so only the worker can run the outside task:
      // it must look at the shared queue after at most 16 local hops in a row.
      assertTrue(f.await(Waits.SECONDS, TimeUnit.SECONDS));
      assertTrue(chainDone.await(Waits.SECONDS, TimeUnit.SECONDS));
      assertTrue(hopsWhenOutsideRan.get() <= 1 + 16,
          "the outside task waited for " + hopsWhenOutsideRan.get() + " local hops");
    }
  }

  @Test
  void localWorkAcceptedBeforeShutdownRunsAndLaterWorkIsRefused() throws Exception {
    ZeroPool pool = ZeroPool.create(1);
    CountDownLatch shutDown = new CountDownLatch(1);
    AtomicInteger ran = new AtomicInteger();
    AtomicReference<Throwable> refused = new AtomicReference<>();
    CountDownLatch submitted = new CountDownLatch(1);
    pool.execute(() -> {
      pool.execute(ran::incrementAndGet); // accepted: the pool is running
      submitted.countDown();
      WaitsTest.awaitLatch(shutDown);
      try {
        pool.execute(ran::incrementAndGet);
      } catch (RejectedExecutionException e) {
        refused.set(e);
      }
    });
    assertTrue(submitted.await(Waits.SECONDS, TimeUnit.SECONDS));
    pool.shutdown();
    shutDown.countDown();
    assertTrue(pool.awaitTermination(Waits.SECONDS, TimeUnit.SECONDS));
    assertEquals(1, ran.get());
    assertTrue(refused.get() instanceof RejectedExecutionException);
  }

  @Test
  void shutdownNowHandsBackLocalWork() throws Exception {
    ZeroPool pool = ZeroPool.builder().workers(1).withoutStarvationWatchdog().build();
    CountDownLatch queuedLocally = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Runnable followUp = () -> { };
    pool.execute(() -> {
      pool.execute(followUp);
      queuedLocally.countDown();
      WaitsTest.awaitUninterruptibly(release);
    });
    try {
      assertTrue(queuedLocally.await(Waits.SECONDS, TimeUnit.SECONDS));
      assertTrue(pool.shutdownNow().contains(followUp));
    } finally {
      release.countDown();
    }
    assertTrue(pool.awaitTermination(Waits.SECONDS, TimeUnit.SECONDS));
    assertThrows(RejectedExecutionException.class, () -> pool.execute(followUp));
  }

  @Test
  void shutdownNowHandsBackLocallyQueuedWorkInOrderThenTheRunNextTask() throws Exception {
    ZeroPool pool = ZeroPool.builder().workers(1).withoutStarvationWatchdog().build();
    CountDownLatch queuedLocally = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Runnable a = () -> { };
    Runnable b = () -> { };
    Runnable c = () -> { };
    Runnable d = () -> { };
    pool.execute(() -> {
      pool.executeQueued(a);
      pool.executeQueued(b);
      pool.execute(c);
      pool.execute(d); // pushes c out of the run-next slot, behind a and b
      queuedLocally.countDown();
      WaitsTest.awaitUninterruptibly(release);
    });
    try {
      assertTrue(queuedLocally.await(Waits.SECONDS, TimeUnit.SECONDS));
      assertEquals(4, pool.stats().queuedTasks());
      assertEquals(List.of(a, b, c, d), pool.shutdownNow());
    } finally {
      release.countDown();
    }
    assertTrue(pool.awaitTermination(Waits.SECONDS, TimeUnit.SECONDS));
  }

  @Test
  void aFullLocalQueueOverflowsToTheSharedQueueAndEveryTaskRuns() throws Exception {
    try (ZeroPool pool = ZeroPool.builder().workers(1).withoutStarvationWatchdog().build()) {
      int tasks = 300; // more than a local queue holds
      CountDownLatch allRan = new CountDownLatch(tasks);
      CountDownLatch queued = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      pool.execute(() -> {
        for (int i = 0; i < tasks; i++) {
          pool.executeQueued(allRan::countDown);
        }
        queued.countDown();
        WaitsTest.awaitUninterruptibly(release);
      });
      try {
        assertTrue(queued.await(Waits.SECONDS, TimeUnit.SECONDS));
        assertEquals(tasks, pool.stats().queuedTasks(), "the local queue's tasks and the overflow");
      } finally {
        release.countDown();
      }
      assertTrue(allRan.await(Waits.SECONDS, TimeUnit.SECONDS), allRan.getCount() + " tasks did not run");
    }
  }

  @Test
  void locallyQueuedWorkTakesTurnsWithASteadyInflowToTheSharedQueue() throws Exception {
    try (ZeroPool pool = ZeroPool.builder().workers(1).withoutStarvationWatchdog().build()) {
      AtomicInteger sharedRan = new AtomicInteger();
      AtomicInteger sharedRanBeforeLocal = new AtomicInteger(-1);
      CountDownLatch localRan = new CountDownLatch(1);
      CountDownLatch queued = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      pool.execute(() -> {
        pool.executeQueued(() -> {
          sharedRanBeforeLocal.set(sharedRan.get());
          localRan.countDown();
        });
        queued.countDown();
        WaitsTest.awaitUninterruptibly(release);
      });
      int shared = 200; // far more than one run of the shared queue
      try {
        assertTrue(queued.await(Waits.SECONDS, TimeUnit.SECONDS));
        for (int i = 0; i < shared; i++) {
          pool.execute(sharedRan::incrementAndGet);
        }
      } finally {
        release.countDown();
      }
      assertTrue(localRan.await(Waits.SECONDS, TimeUnit.SECONDS));
      int before = sharedRanBeforeLocal.get();
      // It gives way to the shared work that waited when it was queued, but only for one run of it.
      assertTrue(before >= 1 && before <= 32, before + " shared tasks ran before the local one");
    }
  }

  @Test
  void aTaskThatKeepsGivingWayDoesNotStarveTheSharedQueue() throws Exception {
    try (ZeroPool pool = ZeroPool.builder().workers(1).withoutStarvationWatchdog().build()) {
      AtomicInteger turns = new AtomicInteger();
      AtomicInteger turnsWhenOutsideRan = new AtomicInteger(-1);
      CountDownLatch started = new CountDownLatch(1);
      CountDownLatch outsideQueued = new CountDownLatch(1);
      CountDownLatch outsideRan = new CountDownLatch(1);
      Runnable[] giveWay = new Runnable[1];
      giveWay[0] = () -> {
        if (turns.incrementAndGet() == 1) {
          started.countDown();
          WaitsTest.awaitLatch(outsideQueued);
        }
        if (outsideRan.getCount() > 0 && turns.get() < 10_000) {
          pool.executeQueued(giveWay[0]);
        }
      };
      pool.execute(giveWay[0]);
      try {
        assertTrue(started.await(Waits.SECONDS, TimeUnit.SECONDS));
        pool.execute(() -> {
          turnsWhenOutsideRan.set(turns.get());
          outsideRan.countDown();
        });
      } finally {
        outsideQueued.countDown();
      }
      assertTrue(outsideRan.await(Waits.SECONDS, TimeUnit.SECONDS));
      assertEquals(1, turnsWhenOutsideRan.get(), "the outside task runs at the first turn given away");
    }
  }

  @Test
  void executeRunsLocalWorkBeforeQueuedWorkAndExecuteQueuedAfterIt() throws Exception {
    for (boolean queued : new boolean[] {false, true}) {
      try (ZeroPool pool = ZeroPool.builder().workers(1).withoutStarvationWatchdog().build()) {
        StringBuffer order = new StringBuffer();
        CountDownLatch outsideQueued = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        pool.execute(() -> {
          started.countDown();
          WaitsTest.awaitLatch(outsideQueued);
          Runnable followUp = () -> order.append("follow-up ");
          if (queued) {
            pool.executeQueued(followUp);
          } else {
            pool.execute(followUp);
          }
        });
        assertTrue(started.await(Waits.SECONDS, TimeUnit.SECONDS));
        CountDownLatch outsideRan = new CountDownLatch(1);
        try {
          pool.execute(() -> {
            order.append("outside ");
            outsideRan.countDown();
          });
        } finally {
          outsideQueued.countDown();
        }
        assertTrue(outsideRan.await(Waits.SECONDS, TimeUnit.SECONDS));
        pool.shutdown();
        assertTrue(pool.awaitTermination(Waits.SECONDS, TimeUnit.SECONDS));
        assertEquals(queued ? "outside follow-up " : "follow-up outside ", order.toString());
      }
    }
  }
}
