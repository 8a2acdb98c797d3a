package dev.zeropool.internal;

import dev.zeropool.CancellationToken;
import dev.zeropool.TaskFuture;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The future of one submission: a countdown of unfinished tasks plus the first failure.
 *
 * <h2>Invariant</h2>
 * {@code pending} counts the tasks that have not finished. Whoever brings it to zero completes the
 * submission: it swaps the waiter stack for {@link #DONE} and wakes or calls everything that was on it.
 * A waiter pushes itself only while the stack is not {@code DONE}, so each waiter is either woken by
 * the completer or sees {@code DONE} itself: no wake-up is lost.
 *
 * <h2>Visibility</h2>
 * Each worker decrements {@code pending} with a volatile read-modify-write after its tasks ran, so the
 * decrements form a chain in which each one sees the writes before the previous ones; a reader that
 * sees {@code pending == 0} sees every task's writes. A failure is published before its decrement.
 *
 * <h2>Cost</h2>
 * Workers count down once per run of consecutive tasks of the same submission, not once per task.
 */
public final class Completion implements TaskFuture {

  private static final VarHandle PENDING;
  private static final VarHandle FAILURE;
  private static final VarHandle SUPPRESSED;
  private static final VarHandle WAITERS;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      PENDING = lookup.findVarHandle(Completion.class, "pending", int.class);
      FAILURE = lookup.findVarHandle(Completion.class, "failure", CompletionException.class);
      SUPPRESSED = lookup.findVarHandle(Completion.class, "suppressed", int.class);
      WAITERS = lookup.findVarHandle(Completion.class, "waiters", Waiter.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Marks the waiter stack of a completed submission. */
  private static final Waiter DONE = new Waiter(null, null);

  private static final Completion COMPLETED = new Completion(null, 0, false, null);

  private final WorkerPool pool;
  /** Which tier's queue holds the tasks: where an outside waiter looks for them. */
  final boolean inBackground;
  private final CancellationToken token;
  private volatile boolean cancelled;
  private volatile int pending;
  private volatile CompletionException failure;
  private volatile int suppressed;
  private volatile Waiter waiters;

  /**
   * @param pool the pool whose queue waiters may help with (null only for {@link #completed()})
   * @param tasks number of tasks in the submission, at least 1
   * @param inBackground whether the tasks go to the background tier
   * @param token skips the tasks that have not started once cancelled; may be null
   */
  public Completion(WorkerPool pool, int tasks, boolean inBackground, CancellationToken token) {
    this.pool = pool;
    this.inBackground = inBackground;
    this.token = token;
    this.pending = tasks;
    if (tasks == 0) {
      this.waiters = DONE;
    }
  }

  /** {@return the shared, already completed future of an empty submission} */
  public static Completion completed() {
    return COMPLETED;
  }

  // ---- reporting, by the threads that run the tasks ----

  /** Records that {@code count} tasks finished (successfully or after {@link #taskFailed}). */
  public void tasksDone(int count) {
    if ((int) PENDING.getAndAdd(this, -count) == count) {
      complete();
    }
  }

  /** Records a task's failure; call before the matching {@link #tasksDone}. */
  public void taskFailed(Throwable error) {
    if (failure == null && FAILURE.compareAndSet(this, null, new CompletionException(error))) {
      return;
    }
    CompletionException first = failure;
    if (first.getCause() != error && (int) SUPPRESSED.getAndAdd(this, 1) < MAX_SUPPRESSED) {
      first.addSuppressed(error);
    }
  }

  /** True when the task about to start must be skipped: its submission or its token was cancelled. */
  boolean shouldSkip() {
    return cancelled || (token != null && token.isCancelled());
  }

  /** Records that a task was skipped; call before the matching {@link #tasksDone}. */
  void taskSkipped() {
    if (failure == null) { // only the first skip (or failure) creates an exception
      FAILURE.compareAndSet(this, null, new CompletionException(
          new CancellationException("cancelled before it started")));
    }
  }

  private void complete() {
    Waiter stack = (Waiter) WAITERS.getAndSet(this, DONE);
    CompletionException error = failure;
    for (Waiter w = stack; w != null; w = w.next) {
      w.fire(error);
    }
  }

  // ---- TaskFuture ----

  @Override
  public boolean isDone() {
    return pending == 0;
  }

  @Override
  public boolean cancel() {
    if (pending == 0) {
      return false;
    }
    cancelled = true;
    return true;
  }

  @Override
  public CompletionException failure() {
    return pending == 0 ? failure : null;
  }

  @Override
  public void join() {
    if (pending != 0) {
      pool.help(this);
      if (pending != 0) {
        awaitUninterruptibly();
      }
    }
    throwIfFailed();
  }

  @Override
  public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
    Objects.requireNonNull(unit, "unit");
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    if (pending != 0 && !awaitNanos(unit.toNanos(timeout))) {
      return false;
    }
    throwIfFailed();
    return true;
  }

  @Override
  public void whenDone(Consumer<? super CompletionException> callback) {
    Objects.requireNonNull(callback, "callback");
    if (!push(new Waiter(null, callback))) {
      Waiter.call(callback, failure);
    }
  }

  @Override
  public CompletableFuture<Void> toCompletableFuture() {
    CompletableFuture<Void> future = new CompletableFuture<>();
    whenDone(error -> {
      if (error == null) {
        future.complete(null);
      } else {
        future.completeExceptionally(error.getCause());
      }
    });
    return future;
  }

  @Override
  public String toString() {
    int left = pending;
    return "TaskFuture[" + (left == 0 ? (failure == null ? "Completed normally" : "Completed exceptionally: " + failure.getCause())
        : "Not completed, " + left + " tasks left") + "]";
  }

  private void throwIfFailed() {
    CompletionException error = failure;
    if (error != null) {
      throw error;
    }
  }

  // ---- parking ----

  /** Pushes a waiter unless the submission is done; returns false if it was done. */
  private boolean push(Waiter node) {
    for (;;) {
      Waiter top = waiters;
      if (top == DONE) {
        return false;
      }
      node.next = top;
      if (WAITERS.compareAndSet(this, top, node)) {
        return true;
      }
    }
  }

  private void awaitUninterruptibly() {
    boolean interrupted = false;
    if (push(new Waiter(Thread.currentThread(), null))) {
      while (pending != 0) {
        LockSupport.park(this);
        interrupted |= Thread.interrupted();
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private boolean awaitNanos(long nanos) throws InterruptedException {
    long deadline = System.nanoTime() + nanos;
    if (nanos <= 0 || !push(new Waiter(Thread.currentThread(), null))) {
      return pending == 0;
    }
    while (pending != 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false; // our node stays on the stack until completion; a late unpark is harmless
      }
      LockSupport.parkNanos(this, left);
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
    return true;
  }

  /** A parked thread or a callback waiting for completion. */
  private static final class Waiter {
    final Thread thread;
    final Consumer<? super CompletionException> callback;
    Waiter next;

    Waiter(Thread thread, Consumer<? super CompletionException> callback) {
      this.thread = thread;
      this.callback = callback;
    }

    void fire(CompletionException error) {
      if (thread != null) {
        LockSupport.unpark(thread);
      } else {
        call(callback, error);
      }
    }

    static void call(Consumer<? super CompletionException> callback, CompletionException error) {
      try {
        callback.accept(error);
      } catch (Throwable t) {
        Thread current = Thread.currentThread();
        current.getUncaughtExceptionHandler().uncaughtException(current, t);
      }
    }
  }
}
