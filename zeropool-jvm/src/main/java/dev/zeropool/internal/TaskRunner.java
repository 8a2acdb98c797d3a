package dev.zeropool.internal;

import dev.zeropool.FailureHandler;
import dev.zeropool.PoolMetrics;
import dev.zeropool.TaskFn;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Future;

/**
 * Runs tasks: claimed runs from the queues (workers and helping waiters) and run-next tasks, and
 * reports what happened to them.
 *
 * <h2>Invariant: every claimed task is accounted for exactly once</h2>
 * Each task of a claimed run either runs, or is skipped (its submission was cancelled), or is handed
 * back because the pool is stopping; in each case its slot is released and its completion counted
 * down exactly once. This holds even when something other than a task throws in here (an error in the
 * bookkeeping, an {@code OutOfMemoryError} while reporting): the tasks not yet accounted for then fail
 * their futures with that error before it propagates.
 *
 * <h2>Stopping</h2>
 * Once the pool is stopping ({@code shutdownNow}, a graceful deadline), no task starts any more: the
 * rest of a claimed run is handed back (futures fail with {@link CancellationException}), so a stop
 * does not wait for up to a run of tasks that each sleep through the interrupt.
 *
 * <h2>Failures</h2>
 * The rule for a task that throws: its future fails with the throwable as the cause; the pool's
 * {@link FailureHandler}, if any, is told; without a handler, a failure that no future can carry
 * ({@code execute} tasks) or an {@link Error} goes to the running thread's uncaught-exception handler
 * on a worker. A waiting caller that runs tasks while it helps reports to the handler and the future only.
 */
final class TaskRunner {

  private final Lifecycle lifecycle;
  private final FailureHandler failureHandler;
  /** Null when no hook is installed: the hot paths then pay one null check. */
  private final PoolMetrics metrics;

  TaskRunner(Lifecycle lifecycle, FailureHandler failureHandler, PoolMetrics metrics) {
    this.lifecycle = lifecycle;
    this.failureHandler = failureHandler;
    this.metrics = metrics;
  }

  /**
   * Runs a claimed run of tasks. Each slot is released as soon as its three references are read, so
   * producers can reuse it while the task runs (the task's objects stay reachable from this frame).
   * On a worker it also clears an interrupt left over from an earlier task (a late
   * {@code Future.cancel(true)}), so one task's interrupt never lands in the next.
   */
  @SuppressWarnings({"unchecked", "removal"})
  void runClaimed(RunClaim run, boolean onWorker) {
    int count = run.count();
    Completion current = null;
    int finished = 0; // tasks of `current` done in this run and not yet counted down
    int completed = 0; // ... of which returned normally
    int skipped = 0; // ... of which were cancelled before they started
    int next = 0;
    TaskFn<Object> fn = null;
    Object params = null;
    Completion completion = null;
    boolean unaccounted = false; // the task at `next` is released but in no count yet
    ThreadDeath death = null;
    try {
      for (; next < count; next++) {
        fn = (TaskFn<Object>) run.fn(next);
        params = run.param(next);
        completion = (Completion) run.completion(next);
        run.release(next);
        unaccounted = true;
        LocalTask spilled = LocalTask.carriedBy(fn, params, completion); // a worker's submitTask
        if (spilled != null) {
          completion = spilled;
          fn = spilled.fn;
          params = spilled.params;
        }
        if (completion != current) { // a range slot has none, so it also ends the group before it
          int done = finished;
          finished = 0;
          finish(current, done, completed, skipped);
          current = completion;
          run.running = completion;
          completed = 0;
          skipped = 0;
        }
        if ((Object) fn == RangeCompletion.SLOT) { // a batch's range entry: it accounts for its own tasks
          unaccounted = false;
          RangeCompletion entry = (RangeCompletion) params;
          entry.pool.queuedRangeSlots.decrement();
          runRange(entry, run, onWorker);
          continue;
        }
        if (lifecycle.isStopping()) {
          unaccounted = false;
          CancellationException stopped = new CancellationException(lifecycle.stopReason());
          notStarted(fn, params, completion, stopped, true);
          handBack(run, next + 1, stopped);
          if (metrics != null) {
            metrics.tasksCancelled(1);
          }
          break;
        }
        finished++;
        unaccounted = false;
        if (completion != null && completion.shouldSkip()) {
          completion.taskSkipped();
          skipped++;
          continue;
        }
        if (onWorker && run.outer == null) {
          clearLeftoverInterrupt();
        }
        try {
          fn.run(params);
          completed++;
        } catch (Throwable error) {
          taskFailed(fn, params, completion, error, onWorker);
          if (error instanceof ThreadDeath && onWorker) {
            death = (ThreadDeath) error; // finish the run (its tasks are ours alone), then die
          }
        }
      }
      int done = finished;
      finished = 0;
      finish(current, done, completed, skipped);
    } catch (Throwable poolError) {
      // Not a task's throwable (those are caught above): account for what is left, then let it out.
      if (unaccounted) {
        notStarted(fn, params, completion, poolError, true);
      }
      if (finished > 0 && current != null) {
        current.taskFailed(poolError);
        current.tasksDone(finished);
      }
      handBack(run, next + 1, poolError);
      throw poolError;
    } finally {
      run.running = null;
    }
    if (death != null) {
      throw death;
    }
  }

