package dev.zeropool.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeropool.FailureHandler;
import dev.zeropool.PoolMetrics;
import dev.zeropool.TaskFn;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link TaskRunner} driven by hand on the test thread: runs claimed from a ring built here, a
 * lifecycle the test stops, and the moments that are races in a pool (a stop that lands between a
 * check and the next step) brought about in that order by a completion or a parameter list that acts
 * at that point.
 */
class TaskRunnerTest {

  /** An error from the pool's own code (not thrown by a task). */
  private static final class PoolError extends Error {
    PoolError(String message) {
      super(message);
    }
  }

  private final Lifecycle lifecycle = new Lifecycle(0);
  private final List<Throwable> handled = Collections.synchronizedList(new ArrayList<>());
  private final FailureHandler handler = (fn, params, failure) -> handled.add(failure);
  private final LongAdder completed = new LongAdder();
  private final LongAdder cancelled = new LongAdder();
  private final List<Integer> cancelledReports = Collections.synchronizedList(new ArrayList<>());
  /** Every report of zero tasks the hook heard: there should be none. */
  private final List<String> zeroReports = Collections.synchronizedList(new ArrayList<>());
  private final PoolMetrics metrics = new PoolMetrics() {
    @Override
    public void tasksCompleted(int count) {
      if (count == 0) {
        zeroReports.add("tasksCompleted(0)");
      }
      completed.add(count);
    }

    @Override
    public void tasksCancelled(int count) {
      if (count == 0) {
        zeroReports.add("tasksCancelled(0)");
      }
      cancelled.add(count);
      cancelledReports.add(count);
    }
  };
  private final TaskRunner runner = new TaskRunner(lifecycle, handler, metrics);
  private final RunClaim run = new RunClaim();
  private final List<Object> ran = Collections.synchronizedList(new ArrayList<>());
  private final TaskFn<Object> record = ran::add;
  private WorkerPool pool;

  @AfterEach
  void cleanUp() {
    Thread.interrupted();
    if (pool != null) {
      pool.shutdownNow("test over", false);
    }
  }

  /** Puts the tasks into a fresh ring of {@code capacity} slots and claims them all as one run. */
  private QueueSegment claim(int capacity, Completion completion, Object... params) {
    QueueSegment segment = new QueueSegment(capacity);
    for (Object param : params) {
      long claimed = segment.tryClaim(1);
      segment.fillOne(claimed >>> QueueSegment.COUNT_BITS, record, param, completion);
    }
    long taken = segment.tryTake(params.length, 1, null);
    int count = (int) (taken & ((1 << QueueSegment.COUNT_BITS) - 1));
    assertEquals(params.length, run.set(segment, taken >>> QueueSegment.COUNT_BITS, count));
    return segment;
  }

  /** True when every slot of the ring is free for the next lap (all claimed slots were released). */
  private static boolean allFree(QueueSegment segment) {
    long claimed = segment.tryClaim(segment.capacity);
    return claimed >= 0 && (int) (claimed & ((1 << QueueSegment.COUNT_BITS) - 1)) == segment.capacity;
  }

  @Test
  void aRunOfTasksRunsInOrderAndIsCountedOnce() {
    Completion completion = new Completion(null, 3, false, null);
    QueueSegment segment = claim(4, completion, "a", "b", "c");
    runner.runClaimed(run, false);
    assertEquals(List.of("a", "b", "c"), ran);
    assertTrue(completion.isDone());
    assertNull(completion.failure());
    assertEquals(3, completed.sum());
    assertEquals(0, cancelled.sum());
    assertTrue(allFree(segment), "each slot was released");
    assertEquals(List.of(), zeroReports, "the hook hears of tasks only, never of none");
  }

  @Test
  void aStopHandsBackTheWholeRunAndReleasesEverySlot() {
    Completion completion = new Completion(null, 4, false, null);
    QueueSegment segment = claim(4, completion, "a", "b", "c", "d");
    lifecycle.stop("the test stopped the pool");
    runner.runClaimed(run, false);
    assertEquals(List.of(), ran, "no task starts once the pool is stopping");
    assertTrue(completion.isDone(), "every handed-back task was counted down");
    CancellationException reason = assertInstanceOf(CancellationException.class, completion.failure().getCause());
    assertEquals("the test stopped the pool", reason.getMessage());
    assertEquals(4, cancelled.sum());
    assertTrue(allFree(segment), "the handed-back slots were released for the next lap");
    assertEquals(List.of(), zeroReports);
  }

  @Test
  void aStopOnTheLastTaskOfARunHandsBackThatTaskAlone() {
    Completion completion = new Completion(null, 1, false, null);
    QueueSegment segment = claim(2, completion, "only");
    lifecycle.stop("stopped");
    runner.runClaimed(run, false);
    assertEquals(List.of(), ran);
    assertTrue(completion.isDone());
    assertEquals(1, cancelled.sum());
    assertTrue(allFree(segment));
    assertEquals(List.of(), zeroReports, "nothing was left to hand back: the hook hears nothing of it");
  }

