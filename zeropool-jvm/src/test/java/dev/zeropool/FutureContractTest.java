package dev.zeropool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link TaskFuture} while its work is still running: callbacks and {@code CompletableFuture} views
 * registered before completion fire once it completes, a zero or negative timeout does not wait,
 * and a thread parked in a timed await can be interrupted. Each test holds the work in a {@link Gate}
 * so "before completion" is certain, not a race the test usually wins.
 */
class FutureContractTest {

  /** Holds its worker like {@link Gate#HOLD}, then throws. */
  static final TaskFn<Gate> HOLD_THEN_FAIL = gate -> {
    Gate.HOLD.run(gate);
    throw new IllegalStateException("after the gate");
  };

  private final List<ZeroPool> pools = new ArrayList<>();
  private final List<Gate> gates = new ArrayList<>();
  private final List<Throwable> uncaught = new CopyOnWriteArrayList<>();

  private ZeroPool pool(int workers) {
    ZeroPool pool = ZeroPool.builder().workers(workers).threadFactory(r -> {
      Thread t = new Thread(r, "future-test-worker");
      t.setDaemon(true);
      t.setUncaughtExceptionHandler((thread, e) -> uncaught.add(e));
      return t;
    }).build();
    pools.add(pool);
    return pool;
  }

  /** A gate that {@link #releaseAndStop} opens whatever the test did. */
  private Gate gate() {
    Gate gate = new Gate();
    gates.add(gate);
    return gate;
  }

  @AfterEach
  void releaseAndStop() {
    gates.forEach(Gate::release);
    pools.forEach(ZeroPool::shutdownNow);
  }

  @Test
  void callbacksRegisteredBeforeCompletionFireOnceWhenItCompletes() throws Exception {
    ZeroPool pool = pool(1);
    Gate gate = gate();
    TaskFuture f = gate.run(pool, Gate.HOLD);
    List<String> calls = new CopyOnWriteArrayList<>();
    AtomicReference<Object> seen = new AtomicReference<>("not called");
    f.whenDone(e -> {
      seen.set(e);
      calls.add("first");
    });
    f.whenDone(e -> calls.add("second"));
    f.whenDone(e -> calls.add("third"));
    CompletableFuture<Void> view = f.toCompletableFuture();
    assertFalse(f.isDone());
    assertFalse(view.isDone());
    assertEquals(List.of(), calls, "nothing fires before the work is done");
    gate.release();
    assertNull(view.get(Waits.SECONDS, TimeUnit.SECONDS));
    Waits.until(() -> calls.size() >= 3, "all three callbacks fired: " + calls);
    assertEquals(3, calls.size(), "each callback fires exactly once: " + calls);
    assertTrue(calls.containsAll(List.of("first", "second", "third")), calls.toString());
    assertNull(seen.get(), "a successful submission passes null");
  }

  @Test
  void callbacksRegisteredBeforeAFailureSeeItAndTheViewFailsWithTheTasksOwnException() throws Exception {
    ZeroPool pool = pool(1);
    Gate gate = gate();
    TaskFuture f = gate.run(pool, HOLD_THEN_FAIL);
    AtomicReference<CompletionException> seen = new AtomicReference<>();
    CountDownLatch called = new CountDownLatch(1);
    f.whenDone(e -> {
      seen.set(e);
      called.countDown();
    });
    f.whenDone(e -> {
      throw new UnsupportedOperationException("a throwing callback");
    });
    CompletableFuture<Void> view = f.toCompletableFuture();
    assertFalse(view.isDone());
    assertNull(f.failure(), "no failure is reported before the submission is done");
    gate.release();
    ExecutionException e = assertThrows(ExecutionException.class, () -> view.get(Waits.SECONDS, TimeUnit.SECONDS));
    assertInstanceOf(IllegalStateException.class, e.getCause(), "the task's own exception, not the wrapper");
    Waits.open(called, "the callback never fired");
    assertInstanceOf(IllegalStateException.class, seen.get().getCause());
    assertSame(f.failure(), seen.get());
    Waits.until(() -> !uncaught.isEmpty(), "the throwing callback was reported");
    assertInstanceOf(UnsupportedOperationException.class, uncaught.get(0));
  }

  @Test
  void aZeroOrNegativeTimeoutDoesNotWaitForRunningWork() throws Exception {
    ZeroPool pool = pool(1);
    Gate gate = gate();
    TaskFuture f = gate.run(pool, Gate.HOLD);
    assertFalse(f.await(0, TimeUnit.SECONDS));
    assertFalse(f.await(-5, TimeUnit.MILLISECONDS));
    assertFalse(f.await(1, TimeUnit.NANOSECONDS));
    assertFalse(f.isDone());
    assertTrue(f.toString().contains("1 tasks left"), f.toString());
    gate.release();
    Waits.done(f);
    assertTrue(f.await(0, TimeUnit.SECONDS), "done work needs no time");
    assertTrue(f.toString().contains("Completed normally"), f.toString());
  }

  @Test
  void aThreadParkedInATimedAwaitCanBeInterrupted() throws Exception {
    ZeroPool pool = pool(1);
    TaskFuture f = gate().run(pool, Gate.HOLD);
    AtomicReference<Object> outcome = new AtomicReference<>();
    Thread waiter = new Thread(() -> {
      try {
        outcome.set(f.await(10, TimeUnit.MINUTES));
      } catch (Throwable t) {
        outcome.set(t);
      }
    }, "timed-waiter");
    waiter.start();
    Waits.state(waiter, Thread.State.TIMED_WAITING);
    waiter.interrupt();
    Waits.ended(waiter);
    assertInstanceOf(InterruptedException.class, outcome.get(), "the waiter got " + outcome.get());
    assertFalse(f.isDone());
  }

  @Test
  void aTimedAwaitThatRunsOutReturnsFalseAndCanBeRepeated() throws Exception {
    ZeroPool pool = pool(1);
    Gate gate = gate();
    TaskFuture f = gate.run(pool, Gate.HOLD);
    long start = System.nanoTime();
    assertFalse(f.await(30, TimeUnit.MILLISECONDS));
    assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(30), "it waited for the timeout");
    assertFalse(f.await(1, TimeUnit.MILLISECONDS));
    gate.release();
    Waits.done(f);
    assertTrue(f.isDone());
  }
}