  /**
   * Claims and runs chunks of a range entry until none is left, for a worker that took one of its
   * slots ({@code onWorker}) or for a thread that waits for it. A worker first widens the entry (one
   * more slot, one more woken worker) while tasks are unclaimed. {@code level} is the thread's claim at
   * this nesting level; it records the entry as running, for {@link Helping}'s self-wait check.
   */
  void runRange(RangeCompletion entry, RunClaim level, boolean onWorker) {
    runRange(entry, level, onWorker, false, 0L);
  }

  /**
   * {@link #runRange(RangeCompletion, RunClaim, boolean)} for a timed wait: when {@code timed}, claims
   * no further chunk once {@code deadline} (a {@link System#nanoTime()} value) has passed.
   */
  void runRange(RangeCompletion entry, RunClaim level, boolean onWorker, boolean timed, long deadline) {
    long claimed = entry.claim();
    if (claimed == RangeCompletion.NONE) {
      return;
    }
    if (onWorker) {
      entry.widen();
    }
    Completion outerRunning = level.running;
    level.running = entry;
    try {
      do {
        if (!runChunk(entry, (int) (claimed >>> 32), (int) claimed, onWorker && level.outer == null,
            onWorker)) {
          handBackRest(entry);
          return;
        }
      } while (!(timed && System.nanoTime() - deadline >= 0)
          && (claimed = entry.claim()) != RangeCompletion.NONE);
    } finally {
      level.running = outerRunning;
    }
  }

  /**
   * Runs tasks {@code [from, to)} of {@code entry}, then counts them down once. Each task is checked
   * for the pool's stop and its submission's cancellation right before it starts.
   *
   * @return false if the pool is stopping (the chunk's tasks from there on were handed back)
   */
  @SuppressWarnings("removal")
  private boolean runChunk(RangeCompletion entry, int from, int to, boolean clearInterrupts,
      boolean onWorker) {
    int completed = 0;
    int skipped = 0;
    int i = from;
    boolean stopped = false;
    ThreadDeath death = null;
    Throwable poolError = null;
    try {
      for (; i < to; i++) {
        if (lifecycle.isStopping()) {
          stopped = true;
          break;
        }
        if (entry.shouldSkip()) {
          entry.taskSkipped();
          skipped++;
          continue;
        }
        if (clearInterrupts) {
          clearLeftoverInterrupt();
        }
        TaskFn<Object> fn = entry.fn(i);
        Object params = entry.param(i);
        try {
          fn.run(params);
          completed++;
        } catch (Throwable error) {
          taskFailed(fn, params, entry, error, onWorker);
          if (error instanceof ThreadDeath && onWorker) {
            death = (ThreadDeath) error; // finish the chunk (its tasks are ours alone), then die
          }
        }
      }
    } catch (Throwable error) {
      poolError = error; // not a task's throwable: those are caught above
    } finally {
      if (stopped) { // at task i < to: tasks [i, to) never start
        entry.taskFailed(new CancellationException(lifecycle.stopReason()));
        if (metrics != null) {
          metrics.tasksCancelled(to - i);
        }
      } else if (poolError != null) {
        entry.taskFailed(poolError);
      }
      finish(entry, to - from, completed, skipped);
    }
    if (poolError instanceof Error) {
      throw (Error) poolError;
    } else if (poolError != null) {
      throw (RuntimeException) poolError;
    }
    if (death != null) {
      throw death;
    }
    return !stopped;
  }