  @Test
  void anInterruptThatLandsWithAStopAfterTheStopCheckReachesTheTask() {
    Completion racing = new Completion(null, 1, false, null) {
      @Override
      boolean shouldSkip() { // runs after the runner's stop check, right before the task starts
        lifecycle.stop("stopped while the task was being started");
        Thread.currentThread().interrupt(); // shutdownNow interrupts right after it sets the stop
        return false;
      }
    };
    AtomicInteger sawInterrupt = new AtomicInteger(-1);
    QueueSegment segment = new QueueSegment(2);
    segment.fillOne(segment.tryClaim(1) >>> QueueSegment.COUNT_BITS,
        (TaskFn<Object>) p -> sawInterrupt.set(Thread.currentThread().isInterrupted() ? 1 : 0), "x", racing);
    long taken = segment.tryTake(1, 1, null);
    run.set(segment, taken >>> QueueSegment.COUNT_BITS, 1);
    runner.runClaimed(run, true);
    assertEquals(1, sawInterrupt.get(), "a task that starts during a stop starts interrupted");
    assertTrue(Thread.interrupted());
    assertTrue(racing.isDone());
  }

  @Test
  void anInterruptLeftOverFromAnEarlierTaskIsClearedWhenThePoolRuns() {
    AtomicInteger sawInterrupt = new AtomicInteger(-1);
    Completion completion = new Completion(null, 1, false, null);
    QueueSegment segment = new QueueSegment(2);
    segment.fillOne(segment.tryClaim(1) >>> QueueSegment.COUNT_BITS,
        (TaskFn<Object>) p -> sawInterrupt.set(Thread.currentThread().isInterrupted() ? 1 : 0), "x", completion);
    run.set(segment, segment.tryTake(1, 1, null) >>> QueueSegment.COUNT_BITS, 1);
    Thread.currentThread().interrupt(); // a late Future.cancel(true) of the task before
    runner.runClaimed(run, true);
    assertEquals(0, sawInterrupt.get(), "the leftover interrupt did not land in the next task");
    assertTrue(completion.isDone());
  }

  @Test
  void anErrorFromThePoolsOwnCodeFailsTheSubmissionOfTheTasksItCounted() {
    PoolError error = new PoolError("bookkeeping failed");
    AtomicInteger checks = new AtomicInteger();
    Completion failing = new Completion(null, 2, false, null) {
      @Override
      boolean shouldSkip() {
        if (checks.incrementAndGet() == 2) {
          throw error; // the check before the second task fails: that task never starts
        }
        return false;
      }
    };
    QueueSegment segment = claim(2, failing, "ran", "never started");
    assertSame(error, assertThrows(PoolError.class, () -> runner.runClaimed(run, false)));
    assertEquals(List.of("ran"), ran);
    assertTrue(failing.isDone(), "both tasks were counted down");
    assertSame(error, failing.failure().getCause(), "a task that never ran cannot leave its submission a success");
    assertTrue(allFree(segment));
  }

  @Test
  void aHookThatThrowsWhileARunMovesToTheNextSubmissionFailsOnlyThatSubmissionsTask() {
    RuntimeException hookError = new IllegalStateException("the metrics hook threw");
    TaskRunner throwingHook = new TaskRunner(lifecycle, handler, new PoolMetrics() {
      @Override
      public void tasksCompleted(int count) {
        throw hookError; // a hook must not throw; the runner still accounts for every task
      }
    });
    Completion first = new Completion(null, 2, false, null); // its other task runs elsewhere
    Completion second = new Completion(null, 1, false, null);
    QueueSegment segment = new QueueSegment(2);
    segment.fillOne(segment.tryClaim(1) >>> QueueSegment.COUNT_BITS, record, "first's", first);
    segment.fillOne(segment.tryClaim(1) >>> QueueSegment.COUNT_BITS, record, "second's", second);
    run.set(segment, segment.tryTake(2, 1, null) >>> QueueSegment.COUNT_BITS, 2);
    // Reporting the first submission's task throws when the run reaches the second's.
    assertSame(hookError, assertThrows(IllegalStateException.class, () -> throwingHook.runClaimed(run, false)));
    assertEquals(List.of("first's"), ran);
    assertTrue(second.isDone(), "the task that never started was counted down");
    assertSame(hookError, second.failure().getCause());
    assertFalse(first.isDone(), "one of its tasks is still out");
    first.tasksDone(1);
    assertNull(first.failure(), "its task here ran and returned: the hook's error is none of its business");
    assertTrue(allFree(segment));
  }

