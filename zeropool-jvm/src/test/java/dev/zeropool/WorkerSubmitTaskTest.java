package dev.zeropool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@code submitTask} called on a worker of the same pool: the task waits in that worker's local work
 * (run-next slot, local queue, the shared queue when the local queue overflows), and its future still
 * ends with the task's outcome, or fails when the task never starts.
 */
class WorkerSubmitTaskTest {

  private static ZeroPool oneWorker() {
    return ZeroPool.builder().workers(1).withoutStarvationWatchdog().build();
  }

  /**
   * Runs {@code onWorker} on the only worker of {@code pool} once a task from outside, which appends
   * "outside" to {@code order}, is queued behind it; then shuts the pool down and waits for its end.
   */
  private static void runWithOutsideTaskQueued(ZeroPool pool, StringBuffer order, Runnable onWorker)
      throws InterruptedException {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch outsideQueued = new CountDownLatch(1);
    CountDownLatch ran = new CountDownLatch(1);
    pool.execute(() -> {
      started.countDown();
      WaitsTest.awaitLatch(outsideQueued);
      onWorker.run();
      ran.countDown();
    });
    Waits.open(started, "the first task started");
    try {
      pool.execute(() -> order.append("outside "));
    } finally {
      outsideQueued.countDown();
    }
    Waits.open(ran, "the first task ran"); // before the shutdown, which would refuse its submission
    pool.shutdown();
    assertTrue(pool.awaitTermination(Waits.SECONDS, TimeUnit.SECONDS));
  }

  @Test
  void aSubtaskRunsNextOnItsWorkerBeforeWorkQueuedFromOutside() throws Exception {
    try (ZeroPool pool = oneWorker()) {
      StringBuffer order = new StringBuffer();
      runWithOutsideTaskQueued(pool, order,
          () -> pool.submitTask(o -> order.append("subtask "), null));
      assertEquals("subtask outside ", order.toString());
    }
  }

  @Test
  void aBackgroundSubtaskStillWaitsForForegroundWork() throws Exception {
    try (ZeroPool pool = oneWorker()) {
      StringBuffer order = new StringBuffer();
      runWithOutsideTaskQueued(pool, order,
          () -> pool.submitTask(o -> order.append("subtask "), null, TaskOptions.BACKGROUND));
      assertEquals("outside subtask ", order.toString());
    }
  }

  /** Its own subtask comes first: a worker that waits runs other queued work only when it has none. */
  @Test
  void aWorkerJoiningItsSubtaskRunsItBeforeOtherQueuedWork() throws Exception {
    try (ZeroPool pool = oneWorker()) {
      StringBuffer order = new StringBuffer();
      AtomicReference<Thread> worker = new AtomicReference<>();
      AtomicReference<Thread> subtaskThread = new AtomicReference<>();
      runWithOutsideTaskQueued(pool, order, () -> {
        worker.set(Thread.currentThread());
        pool.submitTask(o -> {
          subtaskThread.set(Thread.currentThread());
          order.append("subtask ");
        }, null).join();
        order.append("joined ");
      });
      assertEquals("subtask joined outside ", order.toString());
      assertSame(worker.get(), subtaskThread.get());
    }
  }

  @Test
  void anIdleWorkerStealsASubtaskWhileItsOwnerIsBlocked() throws Exception {
    try (ZeroPool pool = ZeroPool.builder().workers(2).withoutStarvationWatchdog().build()) {
      AtomicReference<TaskFuture> subtask = new AtomicReference<>();
      CountDownLatch release = new CountDownLatch(1);
      pool.execute(() -> {
        subtask.set(pool.submitTask(o -> { }, null));
        WaitsTest.awaitUninterruptibly(release);
      });
      try {
        Waits.until(() -> subtask.get() != null, "the subtask was submitted");
        Waits.done(subtask.get());
      } finally {
        release.countDown();
      }
      subtask.get().join();
    }
  }

