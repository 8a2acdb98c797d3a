package dev.zeropool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ZeroPool} as a {@link java.util.concurrent.ExecutorService}, in the style of the JSR-166 TCK's
 * executor tests (written for this project): null arguments, rejection, interrupts, timeouts,
 * cancellation, many producers and memory visibility.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExecutorServiceContractTest {

  private final ZeroPool pool = ZeroPool.create(2);

  @AfterEach
  void tearDown() throws InterruptedException {
    pool.shutdownNow();
    assertTrue(pool.awaitTermination(Waits.SECONDS, TimeUnit.SECONDS));
  }

  private static Callable<String> sleeper(long millis, String value) {
    return () -> {
      Thread.sleep(millis);
      return value;
    };
  }

  @Test
  void nullArgumentsAreRefused() {
    assertThrows(NullPointerException.class, () -> pool.execute(null));
    assertThrows(NullPointerException.class, () -> pool.submit((Runnable) null));
    assertThrows(NullPointerException.class, () -> pool.submit((Callable<?>) null));
    assertThrows(NullPointerException.class, () -> pool.submit(null, "x"));
    assertThrows(NullPointerException.class, () -> pool.invokeAll(null));
    assertThrows(NullPointerException.class, () -> pool.invokeAll(Collections.singletonList(null)));
    assertThrows(NullPointerException.class, () -> pool.invokeAny(null));
    assertThrows(NullPointerException.class, () -> pool.awaitTermination(1, null));
    assertThrows(IllegalArgumentException.class, () -> pool.invokeAny(List.of()));
  }

  @Test
  void everySubmissionFormIsRejectedAfterShutdown() {
    pool.shutdown();
    assertTrue(pool.isShutdown());
    assertThrows(RejectedExecutionException.class, () -> pool.execute(() -> { }));
    assertThrows(RejectedExecutionException.class, () -> pool.submit(() -> { }));
    assertThrows(RejectedExecutionException.class, () -> pool.submit(() -> 1));
    assertThrows(RejectedExecutionException.class, () -> pool.invokeAll(List.of(() -> 1)));
    assertThrows(RejectedExecutionException.class, () -> CompletableFuture.runAsync(() -> { }, pool));
  }

  @Test
  void submitGetReturnsTheValueAndPropagatesFailures() throws Exception {
    assertEquals(42, pool.submit(() -> 42).get());
    assertEquals("done", pool.submit(() -> { }, "done").get());
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> pool.submit(() -> { throw new IllegalStateException("boom"); }).get());
    assertInstanceOf(IllegalStateException.class, e.getCause());
  }

  @Test
  void invokeAllRunsEverythingAndWithATimeoutCancelsWhatIsLeft() throws Exception {
    List<Future<String>> all = pool.invokeAll(List.of(() -> "a", () -> "b", () -> "c"));
    assertEquals("abc", all.get(0).get() + all.get(1).get() + all.get(2).get());
    List<Future<String>> timed = pool.invokeAll(List.of(() -> "fast", sleeper(60_000, "slow")), 2, TimeUnit.SECONDS);
    assertEquals("fast", timed.get(0).get());
    assertTrue(timed.get(1).isCancelled());
  }

  @Test
  void invokeAnyReturnsAFirstSuccessfulResult() throws Exception {
    Callable<String> failing = () -> { throw new IllegalArgumentException(); };
    assertEquals("ok", pool.invokeAny(List.of(failing, () -> "ok")));
    assertThrows(ExecutionException.class, () -> pool.invokeAny(List.of(failing, failing)));
    assertThrows(java.util.concurrent.TimeoutException.class,
        () -> pool.invokeAny(List.of(sleeper(10_000, "late")), 50, TimeUnit.MILLISECONDS));
  }

  @Test
  void cancelTrueInterruptsARunningTaskAndACancelledQueuedTaskNeverRuns() throws Exception {
    CountDownLatch started = new CountDownLatch(2);
    AtomicBoolean interrupted = new AtomicBoolean();
    Callable<Void> blockUntilInterrupted = () -> {
      started.countDown();
      try {
        Thread.sleep(60_000);
      } catch (InterruptedException e) {
        interrupted.set(true);
      }
      return null;
    };
    Future<?> running = pool.submit(blockUntilInterrupted);
    Future<?> other = pool.submit(blockUntilInterrupted); // both workers busy
    assertTrue(started.await(Waits.SECONDS, TimeUnit.SECONDS));
    AtomicBoolean ranQueued = new AtomicBoolean();
    Future<?> queued = pool.submit(() -> ranQueued.set(true));
    assertTrue(queued.cancel(false));
    assertTrue(running.cancel(true));
    assertThrows(CancellationException.class, running::get);
    other.cancel(true);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!interrupted.get() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertTrue(interrupted.get());
    pool.submit(() -> { }).get(); // the pool goes on; the cancelled task was skipped
    assertFalse(ranQueued.get());
  }

  @Test
  void aLateInterruptDoesNotLeakIntoTheNextTask() throws Exception {
    ZeroPool single = ZeroPool.create(1);
    try {
      for (int i = 0; i < 200; i++) {
        CountDownLatch go = new CountDownLatch(1);
        Future<?> f = single.submit(() -> {
          go.countDown();
          long spin = System.nanoTime() + 20_000;
          while (System.nanoTime() < spin) {
            Thread.onSpinWait();
          }
        });
        Waits.open(go, "the task started");
        f.cancel(true); // may interrupt the worker just after the task returned
        AtomicReference<Boolean> sawInterrupt = new AtomicReference<>();
        CountDownLatch ran = new CountDownLatch(1);
        single.execute(() -> {
          sawInterrupt.set(Thread.currentThread().isInterrupted());
          ran.countDown();
        });
        assertTrue(ran.await(Waits.SECONDS, TimeUnit.SECONDS));
        assertEquals(Boolean.FALSE, sawInterrupt.get(), "round " + i);
      }
    } finally {
      single.shutdownNow();
    }
  }

  @Test
  void aCallerBlockedInInvokeAllCanBeInterrupted() throws Exception {
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread caller = new Thread(() -> {
      try {
        pool.invokeAll(List.of(sleeper(10_000, "x"), sleeper(10_000, "y"), sleeper(10_000, "z")));
      } catch (Throwable t) {
        thrown.set(t);
      }
    });
    caller.start();
    Waits.state(caller, Thread.State.WAITING, Thread.State.TIMED_WAITING); // blocked in invokeAll
    caller.interrupt();
    Waits.ended(caller);
    assertInstanceOf(InterruptedException.class, thrown.get());
  }

  @Test
  void awaitTerminationTimesOutWhileWorkIsRunning() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    pool.execute(() -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    pool.shutdown();
    assertFalse(pool.awaitTermination(50, TimeUnit.MILLISECONDS));
    assertFalse(pool.isTerminated());
    release.countDown();
    assertTrue(pool.awaitTermination(Waits.SECONDS, TimeUnit.SECONDS));
    assertTrue(pool.isTerminated());
  }

  @Test
  void shutdownNowReturnsSubmittedFuturesThatNeverStarted() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(2);
    for (int i = 0; i < 2; i++) {
      pool.execute(() -> {
        started.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
    }
    assertTrue(started.await(Waits.SECONDS, TimeUnit.SECONDS)); // both workers busy, nothing else in their runs
    Future<Integer> never = pool.submit(() -> 1);
    List<Runnable> left = pool.shutdownNow();
    assertEquals(1, left.size());
    assertSame(never, left.get(0), "the FutureTask itself comes back, as from ThreadPoolExecutor");
  }

  @Test
  void manyProducersAndVisibilityThroughFutures() throws Exception {
    int producers = 4;
    int each = 5_000;
    AtomicInteger ran = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    for (int p = 0; p < producers; p++) {
      threads.add(new Thread(() -> {
        try {
          for (int i = 0; i < each; i++) {
            int[] box = new int[1];
            int expected = i;
            pool.submit(() -> {
              box[0] = expected; // a plain write, published by Future.get
              ran.incrementAndGet();
            }).get();
            assertEquals(expected, box[0]);
          }
        } catch (Throwable t) {
          failure.compareAndSet(null, t);
        }
      }));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(null, failure.get());
    assertEquals(producers * each, ran.get());
  }

  @Test
  void worksAsTheExecutorOfCompletableFutureChains() {
    String result = CompletableFuture.supplyAsync(() -> 20, pool)
        .thenApplyAsync(x -> x + 1, pool)
        .thenCombineAsync(CompletableFuture.supplyAsync(() -> 2, pool), (a, b) -> a * b, pool)
        .thenApply(String::valueOf)
        .join();
    assertEquals("42", result);
  }

  @Test
  void closeIsShutdownPlusWait() {
    AtomicInteger ran = new AtomicInteger();
    ZeroPool p = ZeroPool.create(2);
    for (int i = 0; i < 100; i++) {
      p.execute(ran::incrementAndGet);
    }
    p.close();
    assertEquals(100, ran.get());
    assertTrue(p.isTerminated());
    assertTrue(p.shutdownGracefully(Duration.ofMillis(1)), "already terminated");
  }
}
