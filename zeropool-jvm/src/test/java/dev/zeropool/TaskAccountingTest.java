package dev.zeropool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every task is accounted for exactly once (completed, failed or cancelled, in the counters and in its
 * future), also when a stop cuts a run of tasks a worker has already claimed or a chunk of a batch it
 * is running; a leftover interrupt never reaches the next task; a task that throws {@link ThreadDeath}
 * costs its worker, which is replaced. One worker, held in a {@link Gate} while the queue is filled,
 * makes the claimed runs and chunks certain.
 */
class TaskAccountingTest {

  static final TaskFn<AtomicInteger> COUNT = AtomicInteger::incrementAndGet;

  private final List<ZeroPool> pools = new ArrayList<>();
  private final List<Gate> gates = new ArrayList<>();
  private final PoolCounters counters = new PoolCounters();

  private ZeroPool pool() {
    ZeroPool pool = ZeroPool.builder().workers(1).withoutStarvationWatchdog().metrics(counters).build();
    pools.add(pool);
    return pool;
  }

  private Gate hold(ZeroPool pool) throws InterruptedException {
    Gate gate = Gate.hold(pool);
    gates.add(gate);
    return gate;
  }

  @AfterEach
  void releaseAndStop() {
    gates.forEach(Gate::release);
    pools.forEach(ZeroPool::shutdownNow);
  }

  /** Blocks until the stop interrupts it (or the bound of {@link Waits} passes). */
  private static TaskFn<CountDownLatch> untilStopped() {
    return started -> {
      started.countDown();
      try {
        assertFalse(new CountDownLatch(1).await(Waits.SECONDS, TimeUnit.SECONDS));
      } catch (InterruptedException stop) {
        // the stop's interrupt: end normally
      }
    };
  }

  private static void assertCancelled(TaskFuture f, String what) {
    assertThrows(CancellationException.class, () -> f.await(Waits.SECONDS, TimeUnit.SECONDS), what);
  }

