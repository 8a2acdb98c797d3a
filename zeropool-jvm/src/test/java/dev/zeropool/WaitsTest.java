package dev.zeropool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Waits that used to hang or to misreport: each test reproduces what a user ran into, on a pool whose
 * workers are all busy (one worker is the easy case).
 */
class WaitsTest {

  static final TaskFn<AtomicInteger> COUNT = AtomicInteger::incrementAndGet;

  private static ZeroPool onePool() {
    return ZeroPool.builder().workers(1).withoutStarvationWatchdog().build();
  }

  @Test
  void submitGetInsideATaskOfABusyPoolRunsTheInnerTaskInPlace() throws Exception {
    try (ZeroPool pool = onePool()) {
      Future<Integer> outer = pool.submit(() -> pool.submit(() -> 42).get() + 1);
      assertEquals(43, outer.get(Waits.SECONDS, TimeUnit.SECONDS));
    }
  }

  @Test
  void toCompletableFutureJoinInsideATaskHelps() throws Exception {
    try (ZeroPool pool = onePool()) {
      AtomicInteger inner = new AtomicInteger();
      Future<Integer> outer = pool.submit(() -> {
        pool.submitTask(COUNT, inner).toCompletableFuture().join();
        return inner.get();
      });
      assertEquals(1, outer.get(Waits.SECONDS, TimeUnit.SECONDS));
    }
  }

  @Test
  void aTimedAwaitInsideAWorkerHelpsInsteadOfTimingOut() throws Exception {
    try (ZeroPool pool = onePool()) {
      AtomicInteger inner = new AtomicInteger();
      Future<Boolean> outer = pool.submit(() -> pool.submitTask(COUNT, inner).await(Waits.SECONDS, TimeUnit.SECONDS));
      assertTrue(outer.get(Waits.SECONDS, TimeUnit.SECONDS));
      assertEquals(1, inner.get());
    }
  }

  @Test
  void aTaskJoiningItsOwnSubmissionFailsFastInsteadOfLosingAWorker() throws Exception {
    try (ZeroPool pool = ZeroPool.builder().workers(2).withoutStarvationWatchdog().build()) {
      AtomicReference<TaskFuture> self = new AtomicReference<>();
      CountDownLatch published = new CountDownLatch(1);
      TaskFn<Object> joinSelf = ignored -> {
        awaitLatch(published);
        self.get().join();
      };
      self.set(pool.submitTask(joinSelf, null));
      published.countDown();
      CompletionException failure = assertThrows(CompletionException.class, () -> self.get().join());
      assertInstanceOf(IllegalStateException.class, failure.getCause());
      assertTrue(failure.getCause().getMessage().contains("its own submission"), failure.getCause().getMessage());
      // The worker is not lost: the pool still runs work.
      AtomicInteger after = new AtomicInteger();
      pool.submitTask(COUNT, after).join();
      assertEquals(1, after.get());
    }
  }

  @Test
  void aTaskWaitingOnItsOwnSubmitFutureFailsFast() throws Exception {
    try (ZeroPool pool = onePool()) {
      AtomicReference<Future<?>> self = new AtomicReference<>();
      CountDownLatch published = new CountDownLatch(1);
      self.set(pool.submit(() -> {
        awaitLatch(published);
        return self.get().get();
      }));
      published.countDown();
      ExecutionException failure = assertThrows(ExecutionException.class, () -> self.get().get(Waits.SECONDS, TimeUnit.SECONDS));
      assertInstanceOf(IllegalStateException.class, failure.getCause());
    }
  }

  @Test
  void theWatchdogReportsAndCompensatesAForeignWaitOnQueuedWork() throws Exception {
    AtomicReference<PoolStarvationException> report = new AtomicReference<>();
    AtomicInteger detections = new AtomicInteger();
    FailureHandler handler = new FailureHandler() {
      @Override
      public void onFailure(TaskFn<?> fn, Object params, Throwable failure) {}

      @Override
      public void onStarvation(PoolStarvationException starvation) {
        report.compareAndSet(null, starvation);
      }
    };
    PoolMetrics metrics = new PoolMetrics() {
      @Override
      public void starvationDetected(int temporaryWorkers) {
        detections.incrementAndGet();
      }
    };
    try (ZeroPool pool = ZeroPool.builder().workers(1).threadNamePrefix("starved-")
        .starvationWatchdog(Duration.ofMillis(50), 2).failureHandler(handler).metrics(metrics).build()) {
      Future<Integer> outer = pool.submit(() -> CompletableFuture.supplyAsync(() -> 7, pool).join());
      assertEquals(7, outer.get(Waits.SECONDS, TimeUnit.SECONDS));
      assertTrue(detections.get() >= 1);
      String text = report.get().getMessage();
      assertTrue(text.contains("starved-0") && text.contains("WAITING"), text);
      assertTrue(text.contains("starting a temporary worker"), text);
    }
  }

