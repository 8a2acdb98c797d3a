package dev.zeropool.internal;

import dev.zeropool.CancellationToken;
import dev.zeropool.TaskFn;
import java.util.concurrent.ExecutionException;

/**
 * A task that a worker submitted with {@code submitTask} to its own pool: the task's future, and the
 * entry that waits in the worker's run-next slot or local queue (see {@link WorkerPool#submitTask}).
 *
 * <p>Why one object: a worker that submits a subtask and joins it (the fork-join pattern) should pay
 * for neither the shared queue nor a wake-up, and should run the subtask itself when nobody took it
 * (see {@link Helping}). Being both the future and the local entry keeps that path at one allocation,
 * as the shared path is.
 *
 * <p>Invariant: the pool never calls {@link #run()}. Wherever a local entry is run or handed back
 * ({@link TaskRunner#runLocal}, a run from the shared queue after a spill, {@code shutdownNow}), the
 * pool recognizes this type and treats it as the task {@code fn(params)} with this completion, so the
 * future always ends: with the task's outcome, or failed when the task never starts.
 */
final class LocalTask extends Completion implements Runnable {

  final TaskFn<Object> fn;
  final Object params;
  /**
   * While this task runs: what its nesting level was running before it (see {@link TaskRunner#runLocal}),
   * so that {@link Helping}'s self-wait check sees both. Touched only by the running thread.
   */
  Completion below;

  /**
   * {@return the {@code LocalTask} that a queue entry or local entry carries, or null}: a local entry
   * moved to the shared queue, or handed back, rides as an {@code execute} task (handle
   * {@link WorkerPool#RUN_RUNNABLE}, no completion) whose parameter is this object.
   */
  static LocalTask carriedBy(Object fn, Object params, Object completion) {
    return fn == WorkerPool.RUN_RUNNABLE && completion == null && params instanceof LocalTask
        ? (LocalTask) params : null;
  }

  @SuppressWarnings("unchecked")
  LocalTask(WorkerPool pool, TaskFn<?> fn, Object params, CancellationToken token) {
    super(pool, 1, false, token);
    this.fn = (TaskFn<Object>) fn;
    this.params = params;
  }

  /** On the worker that forked it, while nobody has taken it: runs it in place, then returns as joined. */
  @Override
  public void join() {
    if (!isDone()) {
      Helping.runIfStillInOwnSlot(pool, this);
    }
    super.join();
  }

  /** As {@link #join()}, for {@code get()}: an interrupted caller gets its {@link InterruptedException} first. */
  @Override
  public Void get() throws InterruptedException, ExecutionException {
    if (!isDone() && !Thread.currentThread().isInterrupted()) {
      Helping.runIfStillInOwnSlot(pool, this);
    }
    return super.get();
  }

  /**
   * Not for calling: the pool runs this task through its {@link TaskRunner}, which records the outcome
   * in this future. Running it from anywhere else would run the task twice.
   */
  @Override
  public void run() {
    throw new UnsupportedOperationException("a pool's local task is run by that pool: " + this);
  }
}
