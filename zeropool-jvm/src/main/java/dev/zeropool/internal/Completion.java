package dev.zeropool.internal;

import dev.zeropool.CancellationToken;
import dev.zeropool.TaskFuture;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
public class Completion implements TaskFuture {

  private static final VarHandle PENDING;
  private static final VarHandle FAILURE;
  private static final VarHandle SUPPRESSED;
  private static final VarHandle WAITERS;
  private static final VarHandle SETTLED;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      PENDING = lookup.findVarHandle(Completion.class, "pending", int.class);
      FAILURE = lookup.findVarHandle(Completion.class, "failure", CompletionException.class);
      SUPPRESSED = lookup.findVarHandle(Completion.class, "suppressed", int.class);
      WAITERS = lookup.findVarHandle(Completion.class, "waiters", Waiter.class);
      SETTLED = lookup.findVarHandle(Completion.class, "settled", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Marks the waiter stack of a completed submission. */
  private static final Waiter DONE = new Waiter(null, null);

  private static final Completion COMPLETED = new Completion(null, 0, false, null);

  final WorkerPool pool;
  /** Which tier's queue holds the tasks: where an outside waiter looks for them. */
  final boolean inBackground;
  private final CancellationToken token;
  private volatile boolean cancelled;
  private volatile int pending;
  private volatile CompletionException failure;
  private volatile int suppressed;
  private volatile Waiter waiters;
  /**
   * True once the completer has run every callback: waits return only then, so a thread whose wait
   * returned sees every dependent future (from {@link #toCompletableFuture()}) already completed.
   */
  private volatile boolean settled;

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
    // A plain store: a volatile one would cost a full fence per submission, and the submission is
    // published to the workers by the queue's release store of the slot anyway.
    PENDING.set(this, tasks);
    if (tasks == 0) {
      this.waiters = DONE;
      this.settled = true;
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

  /**
   * Callbacks first, then parked threads: a thread whose wait returns finds every dependent future
   * (from {@link #toCompletableFuture()}) already completed.
   */
  private void complete() {
    Waiter stack = (Waiter) WAITERS.getAndSet(this, DONE);
    CompletionException error = failure;
    for (Waiter w = stack; w != null; w = w.next) {
      if (w.callback != null) {
        Waiter.call(w.callback, error);
      }
    }
    // Release suffices: a waiter that reads settled == true must see the callbacks' effects; nothing
    // needs a store-load fence here (the unparks below synchronize on their own).
    SETTLED.setRelease(this, true);
    for (Waiter w = stack; w != null; w = w.next) {
      Thread t = w.thread;
      if (t != null) {
        LockSupport.unpark(t);
      }
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
  public boolean cancel(boolean mayInterruptIfRunning) {
    return cancel();
  }

  @Override
  public boolean isCancelled() {
    CompletionException error = failure();
    return cancelled && error != null && error.getCause() instanceof CancellationException;
  }

  @Override
  public void join() {
    if (!settled) {
      Helping.requireNotOwnTask(pool, this);
      pool.help(this, false, 0L);
      SpinWait.untilDone(this, pool.spinNanos()); // what is left usually ends within microseconds
      if (!settled) {
        awaitUninterruptibly();
      }
    }
    throwIfFailed();
  }

  @Override
  public Void get() throws InterruptedException, ExecutionException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    if (!settled) {
      Helping.requireNotOwnTask(pool, this);
      pool.help(this, false, 0L);
      SpinWait.untilDone(this, pool.spinNanos());
      if (!settled) {
        awaitNanos(Long.MAX_VALUE);
      }
    }
    throwForGet();
    return null;
  }

  @Override
  public Void get(long timeout, TimeUnit unit)
      throws InterruptedException, ExecutionException, TimeoutException {
    if (!awaitDone(timeout, unit)) {
      throw new TimeoutException("not done within " + timeout + " " + unit + ": " + this);
    }
    throwForGet();
    return null;
  }

  @Override
  public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
    if (!awaitDone(timeout, unit)) {
      return false;
    }
    throwIfFailed();
    return true;
  }

  /**
   * On a worker of the pool, helps (between tasks, bounded by the timeout), then parks for what is left
   * of it; elsewhere only parks, since running a task in place could overrun the timeout by the whole
   * task. True when done.
   */
  private boolean awaitDone(long timeout, TimeUnit unit) throws InterruptedException {
    Objects.requireNonNull(unit, "unit");
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    if (settled) {
      return true;
    }
    long nanos = unit.toNanos(timeout);
    if (nanos <= 0) {
      return false;
    }
    Helping.requireNotOwnTask(pool, this);
    long deadline = System.nanoTime() + nanos;
    if (pool.isOwnWorker()) {
      pool.help(this, true, deadline); // a worker must keep the pool moving, or the wait could deadlock
    }
    SpinWait.untilDone(this, Math.min(pool.spinNanos(), deadline - System.nanoTime()));
    return settled || awaitNanos(deadline - System.nanoTime());
  }

  /** Throws as {@link java.util.concurrent.Future#get()} does: a cancellation as itself, anything else wrapped. */
  private void throwForGet() throws ExecutionException {
    CompletionException error = failure;
    if (error == null) {
      return;
    }
    if (error.getCause() instanceof CancellationException) {
      throw (CancellationException) error.getCause();
    }
    throw new ExecutionException(error.getCause());
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
    CompletableFuture<Void> future = new HelpingFuture(this);
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

  /** Throws as {@link CompletableFuture#join()} does: a cancellation as itself, anything else wrapped. */
  private void throwIfFailed() {
    CompletionException error = failure;
    if (error != null) {
      if (error.getCause() instanceof CancellationException) {
        throw (CancellationException) error.getCause();
      }
      throw error;
    }
  }

  // ---- parking ----

  /** Nodes on the waiter stack, live or given up; for tests of waiter clean-up. */
  int waiterCount() {
    int count = 0;
    for (Waiter w = waiters; w != null && w != DONE; w = w.next) {
      count++;
    }
    return count;
  }

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
      while (!settled) {
        LockSupport.park(this);
        interrupted |= Thread.interrupted();
      }
    } else {
      awaitSettled();
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits out the short moment between the stack being taken and the callbacks having run. */
  private void awaitSettled() {
    while (!settled) {
      Thread.onSpinWait();
    }
  }


  /** Parks for at most {@code nanos}; true when done. A node left by a timeout or interrupt is unlinked. */
  private boolean awaitNanos(long nanos) throws InterruptedException {
    if (nanos <= 0) {
      return settled;
    }
    Waiter node = new Waiter(Thread.currentThread(), null);
    if (!push(node)) {
      awaitSettled(); // done meanwhile; its completer is running the callbacks
      return true;
    }
    long deadline = System.nanoTime() + nanos;
    try {
      while (!settled) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        LockSupport.parkNanos(this, left);
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
      }
    } finally {
      if (!settled) {
        unlink(node);
      }
    }
    return settled;
  }

  /**
   * Removes a timed-out or interrupted waiter, so that repeated timed waits on a submission that
   * never finishes do not grow the stack. The node is first marked dead ({@code thread = null}); the
   * walk then splices out every dead node it meets and restarts from the top whenever a splice races
   * with a push or another removal, so a dead node is never left reachable for long and a live one is
   * never lost (only dead nodes are spliced, and a splice is a CAS for the top or a write of a live
   * predecessor's {@code next} that is re-validated).
   */
  private void unlink(Waiter node) {
    node.thread = null;
    retry:
    for (;;) {
      Waiter top = waiters;
      if (top == DONE) {
        return; // completed: the whole stack is gone
      }
      Waiter pred = null;
      for (Waiter w = top; w != null; ) {
        Waiter next = w.next;
        if (w.thread != null || w.callback != null) {
          pred = w;
        } else if (pred == null) {
          if (!WAITERS.compareAndSet(this, w, next)) {
            continue retry;
          }
        } else {
          pred.next = next;
          if (pred.thread == null && pred.callback == null) {
            continue retry; // pred died meanwhile: walk again from the top
          }
        }
        w = next;
      }
      return;
    }
  }

  /**
   * The dependent future of {@link #toCompletableFuture()}: its blocking waits help run the
   * submission first, as {@link #join()} does, so {@code toCompletableFuture().join()} inside a task
   * on a busy pool does not hang. Dependent stages are plain {@code CompletableFuture}s.
   */
  private static final class HelpingFuture extends CompletableFuture<Void> {
    private final Completion source;

    HelpingFuture(Completion source) {
      this.source = source;
    }

    private void helpFirst() {
      if (!source.isDone() && source.pool != null) {
        Helping.requireNotOwnTask(source.pool, source);
        source.pool.help(source, false, 0L);
      }
    }

    @Override
    public Void join() {
      helpFirst();
      super.join();
      return null; // a Void future's value
    }

    @Override
    public Void get() throws InterruptedException, ExecutionException {
      helpFirst();
      super.get();
      return null;
    }
  }

  /** A parked thread or a callback waiting for completion. */
  private static final class Waiter {
    /** The parked thread; null for a callback, or once a timed-out waiter has given up. */
    volatile Thread thread;
    final Consumer<? super CompletionException> callback;
    Waiter next;

    Waiter(Thread thread, Consumer<? super CompletionException> callback) {
      this.thread = thread;
      this.callback = callback;
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