  @Test
  void withNoTemporaryWorkersTheWatchdogOnlyReports() throws Exception {
    CountDownLatch reported = new CountDownLatch(1);
    AtomicReference<String> text = new AtomicReference<>();
    FailureHandler handler = new FailureHandler() {
      @Override
      public void onFailure(TaskFn<?> fn, Object params, Throwable failure) {}

      @Override
      public void onStarvation(PoolStarvationException starvation) {
        text.compareAndSet(null, starvation.getMessage());
        reported.countDown();
      }
    };
    CountDownLatch release = new CountDownLatch(1);
    try (ZeroPool pool = ZeroPool.builder().workers(1).starvationWatchdog(Duration.ofMillis(50), 0)
        .failureHandler(handler).build()) {
      try {
        AtomicInteger queued = new AtomicInteger();
        pool.execute(() -> awaitLatch(release));
        TaskFuture behind = pool.submitTask(COUNT, queued);
        assertTrue(reported.await(Waits.SECONDS, TimeUnit.SECONDS));
        assertTrue(text.get().contains("no temporary worker started"), text.get());
        assertFalse(behind.isDone(), "nobody may run the queued task while the only worker is blocked");
        assertEquals(1, pool.stats().queuedTasks(), "the task is still queued");
      } finally {
        release.countDown();
      }
    }
  }

