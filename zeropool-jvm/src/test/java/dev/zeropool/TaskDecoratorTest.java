package dev.zeropool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ZeroPool.Builder#taskDecorator}: an MDC-like thread-local set by the caller is visible in
 * tasks on every {@code ExecutorService} path and gone from the worker afterwards; the static-handle
 * paths are not decorated; a throwing or null-returning decorator fails the submitting call.
 */
class TaskDecoratorTest {

  /** Stands in for SLF4J's MDC: a per-thread value the caller sets and tasks read. */
  private static final ThreadLocal<String> CONTEXT = new ThreadLocal<>();

  /** Reads the worker's context into {@code out[0]}; submitted by handle, so never decorated. */
  private static final TaskFn<String[]> READ_CONTEXT = out -> out[0] = CONTEXT.get();

  private final AtomicInteger decorations = new AtomicInteger();
  private final AtomicReference<Thread> decoratingThread = new AtomicReference<>();
  private final AtomicBoolean returnNull = new AtomicBoolean();
  private final AtomicReference<RuntimeException> toThrow = new AtomicReference<>();

  /** Captures on the submitting thread, installs on the worker, restores the worker's own value after. */
  private final TaskDecorator carryContext = task -> {
    decorations.incrementAndGet();
    decoratingThread.set(Thread.currentThread());
    RuntimeException failure = toThrow.get();
    if (failure != null) {
      throw failure;
    }
    if (returnNull.get()) {
      return null;
    }
    String captured = CONTEXT.get();
    return () -> {
      String previous = CONTEXT.get();
      CONTEXT.set(captured);
      try {
        task.run();
      } finally {
        if (previous == null) {
          CONTEXT.remove();
        } else {
          CONTEXT.set(previous);
        }
      }
    };
  };

  /** One worker, so "the worker after the task" is the thread that ran it. */
  private final ZeroPool pool = ZeroPool.builder().workers(1).taskDecorator(carryContext).build();

  @AfterEach
  void tearDown() throws InterruptedException {
    CONTEXT.remove();
    pool.shutdownNow();
    assertTrue(pool.awaitTermination(Waits.SECONDS, TimeUnit.SECONDS));
  }

  /** The worker's own context, read by a static-handle task; timed await never runs it on the caller. */
  private String workerContext() throws InterruptedException {
    String[] out = {"unread"};
    assertTrue(pool.submitTask(READ_CONTEXT, out).await(Waits.SECONDS, TimeUnit.SECONDS));
    return out[0];
  }

  @Test
  void theCallersContextReachesTheTaskOnEveryExecutorServicePathAndIsGoneAfter() throws Exception {
    CONTEXT.set("request-42");
    Callable<String> read = CONTEXT::get;

    CountDownLatch ran = new CountDownLatch(1);
    AtomicReference<String> seenByExecute = new AtomicReference<>();
    pool.execute(() -> {
      seenByExecute.set(CONTEXT.get());
      ran.countDown();
    });
    assertTrue(ran.await(Waits.SECONDS, TimeUnit.SECONDS));
    assertEquals("request-42", seenByExecute.get());

    assertEquals("request-42", pool.submit(read).get());
    AtomicReference<String> seenBySubmitRunnable = new AtomicReference<>();
    pool.submit(() -> seenBySubmitRunnable.set(CONTEXT.get())).get();
    assertEquals("request-42", seenBySubmitRunnable.get());
    for (var f : pool.invokeAll(List.of(read, read, read))) {
      assertEquals("request-42", f.get());
    }
    assertEquals("request-42", pool.invokeAny(List.of(read, read)));
    assertEquals("request-42", CompletableFuture.supplyAsync(CONTEXT::get, pool).get());
    assertSame(Thread.currentThread(), decoratingThread.get(), "decorated on the submitting thread");
    // The second stage is submitted by whichever thread completes the first (the worker, or this
    // thread if it registers the stage late), and the worker carries the caller's context by then.
    assertEquals("request-42|request-42", CompletableFuture.completedFuture("x")
        .thenApplyAsync(x -> CONTEXT.get(), pool)
        .thenApplyAsync(x -> x + "|" + CONTEXT.get(), pool).get());

    assertTrue(decorations.get() >= 10, "one decoration per task: " + decorations.get());

    CONTEXT.remove();
    assertNull(workerContext(), "the worker is back to no context after the tasks");
  }