  /** Hands back every task of {@code entry} that nobody has claimed: its future fails with the stop's reason. */
  void handBackRest(RangeCompletion entry) {
    long rest = entry.claimRest();
    if (rest != RangeCompletion.NONE) {
      int count = (int) rest - (int) (rest >>> 32);
      entry.taskFailed(new CancellationException(lifecycle.stopReason()));
      if (metrics != null) {
        metrics.tasksCancelled(count);
      }
      entry.tasksDone(count);
    }
  }

  /** Fails and releases the claimed tasks {@code [from, count)}, which will never start. */
  private void handBack(RunClaim run, int from, Throwable reason) {
    int count = run.count();
    int tasks = 0;
    for (int i = from; i < count; i++) {
      Object fn = run.fn(i);
      Object params = run.param(i);
      Completion completion = (Completion) run.completion(i);
      run.release(i);
      notStarted(fn, params, completion, reason, completion == null);
      if (fn != RangeCompletion.SLOT) {
        tasks++; // a range entry counts its own tasks
      }
    }
    if (metrics != null && tasks > 0) {
      metrics.tasksCancelled(tasks);
    }
  }


  /**
   * Tells everybody concerned that a task will never start: its completion fails and counts down; a
   * {@code submit} future is cancelled; the failure handler is told when {@code report} (or else, for
   * a task that nobody else can hear about, the thread's uncaught-exception handler).
   *
   * @return false if the task is not handed back after all: a {@code submit} future whose waiter took
   *     it to run in place ({@link PoolFutureTask#take()}), so it has started or is about to
   */
  boolean notStarted(Object fn, Object params, Completion completion, Throwable reason, boolean report) {
    LocalTask carried = LocalTask.carriedBy(fn, params, completion); // a worker's submitTask
    if (carried != null) {
      return notStarted(carried.fn, carried.params, carried, reason, report);
    }
    if (fn == RangeCompletion.SLOT) {
      RangeCompletion entry = (RangeCompletion) params;
      entry.pool.queuedRangeSlots.decrement();
      handBackRest(entry);
      return true;
    }
    PoolFutureTask<?> future = PoolFutureTask.queuedAs(params);
    if (completion != null) {
      completion.taskFailed(reason);
      completion.tasksDone(1);
    } else if (future != null) {
      if (!future.take()) {
        return false; // a waiter took it to run in place: it has started, or is about to
      }
      future.cancel(false); // a submit() future: release its waiters
      return true;
    } else if (params instanceof Future) {
      ((Future<?>) params).cancel(false); // a future given to execute(): release its waiters
      return true;
    }
    if (report) {
      report((TaskFn<?>) fn, params, reason, true);
    }
    return true;
  }