  /**
   * A worker's {@code submitTask} that overflowed its local queue rides the shared queue as an
   * {@code execute} entry; run or handed back, it still ends its own future.
   */
  @Test
  void aSpilledLocalTaskInARunEndsItsOwnFutureWhetherItRunsOrIsHandedBack() {
    LocalTask stops = new LocalTask(null, p -> {
      ran.add(p);
      lifecycle.stop("stopped by the first task");
    }, "first", null);
    // The second is the one that meets the stop, the third is handed back with the rest of the run.
    LocalTask second = new LocalTask(null, record, "second", null);
    LocalTask third = new LocalTask(null, record, "third", null);
    QueueSegment segment = new QueueSegment(4);
    for (LocalTask task : new LocalTask[] {stops, second, third}) {
      segment.fillOne(segment.tryClaim(1) >>> QueueSegment.COUNT_BITS, WorkerPool.RUN_RUNNABLE, task, null);
    }
    long taken = segment.tryTake(3, 1, null);
    run.set(segment, taken >>> QueueSegment.COUNT_BITS, 3);
    runner.runClaimed(run, false);
    assertEquals(List.of("first"), ran);
    assertTrue(stops.isDone());
    assertNull(stops.failure());
    for (LocalTask handedBack : new LocalTask[] {second, third}) {
      assertTrue(handedBack.isDone());
      assertInstanceOf(CancellationException.class, handedBack.failure().getCause());
    }
    assertEquals(1, completed.sum());
    assertEquals(2, cancelled.sum());
    assertTrue(allFree(segment));
  }

  @Test
  void aLocalTaskRecordsItselfAsRunningAndEndsItsFuture() {
    RunClaim level = new RunClaim();
    Completion outer = new Completion(null, 1, false, null);
    level.running = outer;
    List<Completion> runningWhileItRan = new ArrayList<>();
    LocalTask failing = new LocalTask(null, p -> {
      runningWhileItRan.add(level.running);
      throw new IllegalStateException("task failure");
    }, null, null);
    runner.runLocal(failing, level, true);
    assertEquals(List.of(failing), runningWhileItRan, "what a wait for its own future checks");
    assertSame(outer, level.running, "the level's own running task is back");
    assertEquals("task failure", failing.failure().getCause().getMessage());
    assertEquals(1, handled.size());
    assertEquals(0, completed.sum());
    lifecycle.stop("stopping");
    LocalTask late = new LocalTask(null, record, "late", null);
    runner.runLocal(late, level, true);
    assertEquals(List.of(), ran);
    assertInstanceOf(CancellationException.class, late.failure().getCause());
    assertEquals(1, cancelled.sum());
  }

  @Test
  void aRunNextTaskDoesNotStartOnceThePoolIsStopping() {
    AtomicInteger runs = new AtomicInteger();
    lifecycle.stop("stopping");
    runner.runLocal(runs::incrementAndGet, new RunClaim(), true);
    assertEquals(0, runs.get());
    assertEquals(1, cancelled.sum());
    assertEquals(1, handled.size(), "an execute task has no future: the failure handler hears of it");
    assertInstanceOf(CancellationException.class, handled.get(0));
  }

  @Test
  void anErrorFromThePoolsOwnCodeInABatchChunkIsRethrownAsItself() {
    PoolError error = new PoolError("reading the parameters failed");
    List<Object> params = new AbstractList<>() {
      @Override
      public Object get(int index) {
        if (index == 1) {
          throw error;
        }
        return index;
      }

      @Override
      public int size() {
        return 2;
      }
    };
    RangeCompletion entry = new RangeCompletion(null, record, null, params, 2, false, null); // chunks of one
    assertSame(error, assertThrows(PoolError.class, () -> runner.runRange(entry, run, false)));
    assertEquals(List.of(0), ran);
    assertTrue(entry.isDone(), "the failed chunk was counted down");
    assertSame(error, entry.failure().getCause());
  }

  @Test
  void aStopInsideABatchChunkHandsBackTheRestOfTheChunkAndEveryUnclaimedTask() {
    TaskFn<Object> stopAtFirst = p -> {
      ran.add(p);
      lifecycle.stop("stopped by the first task");
    };
    RangeCompletion entry = new RangeCompletion(null, stopAtFirst, null, new Object[] {0, 1, 2, 3, 4, 5, 6, 7}, 8,
        false, null); // a first chunk of two
    runner.runRange(entry, run, false);
    assertEquals(List.of(0), ran, "the second task of the chunk never started");
    assertTrue(entry.isDone(), "all eight were counted down");
    CancellationException reason = assertInstanceOf(CancellationException.class, entry.failure().getCause());
    assertEquals("stopped by the first task", reason.getMessage());
    assertEquals(1, completed.sum());
    assertEquals(List.of(1, 6), cancelledReports,
        "the rest of the chunk, then every unclaimed task at once (claimed whole), not chunk by chunk");
    assertEquals(List.of(), zeroReports);
  }

  @Test
  void aHandedBackBatchSlotLeavesTheGaugeOfQueuedSlots() {
    pool = new WorkerPool("runner-test", 1, r -> new Thread(() -> { }, "runner-test-idle"), 0L, null, null, null, 0L, 0);
    RangeCompletion entry = new RangeCompletion(pool, record, null, new Object[5], 5, false, null);
    pool.queuedRangeSlots.increment(); // as its submission did
    pool.runner.notStarted(RangeCompletion.SLOT, entry, null, new CancellationException("stopped"), true);
    assertEquals(0, pool.queuedRangeSlots.sum(), "the handed-back slot no longer waits");
    assertTrue(entry.isDone(), "and its unclaimed tasks were handed back");
    assertInstanceOf(CancellationException.class, entry.failure().getCause());
    assertEquals(List.of(), ran);
  }
}
