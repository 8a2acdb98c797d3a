package dev.zeropool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code invokeAll} as one batch: the tasks are claimed in chunks by the workers and by the calling
 * thread, every future ends (with its task's outcome, or cancelled when a stop or an interrupt means
 * the task will never run), and each task runs at most once.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InvokeAllBatchTest {

  /**
   * A task that counts itself started, then sleeps far longer than any test waits; when interrupted on a
   * worker thread it counts {@code interruptedOnWorker} down (a {@code cancel(true)} reached it) and throws.
   */
  private static Callable<String> blocker(CountDownLatch started, CountDownLatch interruptedOnWorker) {
    return () -> {
      started.countDown();
      try {
        Thread.sleep(TimeUnit.SECONDS.toMillis(Waits.SECONDS * 2));
      } catch (InterruptedException e) {
        if (Thread.currentThread().getName().contains("worker")) {
          interruptedOnWorker.countDown();
        }
        throw e;
      }
      return "slept";
    };
  }

  /** One task per index of {@code runs}: each counts its run there and returns {@code result} of its index. */
  private static <T> List<Callable<T>> countingTasks(AtomicIntegerArray runs, IntFunction<T> result) {
    List<Callable<T>> tasks = new ArrayList<>();
    for (int i = 0; i < runs.length(); i++) {
      int index = i;
      tasks.add(() -> {
        runs.incrementAndGet(index);
        return result.apply(index);
      });
    }
    return tasks;
  }

  /**
   * Makes {@code call} (an {@code invokeAll} of copies of one blocking task) on a new thread, waits until
   * {@code starts} copies run and, unless {@code callerState} is null, until the caller waits in that
   * state; then interrupts the caller. The call must end with {@link InterruptedException} and the task
   * still running on a worker must be interrupted.
   */
  private static void interruptOnceStarted(int starts, Function<Callable<String>, Callable<?>> call,
      Thread.State callerState) throws InterruptedException {
    CountDownLatch started = new CountDownLatch(starts);
    CountDownLatch interruptedOnWorker = new CountDownLatch(1);
    Callable<?> invocation = call.apply(blocker(started, interruptedOnWorker));
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread caller = new Thread(() -> {
      try {
        invocation.call();
      } catch (Throwable t) {
        thrown.set(t);
      }
    });
    caller.start();
    Waits.open(started, "not every blocking task started");
    if (callerState != null) {
      Waits.state(caller, callerState);
    }
    caller.interrupt();
    Waits.ended(caller);
    assertInstanceOf(InterruptedException.class, thrown.get());
    Waits.open(interruptedOnWorker, "the task running on a worker was not cancelled");
  }

  /** The sum of the results of 1 + 2 + 3 computed by {@code invokeAll} from inside a task of a one-worker pool. */
  private static int sumFromInsideAOneWorkerPool(boolean timed) throws Exception {
    try (ZeroPool pool = ZeroPool.builder().workers(1).withoutStarvationWatchdog().build()) {
      List<Callable<Integer>> inner = List.of(() -> 1, () -> 2, () -> 3);
      Future<Integer> outer = pool.submit(() -> {
        int sum = 0;
        List<Future<Integer>> futures =
            timed ? pool.invokeAll(inner, Waits.SECONDS, TimeUnit.SECONDS) : pool.invokeAll(inner);
        for (Future<Integer> f : futures) {
          sum += f.get();
        }
        return sum;
      });
      return outer.get(Waits.SECONDS, TimeUnit.SECONDS);
    }
  }

  @Test
  void everyTaskRunsOnceAndItsFutureHoldsItsOwnOutcome() throws Exception {
    try (ZeroPool pool = ZeroPool.create(2)) {
      int n = 1000;
      AtomicIntegerArray runs = new AtomicIntegerArray(n);
      List<Callable<Integer>> tasks = countingTasks(runs, index -> {
        if (index % 97 == 0) {
          throw new IllegalStateException("task " + index);
        }
        return index * 2;
      });
      List<Future<Integer>> futures = pool.invokeAll(tasks);
      assertEquals(n, futures.size());
      for (int i = 0; i < n; i++) {
        assertEquals(1, runs.get(i), "runs of task " + i);
        assertTrue(futures.get(i).isDone(), "future " + i);
        if (i % 97 == 0) {
          ExecutionException failed = assertThrows(ExecutionException.class, futures.get(i)::get);
          assertEquals("task " + i, failed.getCause().getMessage());
        } else {
          assertEquals(i * 2, futures.get(i).get());
        }
      }
    }
  }

  @Test
  void manyCallersAtOnceEachGetTheirOwnResults() throws Exception {
    try (ZeroPool pool = ZeroPool.create(2)) {
      int callers = 4;
      int rounds = 40;
      int n = 300;
      AtomicReference<Throwable> failure = new AtomicReference<>();
      List<Thread> threads = new ArrayList<>();
      for (int c = 0; c < callers; c++) {
        int caller = c;
        Thread t = new Thread(() -> {
          try {
            for (int round = 0; round < rounds; round++) {
              AtomicIntegerArray runs = new AtomicIntegerArray(n);
              List<Callable<Long>> tasks = countingTasks(runs, index -> (long) caller * 1_000_000 + index);
              List<Future<Long>> futures = pool.invokeAll(tasks);
              for (int i = 0; i < n; i++) {
                assertEquals(1, runs.get(i), "runs of task " + i);
                assertEquals((long) caller * 1_000_000 + i, futures.get(i).get());
              }
            }
          } catch (Throwable e) {
            failure.compareAndSet(null, e);
          }
        });
        threads.add(t);
        t.start();
      }
      for (Thread t : threads) {
        Waits.ended(t);
      }
      if (failure.get() != null) {
        throw new AssertionError(failure.get());
      }
    }
  }

  @Test
  void theCallerRunsTheTasksNoWorkerIsFreeFor() throws Exception {
    try (ZeroPool pool = ZeroPool.builder().workers(1).withoutStarvationWatchdog().build()) {
      Gate gate = Gate.hold(pool);
      try {
        Thread caller = Thread.currentThread();
        List<Callable<Boolean>> tasks = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
          tasks.add(() -> Thread.currentThread() == caller);
        }
        for (Future<Boolean> ranOnCaller : pool.invokeAll(tasks)) {
          assertTrue(ranOnCaller.get());
        }
      } finally {
        gate.release();
      }
    }
  }

  @Test
  void aTaskOfAOneWorkerPoolCanInvokeAllOnThatPool() throws Exception {
    assertEquals(6, sumFromInsideAOneWorkerPool(false));
  }

  @Test
  void aStopDuringTheCallCancelsTheFuturesOfTasksThatNeverStart() throws Exception {
    ZeroPool pool = ZeroPool.create(2);
    int n = 200;
    AtomicIntegerArray runs = new AtomicIntegerArray(n);
    List<Callable<Integer>> tasks = new ArrayList<>();
    tasks.add(() -> {
      runs.incrementAndGet(0);
      pool.shutdownNow();
      return 0;
    });
    for (int i = 1; i < n; i++) {
      int index = i;
      tasks.add(() -> {
        runs.incrementAndGet(index);
        Thread.sleep(1);
        return index;
      });
    }
    List<Future<Integer>> futures = pool.invokeAll(tasks); // returns: nothing is left waiting
    int cancelled = 0;
    for (int i = 0; i < n; i++) {
      Future<Integer> f = futures.get(i);
      assertTrue(f.isDone(), "future " + i + " never ended");
      if (f.isCancelled()) {
        assertEquals(0, runs.get(i), "task " + i + " ran, yet its future is cancelled");
        cancelled++;
      } else {
        assertEquals(1, runs.get(i), "runs of task " + i);
      }
    }
    assertTrue(cancelled > 0, "the stop came first, so some tasks never started");
    assertTrue(pool.awaitTermination(Waits.SECONDS, TimeUnit.SECONDS));
  }

  @Test
  void anInterruptEndsTheCallAndCancelsTheTasksStillRunning() throws Exception {
    try (ZeroPool pool = ZeroPool.create(2)) {
      // Two tasks of one unit each: the caller claims one and a worker the other (the batch counts the
      // caller as one of the pool's two parties, so the second worker is not asked).
      interruptOnceStarted(2, blocker -> () -> pool.invokeAll(List.of(blocker, blocker)), null);
    }
  }

  @Test
  void anInterruptThatATaskLeavesOnTheCallerEndsTheCall() throws Exception {
    try (ZeroPool pool = ZeroPool.builder().workers(1).withoutStarvationWatchdog().build()) {
      Gate gate = Gate.hold(pool); // the caller runs every task itself
      try {
        AtomicInteger ran = new AtomicInteger();
        List<Callable<Integer>> tasks = List.of(() -> {
          Thread.currentThread().interrupt(); // as an interrupt arriving while it runs would
          return ran.incrementAndGet();
        });
        assertThrows(InterruptedException.class, () -> pool.invokeAll(tasks));
        assertEquals(1, ran.get());
        assertTrue(!Thread.currentThread().isInterrupted(), "the exception carries the interrupt");
      } finally {
        gate.release();
      }
    }
  }

  @Test
  void theTaskDecoratorWrapsEveryTaskWhereverItRuns() throws Exception {
    AtomicInteger decoratedRuns = new AtomicInteger();
    TaskDecorator counting = task -> () -> {
      decoratedRuns.incrementAndGet();
      task.run();
    };
    try (ZeroPool pool = ZeroPool.builder().workers(2).taskDecorator(counting).build()) {
      List<Callable<Integer>> tasks = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        tasks.add(() -> 1);
      }
      pool.invokeAll(tasks);
      assertEquals(100, decoratedRuns.get(), "on the caller as on the workers");
    }
  }

  @Test
  void aTimedCallThatFinishesInTimeReturnsEveryOutcome() throws Exception {
    try (ZeroPool pool = ZeroPool.create(2)) {
      int n = 500;
      AtomicIntegerArray runs = new AtomicIntegerArray(n);
      List<Callable<Integer>> tasks = countingTasks(runs, index -> -index);
      List<Future<Integer>> futures = pool.invokeAll(tasks, Waits.SECONDS, TimeUnit.SECONDS);
      for (int i = 0; i < n; i++) {
        assertEquals(1, runs.get(i), "runs of task " + i);
        assertEquals(-i, futures.get(i).get());
      }
    }
  }

  @Test
  void aTimedCallCancelsAndInterruptsTheTasksUnfinishedAtItsTimeout() throws Exception {
    try (ZeroPool pool = ZeroPool.create(2)) {
      CountDownLatch interrupted = new CountDownLatch(1);
      Callable<String> blocker = blocker(new CountDownLatch(1), interrupted); // runs on a worker: the caller only waits
      List<Future<String>> futures =
          pool.invokeAll(List.of(() -> "fast", blocker), 200, TimeUnit.MILLISECONDS);
      assertEquals("fast", futures.get(0).get());
      assertTrue(futures.get(1).isCancelled());
      Waits.open(interrupted, "the task running at the timeout was not interrupted");
    }
  }

  @Test
  void aTimeoutOfZeroSubmitsNothingAndCancelsEveryFuture() throws Exception {
    ZeroPool pool = ZeroPool.create(1);
    pool.shutdown(); // not refused: nothing would be submitted anyway
    AtomicInteger ran = new AtomicInteger();
    List<Callable<Integer>> tasks = List.of(ran::incrementAndGet, ran::incrementAndGet);
    for (Future<Integer> f : pool.invokeAll(tasks, 0, TimeUnit.SECONDS)) {
      assertTrue(f.isCancelled());
    }
    assertEquals(0, ran.get());
    assertTrue(pool.awaitTermination(Waits.SECONDS, TimeUnit.SECONDS));
  }

  @Test
  void anInterruptEndsATimedCallAndCancelsItsTasks() throws Exception {
    try (ZeroPool pool = ZeroPool.create(2)) {
      interruptOnceStarted(1,
          blocker -> () -> pool.invokeAll(List.of(blocker), Waits.SECONDS * 2, TimeUnit.SECONDS),
          Thread.State.TIMED_WAITING);
    }
  }

  @Test
  void aTaskOfAOneWorkerPoolCanMakeATimedCallOnThatPool() throws Exception {
    assertEquals(6, sumFromInsideAOneWorkerPool(true));
  }

  @Test
  void aTimedCallOnAWorkerStopsRunningTasksAtItsTimeout() throws Exception {
    try (ZeroPool pool = ZeroPool.builder().workers(1).withoutStarvationWatchdog().build()) {
      int n = 50;
      AtomicInteger ran = new AtomicInteger();
      List<Callable<Integer>> slow = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        slow.add(() -> {
          Thread.sleep(20);
          return ran.incrementAndGet();
        });
      }
      // The only worker makes the call, so it is the only thread that can run the tasks: without the
      // deadline it would run all 50 (a second) before looking at the timeout.
      Future<List<Future<Integer>>> call = pool.submit(() -> pool.invokeAll(slow, 100, TimeUnit.MILLISECONDS));
      List<Future<Integer>> futures = call.get(Waits.SECONDS, TimeUnit.SECONDS);
      long cancelled = futures.stream().filter(Future::isCancelled).count();
      assertTrue(cancelled > 0, "the timeout passed with tasks unclaimed");
      assertTrue(ran.get() < n, "ran " + ran.get() + " of " + n);
      assertTrue(futures.stream().allMatch(Future::isDone), "every future ends with the call");
    }
  }
}