  @Test
  void aWaiterThatRunsTheTaskInPlaceRunsItWithTheSubmittersContext() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try {
      pool.execute(() -> { // keeps the only worker busy, so the waiter below runs the task itself
        started.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      assertTrue(started.await(Waits.SECONDS, TimeUnit.SECONDS));
      CONTEXT.set("submitter");
      AtomicReference<Thread> ranOn = new AtomicReference<>();
      java.util.concurrent.Future<String> future = pool.submit(() -> {
        ranOn.set(Thread.currentThread());
        return CONTEXT.get();
      });
      CONTEXT.remove();

      AtomicReference<String> seen = new AtomicReference<>();
      AtomicReference<String> waiterAfter = new AtomicReference<>();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread waiter = new Thread(() -> {
        CONTEXT.set("waiter");
        try {
          seen.set(future.get());
          waiterAfter.set(CONTEXT.get());
        } catch (Throwable t) {
          failure.set(t);
        }
      });
      waiter.start();
      waiter.join(30_000);
      assertNull(failure.get());
      assertSame(waiter, ranOn.get(), "the waiter ran the task in place");
      assertEquals("submitter", seen.get());
      assertEquals("waiter", waiterAfter.get(), "the waiter's own context is back after the task");
    } finally {
      release.countDown();
    }
  }

  @Test
  void aFailingTaskStillHasItsContextCleared() throws Exception {
    CONTEXT.set("request-7");
    ExecutionException e = assertThrows(ExecutionException.class, () -> pool.submit(() -> {
      assertEquals("request-7", CONTEXT.get());
      throw new IllegalStateException("task failed");
    }).get());
    assertEquals("task failed", e.getCause().getMessage());
    CONTEXT.remove();
    assertNull(workerContext());
  }

  @Test
  void staticHandlePathsAreNotDecorated() throws Exception {
    CONTEXT.set("request-1");
    String[] single = {"unread"};
    assertTrue(pool.submitTask(READ_CONTEXT, single).await(Waits.SECONDS, TimeUnit.SECONDS));
    String[][] batch = {{"unread"}, {"unread"}};
    assertTrue(pool.submitBatch(READ_CONTEXT, batch).await(Waits.SECONDS, TimeUnit.SECONDS));
    assertTrue(pool.submitBatch(TaskBatch.builder().addAll(READ_CONTEXT, batch).build())
        .await(Waits.SECONDS, TimeUnit.SECONDS));
    assertNull(single[0]);
    assertNull(batch[0][0]);
    assertNull(batch[1][0]);
    assertEquals(0, decorations.get());
  }

  @Test
  void aThrowingDecoratorFailsTheSubmittingCallAndQueuesNothing() throws Exception {
    IllegalStateException boom = new IllegalStateException("no tracing context");
    toThrow.set(boom);
    AtomicBoolean ran = new AtomicBoolean();
    assertSame(boom, assertThrows(IllegalStateException.class, () -> pool.execute(() -> ran.set(true))));
    assertSame(boom, assertThrows(IllegalStateException.class, () -> pool.submit(() -> ran.set(true))));
    assertThrows(IllegalStateException.class, () -> CompletableFuture.runAsync(() -> ran.set(true), pool));

    toThrow.set(null);
    assertEquals("ok", pool.submit(() -> "ok").get(), "the pool carries on");
    assertTrue(!ran.get(), "a task whose decoration failed never runs");
    // get() may have run "ok" on this thread; its queue slot is then taken (and skipped) by a worker soon.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (pool.stats().queuedTasks() != 0 && System.nanoTime() - deadline < 0) {
      Thread.onSpinWait();
    }
    assertEquals(0, pool.stats().queuedTasks());
  }

  @Test
  void aDecoratorReturningNullFailsWithAClearError() throws Exception {
    returnNull.set(true);
    Runnable task = () -> { };
    NullPointerException e = assertThrows(NullPointerException.class, () -> pool.execute(task));
    assertTrue(e.getMessage().contains("taskDecorator") && e.getMessage().contains("returned null"),
        e.getMessage());
    returnNull.set(false);
    assertEquals("ok", pool.submit(() -> "ok").get(), "the pool carries on");
  }

  @Test
  void shutdownNowHandsBackTheDecoratedTasks() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try {
      pool.execute(() -> {
        started.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      assertTrue(started.await(Waits.SECONDS, TimeUnit.SECONDS));
      CONTEXT.set("request-9");
      AtomicReference<String> seen = new AtomicReference<>();
      pool.execute(() -> seen.set(CONTEXT.get()));
      CONTEXT.remove();
      List<Runnable> notRun = pool.shutdownNow();
      assertEquals(1, notRun.size());
      notRun.get(0).run();
      assertEquals("request-9", seen.get(), "running a returned task runs it with its captured context");
      assertNull(CONTEXT.get());
    } finally {
      release.countDown();
    }
  }

  @Test
  void aNullDecoratorIsRefused() {
    NullPointerException e = assertThrows(NullPointerException.class,
        () -> ZeroPool.builder().taskDecorator(null));
    assertEquals("decorator", e.getMessage());
  }
}