  @Test
  void closeInterruptedStopsTheRunningTasksAndReassertsTheInterrupt() throws Exception {
    ZeroPool pool = ZeroPool.builder().workers(2).build();
    CountDownLatch started = new CountDownLatch(2);
    TaskFn<Object> sleepForAnHour = ignored -> {
      started.countDown();
      try {
        Thread.sleep(TimeUnit.HOURS.toMillis(1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
    pool.submitBatch(sleepForAnHour, new Object[2]);
    assertTrue(started.await(Waits.SECONDS, TimeUnit.SECONDS));
    AtomicReference<Boolean> interruptedAfterClose = new AtomicReference<>();
    Thread closer = new Thread(() -> {
      pool.close();
      interruptedAfterClose.set(Thread.currentThread().isInterrupted());
    });
    closer.start();
    while (closer.getState() != Thread.State.WAITING && closer.getState() != Thread.State.TIMED_WAITING) {
      Thread.onSpinWait();
    }
    closer.interrupt();
    closer.join(TimeUnit.SECONDS.toMillis(30));
    assertFalse(closer.isAlive(), "close() must stop the pool when interrupted");
    assertTrue(pool.isTerminated());
    assertEquals(Boolean.TRUE, interruptedAfterClose.get());
  }

  @Test
  void noTaskOfAClaimedRunStartsAfterShutdownNow() throws Exception {
    ZeroPool pool = onePool();
    CountDownLatch firstStarted = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger started = new AtomicInteger();
    TaskFn<AtomicInteger> blockFirst = count -> {
      if (count.incrementAndGet() == 1) {
        firstStarted.countDown();
        awaitUninterruptibly(release); // ignores the stop's interrupt, as badly written tasks do
      }
    };
    AtomicInteger[] params = new AtomicInteger[20];
    java.util.Arrays.fill(params, started);
    TaskFuture batch = pool.submitBatch(blockFirst, params);
    try {
      assertTrue(firstStarted.await(Waits.SECONDS, TimeUnit.SECONDS));
      List<Runnable> handedBack = pool.shutdownNow();
      assertTrue(handedBack.size() < 19, "the worker had claimed part of the batch: " + handedBack.size());
    } finally {
      release.countDown();
    }
    assertTrue(pool.awaitTermination(Waits.SECONDS, TimeUnit.SECONDS));
    assertEquals(1, started.get(), "only the task that was running when the pool stopped ran");
    assertThrows(CancellationException.class, batch::join);
  }

  @Test
  void shutdownNowCancelsTheFuturesOfSubmitSoWaitersAreReleased() throws Exception {
    ZeroPool pool = onePool();
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    pool.execute(() -> {
      started.countDown();
      awaitUninterruptibly(release);
    });
    try {
      assertTrue(started.await(Waits.SECONDS, TimeUnit.SECONDS));
      Future<String> queued = pool.submit(() -> "never");
      pool.shutdownNow();
      assertTrue(queued.isCancelled());
      assertThrows(CancellationException.class, () -> queued.get(Waits.SECONDS, TimeUnit.SECONDS));
    } finally {
      release.countDown();
    }
    assertTrue(pool.awaitTermination(Waits.SECONDS, TimeUnit.SECONDS));
  }

  @Test
  void taskFutureIsAFutureAndReportsLikeOne() throws Exception {
    try (ZeroPool pool = ZeroPool.create(2)) {
      Future<Void> ok = pool.submitTask(COUNT, new AtomicInteger());
      assertNull(ok.get());
      assertNull(ok.get(1, TimeUnit.SECONDS));
      assertFalse(ok.isCancelled());
      TaskFn<Object> boom = ignored -> {
        throw new IllegalArgumentException("boom");
      };
      ExecutionException failed = assertThrows(ExecutionException.class, () -> pool.submitTask(boom, null).get());
      assertInstanceOf(IllegalArgumentException.class, failed.getCause());

      CountDownLatch release = new CountDownLatch(1);
      TaskFn<CountDownLatch> block = WaitsTest::awaitLatch;
      TaskFuture running = pool.submitBatch(block, new CountDownLatch[] {release, release});
      try {
        assertThrows(TimeoutException.class, () -> running.get(1, TimeUnit.MILLISECONDS));
        assertFalse(running.await(0, TimeUnit.SECONDS), "a zero timeout only checks");
      } finally {
        release.countDown();
      }
      running.join();
    }
  }

  @Test
  void aCancelledSubmissionThrowsCancellationExceptionFromEveryWait() throws Exception {
    try (ZeroPool pool = onePool()) {
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch started = new CountDownLatch(1);
      pool.execute(() -> {
        started.countDown();
        awaitUninterruptibly(release);
      });
      TaskFuture queued;
      CompletableFuture<Void> dependent;
      try {
        assertTrue(started.await(Waits.SECONDS, TimeUnit.SECONDS));
        queued = pool.submitTask(COUNT, new AtomicInteger());
        dependent = queued.toCompletableFuture();
        assertTrue(queued.cancel(true));
      } finally {
        release.countDown();
      }
      assertThrows(CancellationException.class, queued::join);
      assertThrows(CancellationException.class, queued::get);
      assertThrows(CancellationException.class, dependent::join);
      assertTrue(queued.isCancelled());
    }
  }

  @Test
  void dependentFuturesAreCompleteWhenAWaitReturns() throws Exception {
    try (ZeroPool pool = ZeroPool.create(2)) {
      for (int i = 0; i < 500; i++) {
        TaskFuture f = pool.submitBatch(COUNT, new AtomicInteger[] {new AtomicInteger(), new AtomicInteger()});
        CompletableFuture<Void> dependent = f.toCompletableFuture();
        assertTrue(f.await(Waits.SECONDS, TimeUnit.SECONDS));
        assertTrue(dependent.isDone(), "round " + i);
      }
    }
  }

  @Test
  void repeatedTimedOutWaitsLeaveNoWaiterBehind() throws Exception {
    try (ZeroPool pool = onePool()) {
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch started = new CountDownLatch(1);
      TaskFn<Object> blockUntilReleased = ignored -> {
        started.countDown();
        awaitUninterruptibly(release);
      };
      try {
        TaskFuture never = pool.submitTask(blockUntilReleased, null);
        assertTrue(started.await(Waits.SECONDS, TimeUnit.SECONDS)); // running on the worker: waiters cannot help
        for (int i = 0; i < 200; i++) {
          assertFalse(never.await(10, TimeUnit.MICROSECONDS));
        }
        assertEquals(0, dev.zeropool.internal.CompletionProbe.waiters(never));
      } finally {
        release.countDown();
      }
    }
  }

  @Test
  void aWorkerJoiningItsBatchRunsItsOwnTasksBeforeUnrelatedQueuedWork() throws Exception {
    try (ZeroPool pool = onePool()) {
      CountDownLatch taskStarted = new CountDownLatch(1);
      CountDownLatch slowQueued = new CountDownLatch(1);
      AtomicInteger slowRan = new AtomicInteger();
      AtomicReference<Integer> slowRunsWhenJoinReturned = new AtomicReference<>();
      AtomicReference<Long> joinNanos = new AtomicReference<>();
      Future<?> outer = pool.submit(() -> {
        taskStarted.countDown();
        awaitLatch(slowQueued);
        AtomicInteger[] mine = {new AtomicInteger(), new AtomicInteger(), new AtomicInteger()};
        long start = System.nanoTime();
        pool.submitBatch(COUNT, mine).join(); // queued behind the slow, unrelated task
        joinNanos.set(System.nanoTime() - start);
        slowRunsWhenJoinReturned.set(slowRan.get());
      });
      assertTrue(taskStarted.await(Waits.SECONDS, TimeUnit.SECONDS));
      pool.execute(() -> {
        slowRan.incrementAndGet();
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(300)); // a long, unrelated task
      });
      slowQueued.countDown();
      outer.get(Waits.SECONDS, TimeUnit.SECONDS);
      assertEquals(0, slowRunsWhenJoinReturned.get(), "the join ran the unrelated task first");
      assertTrue(joinNanos.get() < TimeUnit.MILLISECONDS.toNanos(300),
          "the join waited for the unrelated task: " + joinNanos.get() + " ns");
    }
  }

  @Test
  void aFailureOfATaskTheCallerRanWhileHelpingIsReportedOnceThroughTheFuture() throws Exception {
    try (ZeroPool pool = onePool()) {
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch started = new CountDownLatch(1);
      pool.execute(() -> { // the only worker is busy, so the joiner runs the failing task itself
        started.countDown();
        awaitUninterruptibly(release);
      });
      AtomicReference<Throwable> uncaught = new AtomicReference<>();
      AtomicReference<Throwable> joined = new AtomicReference<>();
      AtomicReference<Thread> ranOn = new AtomicReference<>();
      try {
        assertTrue(started.await(Waits.SECONDS, TimeUnit.SECONDS));
        TaskFn<Object> boom = ignored -> {
          ranOn.set(Thread.currentThread());
          throw new IllegalStateException("boom");
        };
        TaskFuture f = pool.submitTask(boom, null);
        Thread caller = new Thread(() -> {
          try {
            f.join();
          } catch (Throwable t) {
            joined.set(t);
          }
        });
        caller.setUncaughtExceptionHandler((t, e) -> uncaught.set(e));
        caller.start();
        Waits.ended(caller);
        assertSame(caller, ranOn.get(), "the caller helped");
      } finally {
        release.countDown();
      }
      assertInstanceOf(IllegalStateException.class, joined.get().getCause());
      assertNull(uncaught.get(), "the caller's thread did not die: nothing to print as if it had");
    }
  }

  @Test
  void aWorkerWaitingForWorkRunningElsewhereRunsOtherQueuedWorkMeanwhile() throws Exception {
    assertTrue(waiterRunsTheOtherTask(false));
  }

  @Test
  void aWorkerWaitingForWorkRunningElsewhereRunsItsOwnRunNextTaskMeanwhile() throws Exception {
    assertTrue(waiterRunsTheOtherTask(true));
  }

  /**
   * Both workers are busy: one runs {@code inner}, which waits for {@code other}; the other waits for
   * {@code inner}. Only the waiting worker can run {@code other}, and it must (a nested wait on a busy
   * pool). {@code other} is an {@code execute} from the waiting worker (its run-next slot) or a task
   * on the shared queue.
   */
  private static boolean waiterRunsTheOtherTask(boolean local) throws Exception {
    try (ZeroPool pool = ZeroPool.builder().workers(2).withoutStarvationWatchdog().build()) {
      CountDownLatch innerStarted = new CountDownLatch(1);
      CountDownLatch otherRan = new CountDownLatch(1);
      AtomicReference<Thread> waiter = new AtomicReference<>();
      AtomicReference<Thread> otherRanOn = new AtomicReference<>();
      Runnable other = () -> {
        otherRanOn.set(Thread.currentThread());
        otherRan.countDown();
      };
      Future<?> outer = pool.submit(() -> {
        waiter.set(Thread.currentThread());
        TaskFuture inner = pool.submitTask(ignored -> {
          innerStarted.countDown();
          awaitLatch(otherRan);
        }, null);
        awaitLatch(innerStarted); // so `inner` runs on the other worker, not here
        if (local) {
          pool.execute(other);
        } else {
          pool.submitTask(ignored -> other.run(), null);
        }
        inner.join();
      });
      outer.get(Waits.SECONDS, TimeUnit.SECONDS);
      assertSame(waiter.get(), otherRanOn.get(), "the waiting worker ran the queued task");
      return true;
    }
  }

  @Test
  void aTaskRunByAHelpingCallerThatWaitsForTheCallersOwnSubmissionFailsFast() throws Exception {
    // The caller helps `outer` (runs its task), which waits for `inner`, whose task the caller also
    // runs, nested; that task then waits for `outer`, which is on the caller's own stack two levels
    // down: refused, not a hang.
    try (ZeroPool pool = onePool()) {
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch started = new CountDownLatch(1);
      pool.execute(() -> { // the only worker is busy, so the caller runs both tasks itself
        started.countDown();
        awaitUninterruptibly(release);
      });
      AtomicReference<TaskFuture> outer = new AtomicReference<>();
      AtomicReference<Throwable> refused = new AtomicReference<>();
      AtomicReference<Thread> innerRanOn = new AtomicReference<>();
      Thread caller = new Thread(() -> {
        TaskFn<Object> waitForInner = ignored -> pool.submitTask(nothing -> {
          innerRanOn.set(Thread.currentThread());
          try {
            outer.get().join();
          } catch (IllegalStateException e) {
            refused.set(e);
          }
        }, null).join();
        outer.set(pool.submitTask(waitForInner, null));
        outer.get().join();
      });
      caller.setDaemon(true); // left blocked if the wait is not refused
      try {
        assertTrue(started.await(Waits.SECONDS, TimeUnit.SECONDS));
        caller.start();
        Waits.ended(caller);
      } finally {
        release.countDown();
      }
      assertSame(caller, innerRanOn.get(), "the caller ran the nested task");
      assertTrue(refused.get().getMessage().contains("its own submission"), refused.get().getMessage());
    }
  }

  @Test
  void aTaskAWorkerRunsWhileHelpingThatWaitsForTheWorkersOwnTaskFailsFast() throws Exception {
    ZeroPool pool = onePool();
    try {
      AtomicReference<TaskFuture> outer = new AtomicReference<>();
      AtomicReference<Throwable> refused = new AtomicReference<>();
      CountDownLatch published = new CountDownLatch(1);
      TaskFn<Object> waitForInner = ignored -> {
        awaitLatch(published);
        pool.submitTask(nothing -> { // the only worker runs it itself, nested in this task
          try {
            outer.get().join();
          } catch (IllegalStateException e) {
            refused.set(e);
          }
        }, null).join();
      };
      outer.set(pool.submitTask(waitForInner, null));
      published.countDown();
      assertTrue(outer.get().await(Waits.SECONDS, TimeUnit.SECONDS), "the nested wait for itself hung");
      assertTrue(String.valueOf(refused.get()).contains("its own submission"), String.valueOf(refused.get()));
    } finally {
      pool.shutdownNow(); // no close(): after a failure its worker may be stuck for good
    }
  }

  static void awaitLatch(CountDownLatch latch) {
    try {
      if (!latch.await(Waits.SECONDS, TimeUnit.SECONDS)) {
        throw new AssertionError("latch not released within " + Waits.SECONDS + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  static void awaitUninterruptibly(CountDownLatch latch) {
    boolean interrupted = false;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Waits.SECONDS);
    while (latch.getCount() > 0 && System.nanoTime() - deadline < 0) {
      try {
        latch.await(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