  /**
   * A worker that waits steals what it waits for from another worker's local work: here that worker
   * is blocked until the subtask ran, so a waiter that only parked would wait for ever.
   */
  @Test
  void aWaitingWorkerStealsTheSubtaskOfABlockedWorker() throws Exception {
    try (ZeroPool pool = ZeroPool.builder().workers(2).withoutStarvationWatchdog().build()) {
      AtomicReference<TaskFuture> subtask = new AtomicReference<>();
      AtomicReference<Thread> subtaskThread = new AtomicReference<>();
      AtomicReference<Boolean> waiterSawItDone = new AtomicReference<>();
      CountDownLatch waiterStarted = new CountDownLatch(1);
      CountDownLatch submitted = new CountDownLatch(1);
      CountDownLatch subtaskRan = new CountDownLatch(1);
      AtomicReference<Thread> waiter = new AtomicReference<>();
      pool.execute(() -> { // occupies one worker until the subtask exists, then waits for it
        waiter.set(Thread.currentThread());
        waiterStarted.countDown();
        WaitsTest.awaitLatch(submitted);
        try {
          waiterSawItDone.set(subtask.get().await(Waits.SECONDS, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      Waits.open(waiterStarted, "the waiter occupies a worker");
      pool.execute(() -> { // so this runs on the other worker, which blocks until the subtask ran
        subtask.set(pool.submitTask(o -> {
          subtaskThread.set(Thread.currentThread());
          subtaskRan.countDown();
        }, null));
        submitted.countDown();
        WaitsTest.awaitLatch(subtaskRan);
      });
      Waits.open(subtaskRan, "the subtask ran");
      Waits.until(() -> waiterSawItDone.get() != null, "the waiter's wait ended");
      assertTrue(waiterSawItDone.get());
      assertSame(waiter.get(), subtaskThread.get(), "the waiter stole it");
    }
  }

  /**
   * More subtasks than a local queue holds: some wait in the run-next slot, some in the local queue,
   * the overflow in the shared queue, and the second worker steals; each future gets its own outcome.
   */
  @Test
  void subtasksOverflowingTheLocalQueueEachEndWithTheirOwnOutcome() throws Exception {
    PoolCounters counters = new PoolCounters();
    try (ZeroPool pool = ZeroPool.builder().workers(2).withoutStarvationWatchdog().metrics(counters)
        .build()) {
      int count = 300;
      List<TaskFuture> futures = new ArrayList<>();
      AtomicInteger ran = new AtomicInteger();
      pool.submitTask(o -> {
        for (int i = 0; i < count; i++) {
          int index = i;
          futures.add(pool.submitTask(p -> {
            ran.incrementAndGet();
            if (index % 7 == 0) {
              throw new IllegalStateException("subtask " + index);
            }
          }, null));
        }
      }, null).join();
      for (int i = 0; i < count; i++) {
        TaskFuture f = futures.get(i);
        Waits.until(f::isDone, "subtask " + i + " is done");
        if (i % 7 == 0) {
          assertEquals("subtask " + i, f.failure().getCause().getMessage());
        } else {
          assertNull(f.failure(), "subtask " + i);
        }
      }
      assertEquals(count, ran.get());
      assertEquals(count + 1, counters.submitted());
      assertEquals((count + 6) / 7, counters.failed());
      assertEquals(count + 1 - counters.failed(), counters.completed());
    }
  }

  /** A recursive split whose parts are submitted as subtasks and joined; counts each part's runs. */
  private static final class Fib {
    final int n;
    final AtomicInteger runs = new AtomicInteger();
    long value;

    Fib(int n) {
      this.n = n;
    }

    void compute(ZeroPool pool, Queue<Fib> submitted) {
      runs.incrementAndGet();
      if (n < 2) {
        value = n;
        return;
      }
      Fib first = new Fib(n - 1);
      submitted.add(first);
      TaskFuture forked = pool.submitTask(f -> f.compute(pool, submitted), first);
      Fib second = new Fib(n - 2);
      second.compute(pool, submitted);
      forked.join();
      value = first.value + second.value;
    }
  }

  /**
   * Stress: joining workers take their subtasks back from their run-next slots while idle workers
   * steal them, over and over; each subtask must run exactly once and every join must see its result.
   */
  @Test
  void recursiveSubtasksRunExactlyOnceWhileOwnersAndThievesRace() throws Exception {
    for (int workers : new int[] {2, 4}) {
      try (ZeroPool pool = ZeroPool.builder().workers(workers).withoutStarvationWatchdog().build()) {
        for (int round = 0; round < 10; round++) {
          Queue<Fib> submitted = new ConcurrentLinkedQueue<>();
          Fib root = new Fib(18);
          pool.submitTask(f -> f.compute(pool, submitted), root).join();
          assertEquals(2584, root.value, workers + " workers, round " + round);
          assertEquals(4180, submitted.size()); // each Fib(n >= 2) forks one subtask
          for (Fib f : submitted) {
            assertEquals(1, f.runs.get(), "fib(" + f.n + ") ran " + f.runs.get() + " times");
          }
        }
      }
    }
  }

  @Test
  void shutdownNowFailsTheFutureOfEverySubtaskThatHasNotStarted() throws Exception {
    ZeroPool pool = oneWorker();
    int count = 300; // in the run-next slot, the local queue and, overflowing, the shared queue
    List<TaskFuture> futures = new ArrayList<>();
    AtomicInteger ran = new AtomicInteger();
    CountDownLatch submitted = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    pool.execute(() -> {
      for (int i = 0; i < count; i++) {
        futures.add(pool.submitTask(o -> ran.incrementAndGet(), null));
      }
      submitted.countDown();
      WaitsTest.awaitUninterruptibly(release);
    });
    List<Runnable> handedBack;
    try {
      Waits.open(submitted, "the subtasks were submitted");
      handedBack = pool.shutdownNow();
    } finally {
      release.countDown();
    }
    assertTrue(pool.awaitTermination(Waits.SECONDS, TimeUnit.SECONDS));
    assertEquals(0, ran.get());
    assertEquals(count, handedBack.size());
    for (TaskFuture f : futures) {
      assertTrue(f.isDone());
      assertInstanceOf(CancellationException.class, f.failure().getCause());
    }
    for (Runnable r : handedBack) {
      assertFalse(r instanceof TaskFuture, "handed back as the task itself, not as its future: " + r);
      r.run();
    }
    assertEquals(count, ran.get(), "running what was handed back runs each task once");
  }

  @Test
  void aSubtaskCancelledBeforeItStartsIsSkipped() throws Exception {
    try (ZeroPool pool = oneWorker()) {
      CancellationToken token = new CancellationToken();
      AtomicInteger ran = new AtomicInteger();
      AtomicReference<TaskFuture> subtask = new AtomicReference<>();
      pool.submitTask(o -> {
        subtask.set(pool.submitTask(p -> ran.incrementAndGet(), null, TaskOptions.DEFAULT.cancelledBy(token)));
        token.cancel();
      }, null).join();
      assertThrows(CancellationException.class, subtask.get()::join);
      assertEquals(0, ran.get());
    }
  }

  @Test
  void aCancelledSubtaskFailsItsFutureWithACancellation() throws Exception {
    try (ZeroPool pool = oneWorker()) {
      AtomicReference<TaskFuture> subtask = new AtomicReference<>();
      pool.submitTask(o -> {
        TaskFuture f = pool.submitTask(p -> { }, null);
        assertTrue(f.cancel());
        subtask.set(f);
      }, null).join();
      assertThrows(CancellationException.class, subtask.get()::join);
      assertTrue(subtask.get().isCancelled());
    }
  }

  @Test
  void aSubtaskJoiningItsOwnFutureIsRefused() throws Exception {
    try (ZeroPool pool = oneWorker()) {
      AtomicReference<TaskFuture> self = new AtomicReference<>();
      AtomicReference<Throwable> refused = new AtomicReference<>();
      CountDownLatch done = new CountDownLatch(1);
      pool.execute(() -> self.set(pool.submitTask(o -> {
        try {
          self.get().join();
        } catch (Throwable t) {
          refused.set(t);
        }
        done.countDown();
      }, null)));
      Waits.open(done, "the subtask ran");
      assertInstanceOf(IllegalStateException.class, refused.get());
    }
  }

  /**
   * A subtask joined in place runs at its parent's nesting level; a wait inside it for the parent's own
   * submission must still be refused, not hang.
   */
  @Test
  void aSubtaskRunInPlaceThatWaitsForItsParentsSubmissionIsRefused() throws Exception {
    try (ZeroPool pool = oneWorker()) {
      AtomicReference<TaskFuture> parent = new AtomicReference<>();
      AtomicReference<Throwable> refused = new AtomicReference<>();
      CountDownLatch parentKnown = new CountDownLatch(1);
      parent.set(pool.submitTask(o -> {
        WaitsTest.awaitLatch(parentKnown);
        pool.submitTask(p -> {
          try {
            parent.get().join();
          } catch (Throwable t) {
            refused.set(t);
          }
        }, null).join();
      }, null));
      parentKnown.countDown();
      Waits.done(parent.get());
      assertInstanceOf(IllegalStateException.class, refused.get());
    }
  }

  @Test
  void getOnAWorkerRunsItsSubtaskInPlaceUnlessInterrupted() throws Exception {
    try (ZeroPool pool = oneWorker()) {
      AtomicReference<Thread> subtaskThread = new AtomicReference<>();
      AtomicReference<Thread> worker = new AtomicReference<>();
      AtomicReference<Throwable> interruptedGet = new AtomicReference<>();
      AtomicBoolean ranBeforeGetFailed = new AtomicBoolean();
      pool.submitTask(o -> {
        worker.set(Thread.currentThread());
        try {
          pool.submitTask(p -> subtaskThread.set(Thread.currentThread()), null).get();
          AtomicBoolean ran = new AtomicBoolean();
          TaskFuture second = pool.submitTask(p -> ran.set(true), null);
          Thread.currentThread().interrupt();
          try {
            second.get();
          } catch (InterruptedException e) {
            interruptedGet.set(e);
            ranBeforeGetFailed.set(ran.get());
          }
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      }, null).join();
      assertSame(worker.get(), subtaskThread.get());
      assertInstanceOf(InterruptedException.class, interruptedGet.get());
      assertFalse(ranBeforeGetFailed.get(), "an interrupted get() throws before it runs anything");
    }
  }

  @Test
  void submitTaskOnAWorkerAfterShutdownIsRejected() throws Exception {
    ZeroPool pool = oneWorker();
    AtomicReference<Throwable> refused = new AtomicReference<>();
    pool.submitTask(o -> {
      pool.shutdown();
      try {
        pool.submitTask(p -> { }, null);
      } catch (Throwable t) {
        refused.set(t);
      }
    }, null).join();
    assertTrue(pool.awaitTermination(Waits.SECONDS, TimeUnit.SECONDS));
    assertInstanceOf(RejectedExecutionException.class, refused.get());
  }

  @Test
  void aSubtasksFutureCannotBeRunByItsHolder() throws Exception {
    try (ZeroPool pool = oneWorker()) {
      AtomicReference<TaskFuture> subtask = new AtomicReference<>();
      pool.submitTask(o -> subtask.set(pool.submitTask(p -> { }, null)), null).join();
      assertNotNull(subtask.get());
      if (subtask.get() instanceof Runnable) {
        assertThrows(UnsupportedOperationException.class, ((Runnable) subtask.get())::run);
      }
      subtask.get().join();
    }
  }
}
