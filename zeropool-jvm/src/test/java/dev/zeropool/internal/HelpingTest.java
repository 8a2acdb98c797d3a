package dev.zeropool.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeropool.TaskFn;
import dev.zeropool.TaskFuture;
import dev.zeropool.ZeroPool;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Helping}'s first rule where only the range entry can serve it (a waiter runs the unclaimed
 * tasks of its batch although the batch's only queue slot is gone), and what a helping level costs
 * when there is nothing to help with. The other rules (a worker keeps the pool moving, a wait for
 * one's own submission is refused) are tested through the pool in {@code WaitsTest} and
 * {@code TaskFutureWaitsTest}.
 */
class HelpingTest {

  /** Bound of every wait ({@code -Dzeropool.test.waitSeconds}, shortened by the mutation profile). */
  private static final long WAIT_SECONDS = Long.getLong("zeropool.test.waitSeconds", 10);

  private WorkerPool pool;

  @AfterEach
  void stopPool() {
    if (pool != null) {
      pool.shutdownNow("test over", false);
    }
  }

  @Test
  void aWaiterRunsTheUnclaimedTasksOfItsBatchWhileTheBatchsOnlySlotIsRunningOnAWorker() throws Exception {
    Thread[] ranOn = new Thread[3];
    CountDownLatch firstStarted = new CountDownLatch(1);
    CountDownLatch othersRan = new CountDownLatch(2);
    AtomicBoolean othersRanMeanwhile = new AtomicBoolean();
    TaskFn<Integer> task = i -> {
      ranOn[i] = Thread.currentThread();
      if (i == 0) { // the worker's first chunk (one task: 3 tasks over twice 2 parties)
        firstStarted.countDown();
        try {
          othersRanMeanwhile.set(othersRan.await(WAIT_SECONDS, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      } else {
        othersRan.countDown();
      }
    };
    try (ZeroPool one = ZeroPool.create(1)) {
      // one worker: it takes the batch's slot and issues no second one (one slot per worker)
      TaskFuture batch = one.submitBatch(task, new Integer[] {0, 1, 2});
      assertTrue(firstStarted.await(WAIT_SECONDS, TimeUnit.SECONDS), "the worker never started the batch");
      Thread worker = ranOn[0];
      batch.join(); // nothing of the batch is in the queue now: the join claims from the batch itself
      assertTrue(othersRanMeanwhile.get(), "the joiner did not run tasks 1 and 2 while task 0 waited for them");
      assertArrayEquals(new Thread[] {worker, Thread.currentThread(), Thread.currentThread()}, ranOn);
    }
  }

  @Test
  void aWaiterThatClaimsFromItsBatchCountsAsOneOfItsParties() {
    pool = new WorkerPool("helping-parties-test", 3, r -> new Thread(() -> { }, "helping-parties-test-idle"), 0L,
        null, null, null, 0L, 0); // its workers never run: the waiter claims every task itself
    int[] ran = new int[1];
    TaskFn<Object> count = ignored -> ran[0]++;
    RangeCompletion batch = new RangeCompletion(pool, count, null, new Object[100], 100, false, null);
    assertTrue(pool.submitRange(batch));
    Helping.help(pool, batch, false, 0L);
    assertEquals(100, ran[0]);
    assertTrue(batch.isDone());
    assertEquals(2, batch.parties(), "the submission's slot and the waiter, which takes a worker's place");
  }

  @Test
  void aThreadThatIsNoWorkerKeepsItsInterruptWhenItRunsItsOwnTaskWhileItJoins() throws Exception {
    CountDownLatch busy = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<Thread> ranOn = new AtomicReference<>();
    try (ZeroPool one = ZeroPool.create(1)) {
      one.execute(() -> { // the only worker is busy, so the joiner runs its task itself
        busy.countDown();
        try {
          release.await(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      try {
        assertTrue(busy.await(WAIT_SECONDS, TimeUnit.SECONDS), "the worker never took the blocking task");
        TaskFuture mine = one.submitTask(ignored -> {
          ranOn.set(Thread.currentThread());
        }, null);
        boolean keptInterrupt;
        Thread.currentThread().interrupt();
        try {
          mine.join(); // not interruptible: the interrupt is kept (only a worker clears leftover ones)
        } finally {
          keptInterrupt = Thread.interrupted();
        }
        assertSame(Thread.currentThread(), ranOn.get(), "the joiner ran its own queued task");
        assertTrue(keptInterrupt, "join() lost the caller's interrupt");
      } finally {
        release.countDown();
      }
    }
  }

  @Test
  void aThreadReusesItsSpareClaimFromOneHelpingLevelToTheNext() {
    Allocations counter = Allocations.ofThisThread();
    pool = new WorkerPool("helping-test", 1, r -> {
      Thread t = new Thread(r, "helping-test-worker");
      t.setDaemon(true);
      return t;
    }, 0L, null, null, null, 0L, 0);
    Completion done = Completion.completed();
    Helping.help(pool, done, false, 0L); // the first level of this thread makes its claim
    int rounds = 2_000;
    long before = counter.bytes();
    for (int i = 0; i < rounds; i++) {
      Helping.help(pool, done, false, 0L);
    }
    long allocated = counter.bytes() - before;
    // a claim is about 40 bytes: a fresh one per level would be 80 kB here
    assertTrue(allocated < 8L * rounds, rounds + " helping levels allocated " + allocated + " bytes");
  }
}