  /**
   * Clears an interrupt left over from an earlier task (a late {@code Future.cancel(true)}), so it
   * never lands in the next one, unless the pool is stopping. The stop is checked after the clear:
   * {@code shutdownNow} sets the stop before it interrupts, so an interrupt that raced with the
   * caller's earlier stop check is put back, and a task that starts during a stop starts interrupted.
   */
  private void clearLeftoverInterrupt() {
    if (Thread.interrupted() && lifecycle.isStopping()) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Runs a task taken from a run-next slot or a local queue: an {@code execute} task, or a worker's
   * {@code submitTask} ({@link LocalTask}). {@code level} is the thread's claim at this nesting level
   * (it records a {@code LocalTask} as running, for {@link Helping}'s self-wait check);
   * {@code clearInterrupts} is false for a waiter that runs it while it helps (an interrupt then belongs
   * to the wait, not to a leftover of an earlier task).
   */
  void runLocal(Runnable task, RunClaim level, boolean clearInterrupts) {
    if (lifecycle.isStopping()) { // a LocalTask's future fails too: notStarted recognizes it
      notStarted(WorkerPool.RUN_RUNNABLE, task, null, new CancellationException(lifecycle.stopReason()), true);
      if (metrics != null) {
        metrics.tasksCancelled(1);
      }
      return;
    }
    if (task instanceof LocalTask) {
      runLocalTask((LocalTask) task, level, clearInterrupts);
      return;
    }
    if (clearInterrupts) {
      clearLeftoverInterrupt();
    }
    try {
      task.run();
      if (metrics != null) {
        metrics.tasksCompleted(1);
      }
    } catch (Throwable error) {
      taskFailed(WorkerPool.RUN_RUNNABLE, task, null, error, true);
      if (error instanceof ThreadDeath) {
        throw error;
      }
    }
  }

  /** {@link #runLocal} for a worker's {@code submitTask}: its outcome goes to its own future. */
  @SuppressWarnings("removal")
  private void runLocalTask(LocalTask task, RunClaim level, boolean clearInterrupts) {
    if (task.shouldSkip()) {
      task.taskSkipped();
      finish(task, 1, 0, 1);
      return;
    }
    if (clearInterrupts) {
      clearLeftoverInterrupt();
    }
    task.below = level.running; // kept, so a wait inside the task still sees what the level was running
    level.running = task;
    int completed = 0;
    ThreadDeath death = null;
    try {
      task.fn.run(task.params);
      completed = 1;
    } catch (Throwable error) {
      taskFailed(task.fn, task.params, task, error, true);
      if (error instanceof ThreadDeath) {
        death = (ThreadDeath) error;
      }
    } finally {
      level.running = task.below;
      task.below = null;
      finish(task, 1, completed, 0);
    }
    if (death != null) {
      throw death;
    }
  }

  /**
   * Reports a group of consecutive tasks of one submission ({@code completion} null for
   * {@code execute} tasks) to the metrics hook, then counts them down: in that order, so a caller
   * that sees the submission done also sees it counted.
   */
  private void finish(Completion completion, int finished, int completed, int skipped) {
    if (finished == 0) {
      return;
    }
    try {
      if (metrics != null) {
        metrics.tasksCompleted(completed);
        if (skipped > 0) {
          metrics.tasksCancelled(skipped);
        }
      }
    } finally {
      if (completion != null) {
        completion.tasksDone(finished);
      }
    }
  }

  private void taskFailed(TaskFn<?> fn, Object params, Completion completion, Throwable error,
      boolean onWorker) {
    if (completion != null) {
      completion.taskFailed(error);
    }
    if (metrics != null) {
      metrics.taskFailed();
    }
    report(fn, params, error, onWorker && (completion == null || error instanceof Error));
  }

  /** Tells the failure handler, or else (when {@code otherwiseUncaught}) the thread's uncaught-exception handler. */
  void report(TaskFn<?> fn, Object params, Throwable error, boolean otherwiseUncaught) {
    FailureHandler handler = failureHandler;
    if (handler != null) {
      try {
        handler.onFailure(fn, params, error);
      } catch (Throwable handlerError) {
        reportUncaught(handlerError);
      }
    } else if (otherwiseUncaught) {
      reportUncaught(error);
    }
  }

  static void reportUncaught(Throwable error) {
    Thread current = Thread.currentThread();
    try {
      current.getUncaughtExceptionHandler().uncaughtException(current, error);
    } catch (Throwable ignored) {
      // The handler itself failed; there is nobody left to tell, and the worker must carry on.
    }
  }
}
