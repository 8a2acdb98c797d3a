package dev.zeropool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeropool.internal.CompletionProbe;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The waits of {@link TaskFuture} one by one: when they help, when they must not, when they return,
 * what they leave on the future's waiter stack. Work is held in a {@link Gate} so that "still running"
 * and "still queued" are certain; every wait that could hang runs on a thread of its own, joined within
 * the bound of {@link Waits}.
 */
class TaskFutureWaitsTest {

  static final TaskFn<AtomicInteger> COUNT = AtomicInteger::incrementAndGet;

  /** What a waiting thread ended with: its result, or what it threw. */
  interface Wait {
    Object call() throws Exception;
  }

  private final List<ZeroPool> pools = new ArrayList<>();
  private final List<Gate> gates = new ArrayList<>();
  private final List<CountDownLatch> latches = new ArrayList<>();

  private ZeroPool pool(int workers) {
    ZeroPool pool = ZeroPool.builder().workers(workers).withoutStarvationWatchdog().build();
    pools.add(pool);
    return pool;
  }

  private Gate gate() {
    Gate gate = new Gate();
    gates.add(gate);
    return gate;
  }

  private CountDownLatch latch() {
    CountDownLatch latch = new CountDownLatch(1);
    latches.add(latch);
    return latch;
  }

  @AfterEach
  void releaseAndStop() {
    latches.forEach(CountDownLatch::countDown);
    gates.forEach(Gate::release);
    pools.forEach(ZeroPool::shutdownNow); // interrupts a worker left waiting by a failed test
  }

