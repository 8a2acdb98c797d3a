package dev.zeropool.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A worker's local work: one "run next" place for a {@code Runnable} that the worker itself submitted
 * through {@code execute} (a coroutine resuming another, a task handing off to the next step) or a
 * {@link LocalTask} it submitted through {@code submitTask} (a task forking a subtask).
 *
 * <p>Why: a worker that dispatches follow-up work is usually about to finish its current task, so the
 * follow-up can run on the same core with warm caches, without a trip through the shared queue and
 * without waking anybody (kotlinx's {@code Dispatchers.Default} and Go's scheduler keep the same slot).
 *
 * <h2>Invariant</h2>
 * The slot holds at most one task, and a task leaves it exactly once: taken by the owner
 * ({@link #take}, an atomic swap), stolen by another worker ({@link #steal}, a CAS from that exact
 * task), taken back by a thread that waits for it ({@link #remove}, the same CAS), or displaced by the
 * owner's next local submission ({@link #put} returns it, and the caller moves it to the local queue).
 * Every exit is an atomic read-modify-write of the slot, so two of them can never return the same task.
 *
 * <h2>Fairness</h2>
 * The owner bounds how many local tasks it runs in a row before it looks at the shared queue (see
 * {@link Worker}); idle workers steal a task that sits here, so nothing waits behind a long task
 * while a worker is free.
 */
final class RunNextSlot {

  private static final VarHandle TASK;

  static {
    try {
      TASK = MethodHandles.lookup().findVarHandle(RunNextSlot.class, "task", Runnable.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private volatile Runnable task;

  /** Owner only: places {@code next} here and returns the task it displaced, or null. */
  Runnable put(Runnable next) {
    return (Runnable) TASK.getAndSet(this, next);
  }

  /** Owner only: takes the task, or returns null if the slot is empty. */
  Runnable take() {
    return task == null ? null : (Runnable) TASK.getAndSet(this, null);
  }

  /** Any thread: takes the task if there is one; null when empty or when another thread won it. */
  Runnable steal() {
    Runnable r = task;
    return r != null && TASK.compareAndSet(this, r, null) ? r : null;
  }

  /** Any thread: takes {@code expected} if the slot holds exactly it; false otherwise. */
  boolean remove(Runnable expected) {
    return task == expected && TASK.compareAndSet(this, expected, null);
  }

  boolean isEmpty() {
    return task == null;
  }
}
