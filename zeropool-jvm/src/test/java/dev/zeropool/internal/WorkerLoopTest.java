package dev.zeropool.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.zeropool.PoolCounters;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Worker}'s loop on a pool of real workers, seen through its order of taking work and its
 * progress count (one per item taken: a run from the shared queues, a run-next task, a local-queue
 * task, a stolen task), which the idle workers' steal rule and the starvation watchdog read. Each
 * test fixes what the workers can see, so the order and the counts are exact.
 */
class WorkerLoopTest {

  /** Bound of every wait ({@code -Dzeropool.test.waitSeconds}, shortened by the mutation profile). */
  private static final long WAIT_SECONDS = Long.getLong("zeropool.test.waitSeconds", 10);

  private final List<String> ran = new CopyOnWriteArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private WorkerPool pool;

  @AfterEach
  void stopPool() throws InterruptedException {
    release.countDown();
    if (pool != null) {
      pool.shutdown();
      if (!pool.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS)) {
        pool.shutdownNow("test over", false);
        fail("the pool did not stop");
      }
    }
  }

  private WorkerPool pool(int workers) {
    pool = new WorkerPool("loop-test", workers, r -> {
      Thread t = new Thread(r, "loop-test-worker");
      t.setDaemon(true);
      return t;
    }, 0L, null, null, null, 0L, 0);
    return pool;
  }

  private void submit(String name, Runnable body) {
    assertTrue(pool.submit(WorkerPool.RUN_RUNNABLE, (Runnable) () -> {
      ran.add(name);
      body.run();
    }, null, false));
  }

  private Runnable recorded(String name, Runnable body) {
    return () -> {
      ran.add(name);
      body.run();
    };
  }

  private static void open(CountDownLatch latch, String what) throws InterruptedException {
    assertTrue(latch.await(WAIT_SECONDS, TimeUnit.SECONDS), what);
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
        throw new AssertionError("never released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void progressCountsEachItemTaken() {
    Worker w = new Worker(null, 0);
    assertEquals(0, w.progress());
    w.tookWork();
    w.tookWork();
    assertEquals(2, w.progress());
  }

  @Test
  void aWorkerCountsARunARunNextTaskAndALocalQueueTurnOnceEach() throws InterruptedException {
    pool(1);
    CountDownLatch aRunning = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(1);
    submit("a", () -> {
      assertTrue(pool.executeQueued(recorded("b", // b waits in the local queue behind the shared work
          () -> pool.execute(recorded("d", done::countDown))))); // d goes to the run-next slot
      aRunning.countDown();
      await(release);
    });
    open(aRunning, "a runs");
    submit("c", () -> { });
    release.countDown();
    open(done, "the last task runs");
    // a and c are runs from the shared queue; b's turn comes after c's run (which began while b was
    // queued locally); d is run next on the worker that submitted it
    assertEquals(List.of("a", "c", "b", "d"), ran);
    assertEquals(4, pool.progress(), "four items taken");
  }

  @Test
  void aStolenTaskCountsForTheWorkerThatStealsIt() throws InterruptedException {
    pool(2);
    CountDownLatch stolen = new CountDownLatch(1);
    AtomicReference<Thread> owner = new AtomicReference<>();
    AtomicReference<Thread> thief = new AtomicReference<>();
    submit("a", () -> {
      owner.set(Thread.currentThread());
      pool.execute(recorded("b", () -> {
        thief.set(Thread.currentThread());
        stolen.countDown();
      }));
      await(release); // the owner stays busy: its run-next task is stolen
    });
    open(stolen, "the idle worker steals the blocked owner's run-next task");
    assertFalse(owner.get() == thief.get(), "stolen by the other worker");
    assertEquals(2, pool.progress(), "the owner's run and the stolen task");
  }

  @Test
  void aChainOfRunNextTasksGivesTheSharedQueueATurnAfterExactlySixteen() throws InterruptedException {
    pool(1);
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch outsideQueued = new CountDownLatch(1);
    CountDownLatch outsideRan = new CountDownLatch(1);
    int[] hops = new int[1];
    int[] hopsBeforeOutside = {-1};
    Runnable[] hop = new Runnable[1];
    hop[0] = () -> {
      if (++hops[0] < 40) {
        pool.execute(hop[0]);
      }
    };
    submit("start", () -> {
      started.countDown();
      await(outsideQueued);
      pool.execute(hop[0]);
    });
    try {
      open(started, "the chain's first task runs");
      submit("outside", () -> {
        hopsBeforeOutside[0] = hops[0];
        outsideRan.countDown();
      });
    } finally {
      outsideQueued.countDown();
    }
    open(outsideRan, "the shared queue gets its turn");
    assertEquals(Worker.MAX_LOCAL_STREAK, hopsBeforeOutside[0], "local tasks run in a row before the shared queue's turn");
  }

  @Test
  void aThreadThatLeftTheWorkerLoopIsNoLongerAWorkerOfThePool() throws InterruptedException {
    AtomicReference<Boolean> stillWorker = new AtomicReference<>();
    CountDownLatch checked = new CountDownLatch(1);
    pool = new WorkerPool("loop-test", 1, r -> {
      Thread t = new Thread(() -> {
        r.run(); // the worker loop, until the pool shuts down
        stillWorker.set(pool.isOwnWorker());
        checked.countDown();
      }, "loop-test-worker");
      t.setDaemon(true);
      return t;
    }, 0L, null, null, null, 0L, 0);
    pool.shutdown();
    open(checked, "the worker loop ends");
    assertEquals(Boolean.FALSE, stillWorker.get());
  }

  @Test
  @SuppressWarnings("removal")
  void aDyingWorkerThatCannotBeReplacedReportsTheFactorysFailureWithItsDeath() throws InterruptedException {
    List<Throwable> uncaught = new CopyOnWriteArrayList<>();
    CountDownLatch reported = new CountDownLatch(1);
    IllegalStateException noThread = new IllegalStateException("no more threads");
    AtomicReference<Boolean> first = new AtomicReference<>(true);
    pool = new WorkerPool("loop-test", 1, r -> {
      if (!first.getAndSet(false)) {
        throw noThread; // the replacement of the dying worker
      }
      Thread t = new Thread(r, "loop-test-worker");
      t.setDaemon(true);
      t.setUncaughtExceptionHandler((thread, e) -> {
        uncaught.add(e);
        reported.countDown();
      });
      return t;
    }, 0L, null, null, null, 0L, 0);
    submit("fatal", () -> {
      throw new ThreadDeath();
    });
    open(reported, "the worker's death is reported");
    // the pool counts the thread out after it has tried to replace it
    assertTrue(pool.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS), "its only thread is gone: nothing can run tasks");
    assertTrue(uncaught.get(0) instanceof ThreadDeath, uncaught.toString());
    assertEquals(List.of(noThread), List.of(uncaught.get(0).getSuppressed()), "why it was not replaced");
  }

  @Test
  void thePoolKeepsTheSpinWindowItWasMadeWith() {
    WorkerPool spinning = new WorkerPool("loop-test", 1, r -> new Thread(() -> { }), 12_345L, null, null, null, 0L, 0);
    assertEquals(12_345L, spinning.spinNanos());
  }

  @Test
  void aFullLocalQueueMovesItsOlderHalfToTheSharedQueueInOneClaimAndEveryTaskRuns() throws InterruptedException {
    pool(1);
    int queued = LocalQueue.CAPACITY;
    List<Integer> order = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch allRan = new CountDownLatch(queued + 2);
    AtomicInteger sharedBefore = new AtomicInteger(-1);
    AtomicInteger sharedAfter = new AtomicInteger(-1);
    AtomicInteger localAfter = new AtomicInteger(-1);
    submit("fill", () -> {
      for (int i = 0; i < queued; i++) {
        int n = i;
        pool.executeQueued(() -> {
          order.add(n);
          allRan.countDown();
        });
      }
      sharedBefore.set((int) pool.foreground.size());
      pool.execute(() -> {
        order.add(queued);
        allRan.countDown();
      });
      pool.execute(() -> { // displaces the one above: no room behind it in the full local queue
        order.add(queued + 1);
        allRan.countDown();
      });
      sharedAfter.set((int) pool.foreground.size());
      localAfter.set(pool.workers[0].localQueue.size());
    });
    open(allRan, "every task runs, the displaced one too");
    assertEquals(0, sharedBefore.get(), "the tasks queued while there was room stayed local");
    assertEquals(queued / 2, sharedAfter.get(), "the older half moved to the shared queue");
    assertEquals(queued / 2 + 1, localAfter.get(), "the newer half and the displaced task stayed");
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < queued + 2; i++) {
      expected.add(i);
    }
    List<Integer> ranOnce = new ArrayList<>(order);
    Collections.sort(ranOnce);
    assertEquals(expected, ranOnce, "each task ran once");
  }

  @Test
  void tasksSpilledWhileTheSharedQueueShutsDownStillRunOnTheSpillingWorker() throws InterruptedException {
    pool(1);
    int queued = LocalQueue.CAPACITY;
    AtomicInteger ran = new AtomicInteger();
    AtomicInteger ranInsideTheSpill = new AtomicInteger(-1);
    CountDownLatch allRan = new CountDownLatch(queued + 1);
    Runnable count = () -> {
      ran.incrementAndGet();
      allRan.countDown();
    };
    submit("fill", () -> {
      for (int i = 0; i < queued; i++) {
        pool.executeQueued(count);
      }
      pool.foreground.shutDown(); // the race the spill must survive: the queue shut after the pool's check
      pool.executeQueued(count);
      ranInsideTheSpill.set(ran.get());
    });
    open(allRan, "the spilled tasks, the rest of the local queue and the new task all run");
    assertEquals(queued / 2, ranInsideTheSpill.get(), "the half the shut queue refused ran at once");
  }

  @Test
  void workQueuedLocallyCountsAsSubmitted() throws InterruptedException {
    PoolCounters counters = new PoolCounters();
    pool = new WorkerPool("loop-test", 1, r -> {
      Thread t = new Thread(r, "loop-test-worker");
      t.setDaemon(true);
      return t;
    }, 0L, null, counters, null, 0L, 0);
    CountDownLatch ran = new CountDownLatch(1);
    submit("outer", () -> pool.executeQueued(ran::countDown));
    open(ran, "the locally queued task runs");
    assertEquals(2, counters.submitted(), "the outer task and the one it queued");
  }

  @Test
  void onlyShutdownNowStopsThePool() {
    // threads that end at once without running the loop: the pool cannot terminate by itself here
    WorkerPool neverEnds = new WorkerPool("loop-test", 1, r -> new Thread(() -> { }), 0L, null, null, null, 0L, 0);
    assertFalse(neverEnds.isShutdownNowOrLater());
    neverEnds.shutdown();
    assertFalse(neverEnds.isShutdownNowOrLater(), "accepted work still runs after shutdown");
    neverEnds.shutdownNow("test", false);
    assertTrue(neverEnds.isShutdownNowOrLater());
  }
}