  private static Thread waiter(String name, Wait wait, AtomicReference<Object> outcome) {
    Thread t = new Thread(() -> {
      try {
        outcome.set(wait.call());
      } catch (Throwable e) {
        outcome.set(e);
      }
    }, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static boolean inFrame(Thread thread, String method) {
    return Arrays.stream(thread.getStackTrace()).anyMatch(f -> f.getMethodName().equals(method));
  }

  @Test
  void aDoneSubmissionCannotBeCancelledInAnyForm() throws Exception {
    TaskFuture f = pool(1).submitTask(COUNT, new AtomicInteger());
    Waits.done(f);
    assertFalse(f.cancel());
    assertFalse(f.cancel(true));
    assertFalse(f.cancel(false));
    assertFalse(f.isCancelled());
    assertNull(f.failure());
  }

  @Test
  void anUntimedGetWithAPendingInterruptThrowsWithoutRunningTheTaskInPlace() throws Exception {
    ZeroPool pool = pool(1);
    Gate gate = gate();
    gate.run(pool, Gate.HOLD);
    AtomicInteger ran = new AtomicInteger();
    TaskFuture queued = pool.submitTask(COUNT, ran);
    Thread.currentThread().interrupt();
    try {
      assertThrows(InterruptedException.class, queued::get);
    } finally {
      Thread.interrupted();
    }
    assertEquals(0, ran.get(), "an interrupted get neither helps nor runs the task");
    assertFalse(queued.isDone());
    gate.release();
    Waits.done(queued);
    assertEquals(1, ran.get());
  }

  @Test
  void anUntimedGetFromOutsideRunsItsOwnQueuedTaskWhileEveryWorkerIsBusy() throws Exception {
    ZeroPool pool = pool(1);
    gate().run(pool, Gate.HOLD); // held until the end of the test
    AtomicInteger ran = new AtomicInteger();
    TaskFuture queued = pool.submitTask(COUNT, ran);
    AtomicReference<Object> outcome = new AtomicReference<>("not returned");
    Thread getter = waiter("getter", queued::get, outcome);
    Waits.ended(getter);
    assertNull(outcome.get(), "get() returned normally");
    assertEquals(1, ran.get(), "the waiting caller ran its own task");
    assertTrue(queued.isDone());
  }

  @Test
  void everyWaitReturnsOnlyOnceTheTaskRunningOnAWorkerHasFinished() throws Exception {
    ZeroPool pool = pool(1);
    Gate gate = gate();
    TaskFuture running = gate.run(pool, Gate.HOLD);
    AtomicReference<Object> fromGet = new AtomicReference<>();
    AtomicReference<Object> fromJoin = new AtomicReference<>();
    AtomicReference<Object> fromAwait = new AtomicReference<>();
    Thread getter = waiter("getter", () -> {
      running.get();
      return running.isDone();
    }, fromGet);
    Thread joiner = waiter("joiner", () -> {
      running.join();
      return running.isDone();
    }, fromJoin);
    Thread awaiter = waiter("awaiter", () -> running.await(1, TimeUnit.MINUTES) && running.isDone(), fromAwait);
    try {
      for (Thread t : List.of(getter, joiner, awaiter)) {
        Waits.state(t, Thread.State.WAITING, Thread.State.TIMED_WAITING);
      }
      assertEquals(3, CompletionProbe.waiters(running), "three parked waiters on the stack");
      assertFalse(running.isDone());
    } finally {
      gate.release();
    }
    for (Thread t : List.of(getter, joiner, awaiter)) {
      Waits.ended(t);
    }
    assertEquals(true, fromGet.get(), "get() returned after the task finished");
    assertEquals(true, fromJoin.get(), "join() returned after the task finished");
    assertEquals(true, fromAwait.get(), "a timed await parked until the end returned true");
    assertEquals(0, CompletionProbe.waiters(running), "a completed future keeps no waiter");
  }

  @Test
  void timedOutWaitsLeaveNoNodeBehindAndNeverDropALiveWaiterOrACallback() throws Exception {
    ZeroPool pool = pool(1);
    Gate gate = gate();
    TaskFuture running = gate.run(pool, Gate.HOLD);
    CountDownLatch fired = new CountDownLatch(1);
    running.whenDone(e -> fired.countDown());
    AtomicReference<Object> outcome = new AtomicReference<>("not returned");
    Thread getter = waiter("getter", () -> {
      running.get();
      return running.isDone();
    }, outcome);
    try {
      Waits.state(getter, Thread.State.WAITING, Thread.State.TIMED_WAITING);
      assertEquals(2, CompletionProbe.waiters(running), "the callback and the parked getter");
      for (int i = 0; i < 20; i++) {
        // Far longer than the spin window: each wait parks on a node of its own, then gives it up.
        assertFalse(running.await(2, TimeUnit.MILLISECONDS));
      }
      assertEquals(2, CompletionProbe.waiters(running), "the timed-out nodes are gone, the live ones stay");
    } finally {
      gate.release();
    }
    Waits.ended(getter);
    assertEquals(true, outcome.get(), "the parked getter was woken when the task finished");
    Waits.open(fired, "the callback fired");
  }

  @Test
  void aWaitThatFindsTheSubmissionDoneReturnsOnlyAfterItsCallbacksHaveRun() throws Exception {
    ZeroPool pool = pool(1);
    Gate gate = gate();
    TaskFuture f = gate.run(pool, Gate.HOLD);
    CountDownLatch callbackEntered = latch();
    CountDownLatch callbackRelease = latch();
    AtomicBoolean callbackDone = new AtomicBoolean();
    f.whenDone(e -> {
      callbackEntered.countDown();
      WaitsTest.awaitLatch(callbackRelease);
      callbackDone.set(true);
    });
    gate.release();
    Waits.open(callbackEntered, "the worker runs the callback");
    assertTrue(f.isDone(), "every task has finished; the callback is still running");
    List<AtomicReference<Object>> outcomes = List.of(new AtomicReference<>(), new AtomicReference<>(),
        new AtomicReference<>());
    List<Thread> waiters;
    try {
      waiters = List.of(
          waiter("joiner", () -> {
            f.join();
            return callbackDone.get();
          }, outcomes.get(0)),
          waiter("getter", () -> {
            f.get();
            return callbackDone.get();
          }, outcomes.get(1)),
          waiter("awaiter", () -> f.await(1, TimeUnit.MINUTES) && callbackDone.get(), outcomes.get(2)));
      for (Thread t : waiters) {
        Waits.until(() -> !t.isAlive() || inFrame(t, "awaitSettled"),
            t.getName() + " waits for the callbacks or has returned");
      }
    } finally {
      callbackRelease.countDown();
    }
    for (int i = 0; i < waiters.size(); i++) {
      Waits.ended(waiters.get(i));
      assertEquals(true, outcomes.get(i).get(), waiters.get(i).getName() + " returned before the callback had run");
    }
  }

  @Test
  void aWaiterThatTimesOutWhileTheCallbacksRunLeavesTheFutureDoneForLaterCallbacks() throws Exception {
    ZeroPool pool = pool(1);
    Gate gate = gate();
    TaskFuture f = gate.run(pool, Gate.HOLD);
    CountDownLatch callbackEntered = latch();
    CountDownLatch callbackRelease = latch();
    f.whenDone(e -> {
      callbackEntered.countDown();
      WaitsTest.awaitLatch(callbackRelease);
    });
    AtomicReference<Object> outcome = new AtomicReference<>("not returned");
    Thread awaiter = waiter("awaiter", () -> f.await(300, TimeUnit.MILLISECONDS), outcome);
    try {
      Waits.state(awaiter, Thread.State.TIMED_WAITING); // parked on the stack before the task ends
      gate.release();
      Waits.open(callbackEntered, "the worker runs the first callback");
      Waits.ended(awaiter); // its deadline passes while the callback still runs
    } finally {
      callbackRelease.countDown();
    }
    assertEquals(false, outcome.get(), "the wait ran out before the callbacks had run");
    CountDownLatch later = new CountDownLatch(1);
    f.whenDone(e -> later.countDown());
    Waits.open(later, "a callback registered after completion runs (the given-up node did not reopen the stack)");
    assertEquals(0, CompletionProbe.waiters(f));
  }

  @Test
  void aTaskWaitingForItsOwnSubmissionFailsFastInEveryWaitingForm() throws Exception {
    for (String form : List.of("get", "await", "view get", "view join")) {
      ZeroPool pool = pool(1);
      AtomicReference<TaskFuture> self = new AtomicReference<>();
      CountDownLatch published = latch();
      TaskFn<Object> waitForItself = ignored -> {
        WaitsTest.awaitLatch(published);
        TaskFuture me = self.get();
        try {
          switch (form) {
            case "get" -> me.get();
            case "await" -> me.await(1, TimeUnit.MINUTES);
            case "view get" -> me.toCompletableFuture().get();
            default -> me.toCompletableFuture().join();
          }
        } catch (InterruptedException | ExecutionException e) {
          throw new AssertionError(e);
        }
      };
      self.set(pool.submitTask(waitForItself, null));
      published.countDown();
      CompletionException failure = assertThrows(CompletionException.class,
          () -> self.get().await(Waits.SECONDS, TimeUnit.SECONDS), form + " did not fail fast");
      assertInstanceOf(IllegalStateException.class, failure.getCause(), form);
    }
  }

  /** A pool (closed after the test) whose workers' uncaught-exception handler adds to {@code uncaught}. */
  private ZeroPool poolReportingUncaughtTo(List<Throwable> uncaught, int workers) {
    ZeroPool pool = ZeroPool.builder().workers(workers).withoutStarvationWatchdog().threadFactory(r -> {
      Thread t = new Thread(r, "helping-worker");
      t.setDaemon(true);
      t.setUncaughtExceptionHandler((thread, e) -> uncaught.add(e));
      return t;
    }).build();
    pools.add(pool);
    return pool;
  }

  @Test
  void aFailingExecuteTaskThatAWaitingWorkerRunsGoesToItsUncaughtExceptionHandler() throws Exception {
    List<Throwable> uncaught = new java.util.concurrent.CopyOnWriteArrayList<>();
    ZeroPool pool = poolReportingUncaughtTo(uncaught, 2);
    Gate gate = gate();
    TaskFuture held = gate.run(pool, Gate.HOLD); // one worker held: the other is the waiter below
    IllegalStateException failure = new IllegalStateException("an execute task fails");
    TaskFn<Object> queueThenWait = ignored -> {
      pool.executeQueued(() -> {
        throw failure;
      });
      held.join(); // helps: runs the queued execute task while the held one runs elsewhere
    };
    TaskFuture waiter;
    try {
      waiter = pool.submitTask(queueThenWait, null);
      Waits.until(() -> !uncaught.isEmpty(), "the execute task's failure reached the handler");
    } finally {
      gate.release();
    }
    Waits.done(waiter);
    assertEquals(List.of(failure), uncaught, "reported once, on the worker that ran it");
  }

  @Test
  void aFailingExecuteTaskFromTheSharedQueueThatAWaitingWorkerRunsGoesToItsUncaughtExceptionHandler()
      throws Exception {
    List<Throwable> uncaught = new java.util.concurrent.CopyOnWriteArrayList<>();
    ZeroPool pool = poolReportingUncaughtTo(uncaught, 2);
    Gate gate = gate();
    TaskFuture held = gate.run(pool, Gate.HOLD); // one worker held: the other is the waiter below
    IllegalStateException failure = new IllegalStateException("an execute task from outside fails");
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch queued = new CountDownLatch(1);
    TaskFn<Object> waitThenJoin = ignored -> {
      inside.countDown();
      WaitsTest.awaitLatch(queued);
      held.join(); // helps: takes the execute task from the shared queue while the held one runs elsewhere
    };
    TaskFuture waiter;
    try {
      waiter = pool.submitTask(waitThenJoin, null);
      Waits.open(inside, "the waiter started on the free worker");
      pool.execute(() -> { // from outside the pool: the shared queue, where only the waiter can take it
        throw failure;
      });
      queued.countDown();
      Waits.until(() -> !uncaught.isEmpty(), "the execute task's failure reached the handler");
    } finally {
      queued.countDown();
      gate.release();
    }
    Waits.done(waiter);
    assertEquals(List.of(failure), uncaught, "reported once, on the worker that ran it");
  }

  @Test
  void anErrorInABatchTaskThatAWaitingWorkerRunsGoesToItsUncaughtExceptionHandler() throws Exception {
    List<Throwable> uncaught = new java.util.concurrent.CopyOnWriteArrayList<>();
    ZeroPool pool = poolReportingUncaughtTo(uncaught, 1);
    AssertionError error = new AssertionError("an Error in a batch task");
    TaskFn<Object> fail = ignored -> {
      throw error;
    };
    AtomicReference<Object> joined = new AtomicReference<>();
    TaskFuture outer = pool.submitTask(ignored -> {
      TaskFuture batch = pool.submitBatch(fail, new Object[] {null}); // queued: only this worker can run it
      try {
        batch.join(); // runs the batch's task while it waits
        joined.set("no failure");
      } catch (CompletionException e) {
        joined.set(e.getCause());
      }
    }, null);
    Waits.done(outer);
    assertEquals(error, joined.get(), "the batch failed with the task's error");
    Waits.until(() -> !uncaught.isEmpty(), "the Error reached the worker's handler");
    assertEquals(List.of(error), uncaught);
  }

  @Test
  void aWorkerStopsHelpingAsSoonAsItsOwnSubmissionIsDone() throws Exception {
    ZeroPool pool = pool(1);
    AtomicBoolean joinReturned = new AtomicBoolean();
    AtomicReference<Object> seenByUnrelated = new AtomicReference<>("never ran");
    CountDownLatch afterJoin = latch();
    TaskFn<Object> unrelated = ignored -> {
      seenByUnrelated.set(joinReturned.get());
      WaitsTest.awaitLatch(afterJoin); // would deadlock if run inside the join below
    };
    TaskFuture outer = pool.submitTask(ignored -> {
      TaskFuture own = pool.submitTask(COUNT, new AtomicInteger());
      pool.submitTask(unrelated, null); // queued behind the outer task's own one
      own.join();
      joinReturned.set(true);
      afterJoin.countDown();
    }, null);
    Waits.done(outer);
    Waits.until(() -> !"never ran".equals(seenByUnrelated.get()), "the unrelated task ran");
    assertEquals(true, seenByUnrelated.get(), "the unrelated task ran after the join, not inside it");
  }

  @Test
  void aWorkerInATimedWaitStopsHelpingOnceItsDeadlineHasPassed() throws Exception {
    ZeroPool pool = pool(2);
    Gate gate = gate();
    TaskFuture held = gate.run(pool, Gate.HOLD); // one worker held: the other waits below
    long timeoutNanos = TimeUnit.MILLISECONDS.toNanos(50);
    AtomicBoolean awaitReturned = new AtomicBoolean();
    AtomicReference<Object> seenBySecond = new AtomicReference<>("never ran");
    TaskFn<Long> outlastTheDeadline = start -> {
      while (System.nanoTime() - start < 2 * timeoutNanos) { // the clock itself is what is waited for
        java.util.concurrent.locks.LockSupport.parkNanos(timeoutNanos);
      }
    };
    TaskFn<Object> second = ignored -> seenBySecond.set(awaitReturned.get());
    TaskFuture outer = pool.submitTask(ignored -> {
      try {
        pool.submitTask(outlastTheDeadline, System.nanoTime());
        pool.submitTask(second, null);
        boolean done = held.await(timeoutNanos, TimeUnit.NANOSECONDS);
        awaitReturned.set(true);
        if (done) {
          throw new AssertionError("the held task cannot be done");
        }
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }, null);
    try {
      Waits.done(outer);
    } finally {
      gate.release();
    }
    Waits.until(() -> !"never ran".equals(seenBySecond.get()), "the second queued task ran");
    assertEquals(true, seenBySecond.get(), "no task was started by the wait after its deadline");
  }

  @Test
  void theViewsWaitsInsideATaskOfABusyPoolHelp() throws Exception {
    ZeroPool pool = pool(1);
    AtomicInteger inner = new AtomicInteger();
    Future<Integer> outer = pool.submit(() -> {
      pool.submitTask(COUNT, inner).toCompletableFuture().get();
      pool.submitTask(COUNT, inner).toCompletableFuture().join();
      return inner.get();
    });
    assertEquals(2, outer.get(Waits.SECONDS, TimeUnit.SECONDS));
  }

  @Test
  void aZeroOrNegativeTimeoutOnAWorkerNeverRunsTheQueuedBatchInPlace() throws Exception {
    ZeroPool pool = pool(1);
    AtomicInteger ran = new AtomicInteger();
    AtomicReference<TaskFuture> batch = new AtomicReference<>();
    Future<String> outer = pool.submit(() -> {
      batch.set(pool.submitBatch(COUNT, new AtomicInteger[] {ran, ran, ran}));
      boolean zero = batch.get().await(0, TimeUnit.SECONDS);
      boolean negative = batch.get().await(-1, TimeUnit.MILLISECONDS);
      return zero + " " + negative + " " + ran.get();
    });
    assertEquals("false false 0", outer.get(Waits.SECONDS, TimeUnit.SECONDS),
        "a zero timeout only checks: it runs nothing");
    Waits.done(batch.get());
    assertEquals(3, ran.get());
  }
}