  @Test
  void aStopHandsBackTheRestOfAClaimedRunAndCountsEveryTaskOnce() throws Exception {
    ZeroPool pool = pool();
    Gate gate = hold(pool);
    AtomicInteger ran = new AtomicInteger();
    CountDownLatch started = new CountDownLatch(1);
    // Eight queue slots while the worker is held: it then claims a run of half of them (the share of
    // one worker and one possible waiter): the blocking task, a task, a batch's slot and a task.
    TaskFuture blocking = pool.submitTask(untilStopped(), started);
    TaskFuture inRun = pool.submitTask(COUNT, ran);
    TaskFuture batchInRun = pool.submitBatch(COUNT, new AtomicInteger[] {ran, ran, ran});
    TaskFuture lastOfRun = pool.submitTask(COUNT, ran);
    List<TaskFuture> queued = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      queued.add(pool.submitTask(COUNT, ran));
    }
    List<Runnable> neverStarted;
    try {
      gate.release();
      Waits.open(started, "the worker started the first task of its run");
      neverStarted = pool.shutdownNow();
    } finally {
      started.countDown();
    }
    assertTrue(pool.awaitTermination(Waits.SECONDS, TimeUnit.SECONDS));
    assertEquals(4, neverStarted.size(), "the four tasks still in the queue: " + neverStarted);
    Waits.done(blocking);
    assertCancelled(inRun, "the task after the running one in the claimed run");
    assertCancelled(batchInRun, "the batch whose slot was in the claimed run");
    assertCancelled(lastOfRun, "the last task of the claimed run");
    for (TaskFuture f : queued) {
      assertCancelled(f, "a task still queued");
    }
    assertEquals(0, ran.get(), "nothing handed back ran");
    assertEquals(11, counters.submitted());
    assertEquals(2, counters.completed(), "the gate and the blocking task");
    assertEquals(9, counters.cancelled(), "every other task exactly once: " + counters);
    assertEquals(0, counters.failed());
  }

  @Test
  void aStopInsideABatchChunkCountsItsRestAndTheUnclaimedTasksOnce() throws Exception {
    ZeroPool pool = pool();
    Gate gate = hold(pool);
    AtomicInteger ran = new AtomicInteger();
    CountDownLatch started = new CountDownLatch(1);
    // The worker claims the chunk [0, 2) (a quarter of 8 with two parties) and blocks in task 0.
    TaskFuture batch = pool.submitBatch(blockedThenCounting(started, ran));
    try {
      gate.release();
      Waits.open(started, "the worker started the batch");
      assertEquals(0, pool.shutdownNow().size(), "the batch's only slot was taken");
    } finally {
      started.countDown();
    }
    assertTrue(pool.awaitTermination(Waits.SECONDS, TimeUnit.SECONDS));
    assertCancelled(batch, "the batch cut by the stop");
    assertEquals(0, ran.get());
    assertEquals(9, counters.submitted());
    assertEquals(2, counters.completed(), "the gate and task 0");
    assertEquals(7, counters.cancelled(), "task 1 of the chunk and the six never claimed: " + counters);
  }

  @Test
  void tasksRunNextOrInChunksStartWithoutALeftoverInterruptAndAreCounted() throws Exception {
    ZeroPool pool = pool();
    List<Boolean> interruptedAtStart = new CopyOnWriteArrayList<>();
    CountDownLatch runNextRan = new CountDownLatch(1);
    TaskFuture first = pool.submitTask(ignored -> {
      pool.execute(() -> { // from a worker: its run-next slot, so it runs next on this thread
        interruptedAtStart.add(Thread.currentThread().isInterrupted());
        runNextRan.countDown();
      });
      Thread.currentThread().interrupt(); // left over, as by a late Future.cancel(true)
    }, null);
    Waits.done(first);
    Waits.open(runNextRan, "the run-next task ran");
    TaskFn<Integer> leaveAnInterrupt = i -> {
      interruptedAtStart.add(Thread.currentThread().isInterrupted());
      if (i < 2) {
        Thread.currentThread().interrupt();
      }
    };
    Waits.done(pool.submitBatch(leaveAnInterrupt, new Integer[] {0, 1, 2}));
    assertEquals(List.of(false, false, false, false), interruptedAtStart);
    Waits.until(() -> counters.completed() == 5, "all five tasks counted: " + counters);
    assertEquals(5, counters.completed());
    assertEquals(5, counters.submitted(), "the run-next task is counted as submitted too");
  }

  @Test
  void aTaskThatThrowsThreadDeathEndsItsWorkerWhichIsReplaced() throws Exception {
    List<Thread> created = new CopyOnWriteArrayList<>();
    List<Throwable> uncaught = new CopyOnWriteArrayList<>();
    ZeroPool pool = ZeroPool.builder().workers(1).withoutStarvationWatchdog().threadFactory(recordingThreads(created, uncaught)).build();
    pools.add(pool);
    @SuppressWarnings("removal")
    TaskFn<Object> die = ignored -> {
      throw new ThreadDeath();
    };
    TaskFuture fatal = pool.submitTask(die, null);
    assertInstanceOf(ThreadDeath.class,
        assertThrows(CompletionException.class, () -> fatal.await(Waits.SECONDS, TimeUnit.SECONDS)).getCause());
    Waits.until(() -> created.size() == 2, "a replacement worker was started");
    Waits.ended(created.get(0));
    AtomicInteger ran = new AtomicInteger();
    Waits.done(pool.submitTask(COUNT, ran));
    assertEquals(1, ran.get(), "the replacement runs the next task");
    assertTrue(uncaught.stream().anyMatch(e -> e instanceof ThreadDeath), "the death was reported");
    @SuppressWarnings("removal")
    Runnable dieRunningNext = () -> {
      throw new ThreadDeath();
    };
    Waits.done(pool.submitTask(ignored -> pool.execute(dieRunningNext), null)); // from a worker: run next
    Waits.until(() -> created.size() == 3, "the worker that ran the run-next task was replaced too");
    Waits.done(pool.submitTask(COUNT, ran));
    assertEquals(2, ran.get());
  }

  @Test
  void aTaskOfACancelledSubmissionIsSkippedAndCountedAsCancelled() throws Exception {
    ZeroPool pool = pool();
    Gate gate = hold(pool);
    AtomicInteger ran = new AtomicInteger();
    CancellationToken token = new CancellationToken();
    TaskFuture skipped;
    try {
      skipped = pool.submitTask(COUNT, ran, TaskOptions.DEFAULT.cancelledBy(token));
      token.cancel();
    } finally {
      gate.release();
    }
    assertCancelled(skipped, "the task of a cancelled submission");
    assertEquals(0, ran.get());
    Waits.until(() -> counters.cancelled() == 1, "the skipped task counted: " + counters);
    assertEquals(1, counters.completed(), "only the gate: " + counters);
  }

  @Test
  void aStopInTheLastChunkFailsTheBatchEvenWhenAWaiterRanEverythingElse() throws Exception {
    ZeroPool pool = pool();
    Gate gate = hold(pool);
    AtomicInteger ran = new AtomicInteger();
    CountDownLatch started = new CountDownLatch(1);
    TaskFuture batch = pool.submitBatch(blockedThenCounting(started, ran));
    AtomicReference<Object> joined = new AtomicReference<>();
    Thread waiter = new Thread(() -> {
      try {
        batch.join();
        joined.set("no failure");
      } catch (Throwable e) {
        joined.set(e);
      }
    }, "batch-waiter");
    waiter.setDaemon(true);
    try {
      gate.release();
      Waits.open(started, "the worker started the chunk [0, 2)");
      waiter.start(); // claims and runs every chunk after the worker's, then waits for it
      Waits.until(() -> ran.get() == 6, "the waiter ran tasks 2 to 7");
      pool.shutdownNow(); // task 1, in the worker's chunk, never starts
    } finally {
      started.countDown();
    }
    Waits.ended(waiter);
    assertInstanceOf(CancellationException.class, joined.get(), "the batch failed: " + joined.get());
    assertCancelled(batch, "the batch");
    assertEquals(1, counters.cancelled(), "only task 1: " + counters);
  }

  @Test
  void aBatchListThatFailsToGiveATaskFailsTheBatchAndCostsTheWorker() throws Exception {
    List<Thread> created = new CopyOnWriteArrayList<>();
    List<Throwable> uncaught = new CopyOnWriteArrayList<>();
    ZeroPool pool = ZeroPool.builder().workers(1).withoutStarvationWatchdog().threadFactory(recordingThreads(created, uncaught)).build();
    pools.add(pool);
    IllegalStateException broken = new IllegalStateException("the list changed under the batch");
    AtomicInteger ran = new AtomicInteger();
    class BrokenList extends java.util.AbstractList<AtomicInteger> implements java.util.RandomAccess {
      @Override
      public AtomicInteger get(int index) {
        if (index == 0) {
          throw broken;
        }
        return ran;
      }

      @Override
      public int size() {
        return 1;
      }
    }
    TaskFuture batch = pool.submitBatch(COUNT, new BrokenList());
    CompletionException failure =
        assertThrows(CompletionException.class, () -> batch.await(Waits.SECONDS, TimeUnit.SECONDS));
    assertEquals(broken, failure.getCause());
    assertEquals(0, ran.get());
    Waits.until(() -> created.size() == 2, "the worker the error escaped from was replaced");
    Waits.ended(created.get(0)); // its uncaught-exception handler has run by then
    assertEquals(List.of(broken), uncaught, "reported once, by the dying worker");
    Waits.done(pool.submitTask(COUNT, ran));
    assertEquals(1, ran.get());
  }

  @Test
  void aFailingRunNextTaskIsCountedAndAThrowingFailureHandlerIsReportedInstead() throws Exception {
    List<Throwable> uncaught = new CopyOnWriteArrayList<>();
    List<Throwable> handled = new CopyOnWriteArrayList<>();
    IllegalStateException handlerFailure = new IllegalStateException("the handler itself fails");
    ZeroPool pool = ZeroPool.builder().workers(1).withoutStarvationWatchdog().metrics(counters)
        .failureHandler((fn, params, error) -> {
          handled.add(error);
          throw handlerFailure;
        })
        .threadFactory(recordingThreads(new CopyOnWriteArrayList<>(), uncaught)).build();
    pools.add(pool);
    IllegalArgumentException taskFailure = new IllegalArgumentException("a run-next task fails");
    CountDownLatch after = new CountDownLatch(1);
    Waits.done(pool.submitTask(ignored -> {
      pool.execute(after::countDown);
      pool.execute(() -> { // displaces the first one into the queue: this one runs next
        throw taskFailure;
      });
    }, null));
    Waits.open(after, "the second run-next task ran");
    Waits.until(() -> counters.failed() == 1 && !uncaught.isEmpty(), "the failure was counted and reported: " + counters);
    assertEquals(List.of(taskFailure), handled);
    assertEquals(List.of(handlerFailure), uncaught, "the handler's own failure goes to the worker's handler");
  }

  @Test
  void aMetricsHookThatThrowsFailsTheTaskItWasCountingForAndCostsTheWorker() throws Exception {
    IllegalStateException hookFailure = new IllegalStateException("the metrics hook fails");
    AtomicInteger calls = new AtomicInteger();
    PoolMetrics failingOnce = new PoolMetrics() {
      @Override
      public void tasksCompleted(int count) {
        if (calls.incrementAndGet() == 2) { // the first is the gate's
          throw hookFailure;
        }
      }
    };
    List<Throwable> uncaught = new CopyOnWriteArrayList<>();
    ZeroPool pool = ZeroPool.builder().workers(1).withoutStarvationWatchdog().metrics(failingOnce)
        .threadFactory(recordingThreads(new CopyOnWriteArrayList<>(), uncaught)).build();
    pools.add(pool);
    Gate gate = hold(pool);
    AtomicInteger ran = new AtomicInteger();
    // Four queued tasks: the worker takes the first two as one run. Counting the first one down as it
    // moves to the second throws: the second, already taken out of the queue, must still be accounted for.
    TaskFuture first = pool.submitTask(COUNT, ran);
    TaskFuture second = pool.submitTask(COUNT, ran);
    TaskFuture third = pool.submitTask(COUNT, ran);
    TaskFuture fourth = pool.submitTask(COUNT, ran);
    gate.release();
    Waits.done(first);
    CompletionException lost = assertThrows(CompletionException.class, () -> second.await(Waits.SECONDS, TimeUnit.SECONDS));
    assertEquals(hookFailure, lost.getCause());
    Waits.done(third);
    Waits.done(fourth);
    assertEquals(3, ran.get(), "the second task never started");
    Waits.until(() -> uncaught.contains(hookFailure), "the hook's failure ended its worker");
  }

  @Test
  void aMetricsHookThatThrowsOnAFailureStillFinishesTheFailedTaskAndHandsBackTheRest() throws Exception {
    IllegalStateException hookFailure = new IllegalStateException("the metrics hook fails");
    PoolMetrics failing = new PoolMetrics() {
      @Override
      public void taskFailed() {
        throw hookFailure;
      }
    };
    List<Thread> created = new CopyOnWriteArrayList<>();
    ZeroPool pool = ZeroPool.builder().workers(1).withoutStarvationWatchdog().metrics(failing)
        .threadFactory(recordingThreads(created, new CopyOnWriteArrayList<>())).build();
    pools.add(pool);
    Gate gate = hold(pool);
    AtomicInteger ran = new AtomicInteger();
    IllegalArgumentException taskFailure = new IllegalArgumentException("the task fails");
    TaskFuture failed = pool.submitTask(ignored -> {
      throw taskFailure;
    }, null);
    TaskFuture second = pool.submitTask(COUNT, ran); // the same run of two as the failing task
    TaskFuture third = pool.submitTask(COUNT, ran);
    TaskFuture fourth = pool.submitTask(COUNT, ran);
    gate.release();
    CompletionException own = assertThrows(CompletionException.class, () -> failed.await(Waits.SECONDS, TimeUnit.SECONDS));
    assertEquals(taskFailure, own.getCause(), "the task's own failure comes first");
    CompletionException handedBack = assertThrows(CompletionException.class, () -> second.await(Waits.SECONDS, TimeUnit.SECONDS));
    assertEquals(hookFailure, handedBack.getCause());
    Waits.done(third);
    Waits.done(fourth);
    assertEquals(2, ran.get());
    Waits.until(() -> created.size() == 2, "the worker was replaced");
  }

  @Test
  void aStopHandsBackOnlyTheUnclaimedTasksOfQueuedBatchesThatWaitersStarted() throws Exception {
    ZeroPool pool = pool();
    Gate gate = hold(pool); // both batches' slots stay queued: only waiters run their tasks
    AtomicInteger ran = new AtomicInteger();
    TaskFuture runByTheCaller = pool.submitBatch(COUNT, new AtomicInteger[] {ran, ran, ran});
    runByTheCaller.join(); // this thread claims and runs all three
    assertEquals(3, ran.get());
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    TaskFn<Object> holdInTaskZero = ignored -> {
      started.countDown();
      WaitsTest.awaitLatch(release);
    };
    TaskBatch.Builder builder = TaskBatch.builder().add(holdInTaskZero, null);
    for (int i = 1; i < 8; i++) {
      builder.add(COUNT, ran);
    }
    TaskFuture startedByAWaiter = pool.submitBatch(builder.build());
    AtomicReference<Object> joined = new AtomicReference<>();
    Thread waiter = new Thread(() -> {
      try {
        startedByAWaiter.join(); // claims the chunk [0, 2) and holds in task 0
        joined.set("no failure");
      } catch (Throwable e) {
        joined.set(e);
      }
    }, "batch-waiter");
    waiter.setDaemon(true);
    List<Runnable> neverStarted;
    try {
      waiter.start();
      Waits.open(started, "the waiter started task 0");
      neverStarted = pool.shutdownNow();
    } finally {
      release.countDown();
      gate.release();
    }
    Waits.ended(waiter);
    assertEquals(6, neverStarted.size(), "tasks 2 to 7, nothing of the batch the caller ran: " + neverStarted);
    assertTrue(neverStarted.get(0).toString().startsWith("not started: "), neverStarted.get(0).toString());
    runByTheCaller.join(); // still a success: its stale slot handed back nothing
    assertInstanceOf(CancellationException.class, joined.get(), "the waiter's batch failed: " + joined.get());
    assertEquals(3, ran.get(), "task 1 never started either");
    assertTrue(pool.awaitTermination(Waits.SECONDS, TimeUnit.SECONDS));
    assertEquals(7, counters.cancelled(), "tasks 1 to 7: " + counters);
    assertEquals(5, counters.completed(), "the gate, the caller's three, task 0: " + counters);
  }

  /** A batch of 8: task 0 blocks until the pool stops (counting down {@code started}), tasks 1-7 count in {@code ran}. */
  private static TaskBatch blockedThenCounting(CountDownLatch started, AtomicInteger ran) {
    TaskBatch.Builder builder = TaskBatch.builder().add(untilStopped(), started);
    for (int i = 1; i < 8; i++) {
      builder.add(COUNT, ran);
    }
    return builder.build();
  }

  /** Daemon worker threads that are added to {@code created} and hand uncaught throwables to {@code uncaught}. */
  private static ThreadFactory recordingThreads(List<Thread> created, List<Throwable> uncaught) {
    return r -> {
      Thread t = new Thread(r, "accounting-worker-" + created.size());
      t.setDaemon(true);
      t.setUncaughtExceptionHandler((thread, e) -> uncaught.add(e));
      created.add(t);
      return t;
    };
  }
}
