package dev.zeropool.internal;

import dev.zeropool.TaskFn;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The future of {@code submit}/{@code invokeAll}: a {@link FutureTask} whose untimed {@link #get()}
 * runs the task on the waiting thread when no worker has started it yet, as {@code ForkJoinTask.get}
 * does. That is what keeps {@code pool.submit(x).get()} inside a task of a busy pool from hanging, and
 * it saves a wake-up when the caller waits at once.
 *
 * <h2>Why it is safe</h2>
 * {@link FutureTask#run()} starts the task only if nobody has (a CAS on its runner), so the task runs
 * exactly once whether the caller or the worker that later takes its queue slot gets there first;
 * the loser's {@code run()} does nothing.
 *
 * <h2>Interrupts</h2>
 * An interrupt that reaches the caller while it runs the task inline lands in the task. When the task
 * lets it show (it ends with the interrupt status set, or throws {@link InterruptedException}), the
 * caller's {@code get()} throws {@link InterruptedException} once the task has finished (its outcome
 * stays in the future), so a caller interrupted inside {@code invokeAll} still gets the exception the
 * {@code ExecutorService} contract promises. A task that swallows the interrupt hides it, as it would
 * on any thread. The timed {@code get} never runs the task inline: it could not keep its timeout.
 *
 * <h2>{@code invokeAll}</h2>
 * The futures of one {@code invokeAll} are the units of one batch ({@link RangeCompletion}):
 * one queue slot for all of them instead of one per task, claimed in chunks by the workers and by the
 * calling thread, which (untimed, or on a worker) runs what no worker has claimed ({@link #RUN_IN_BATCH},
 * {@link #awaitBatch}).
 * The interrupt rule is the same: an interrupt that reaches the caller while it runs tasks and that a
 * task lets show ends the call with {@link InterruptedException}, and the unfinished tasks are
 * cancelled.
 */
public final class PoolFutureTask<T> extends FutureTask<T> {

  /**
   * The thread running the task now, or null: lets a task's own {@code get()} fail fast. A plain field:
   * only a thread's own write can make it equal that thread, and a thread always sees its own writes.
   */
  private Thread runner;
  /**
   * How long {@link #get()} spins for a task that a worker is running before it parks. An {@code int}:
   * the builder bounds the spin window to 1 s, and four bytes less keep this future at 56 bytes with
   * the {@code invoker} field.
   */
  private final int spinNanos;
  /** The thread that ran the task to its end; written before the outcome is published. */
  private Thread finishedBy;
  /** Whether the task ended by throwing {@link InterruptedException}. */
  private boolean failedByInterrupt;
  /**
   * The pool's task-decorator wrapper around this task, or null without a decorator: what {@link #get()}
   * runs in place, so an in-place run carries the submitter's context like a worker's run. Written by
   * the submitter before {@code submit} returns the future, so a thread that got the future through any
   * safe publication sees it (a racy publication could at worst run the task undecorated); a plain field
   * keeps the undecorated path free of an extra store and fence.
   */
  private Runnable decorated;
  /** The thread that called {@code invokeAll} for this task, or null for {@code submit}. */
  private final Thread invoker;
  /** Set once by a waiter that runs the task in place or by a stop that hands it back ({@link #take()}). */
  private volatile boolean taken;

  private static final VarHandle TAKEN;

  static {
    try {
      TAKEN = MethodHandles.lookup().findVarHandle(PoolFutureTask.class, "taken", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * The handle of an {@code invokeAll} batch's units: runs the task (decorated, if so) and, when the
   * thread that called {@code invokeAll} runs it and it ends by throwing {@link InterruptedException},
   * puts the interrupt it consumed back, so that the call's wait that follows throws.
   */
  public static final TaskFn<PoolFutureTask<?>> RUN_IN_BATCH = PoolFutureTask::runInBatch;

  /**
   * @param spinNanos how long {@link #get()} spins for a task that a worker is running before it
   *     parks (the pool's spin window)
   */
  public PoolFutureTask(Callable<T> callable, long spinNanos) {
    this(callable, spinNanos, null);
  }

  /**
   * @param invoker the thread calling {@code invokeAll} with this task (see {@link #RUN_IN_BATCH}), or null
   */
  public PoolFutureTask(Callable<T> callable, long spinNanos, Thread invoker) {
    super(callable);
    this.spinNanos = Math.toIntExact(spinNanos);
    this.invoker = invoker;
  }

  /**
   * The wait of an {@code invokeAll} whose futures were submitted as {@code batch}; returns once every
   * future is done. Untimed ({@code timeoutNanos < 0}), it runs on this thread the tasks no worker has
   * claimed and waits for the others; timed, it waits as {@link Completion#get(long, TimeUnit)} does
   * (helping only on a worker) and cancels, interrupting them, the tasks unfinished at the timeout.
   * Tasks that will never start (a stop handed them back) have their futures cancelled.
   *
   * @throws InterruptedException if this thread is interrupted while it waits, or while it runs tasks
   *     and a task lets the interrupt show; the unfinished tasks are then cancelled, as
   *     {@code AbstractExecutorService} does
   */
  public static void awaitBatch(Completion batch, List<? extends Future<?>> futures, long timeoutNanos)
      throws InterruptedException {
    try {
      if (timeoutNanos < 0) {
        batch.get();
      } else {
        batch.get(timeoutNanos, TimeUnit.NANOSECONDS);
      }
      if (Thread.interrupted()) {
        throw new InterruptedException(
            "interrupted during invokeAll; every task has finished, its outcome is in its future");
      }
    } catch (ExecutionException | CancellationException stopped) {
      cancelUnfinished(futures, false); // never started: a stop handed them back, or their decorator threw
    } catch (TimeoutException late) {
      cancelUnfinished(futures, true);
    } catch (InterruptedException interrupted) {
      cancelUnfinished(futures, true);
      throw interrupted;
    }
  }

  /** Cancels every future not done; a cancelled future's task never starts, so unclaimed ones stay no-ops. */
  private static void cancelUnfinished(List<? extends Future<?>> futures, boolean interruptRunning) {
    for (Future<?> future : futures) {
      if (!future.isDone()) {
        future.cancel(interruptRunning);
      }
    }
  }

  private void runInBatch() {
    Runnable inPlace = decorated;
    if (inPlace != null) {
      inPlace.run();
    } else {
      run();
    }
    if (failedByInterrupt && finishedBy == invoker && invoker == Thread.currentThread()) {
      invoker.interrupt();
    }
  }

  /**
   * Takes this task out of band: for a waiter about to run it in place, or for a stop about to hand
   * it back as never started. Only one of them gets it, so a stop never cancels and hands back a task
   * that a waiter runs (its queue slot is still there while it runs). A worker that takes the task
   * through its queue slot does not call this: the slot is then gone for the stop, and
   * {@link FutureTask#run()} decides between that worker and a waiter.
   *
   * @return true for the first caller only
   */
  boolean take() {
    return !taken && TAKEN.compareAndSet(this, false, true);
  }

  /** Makes {@link #get()} run {@code decorated} (which runs this task) instead of this task itself. */
  public void runInPlaceAs(Runnable decorated) {
    this.decorated = decorated;
  }

  /**
   * What the pool queues for this future once {@link #runInPlaceAs} has given it a decorator's
   * wrapper: a {@code Runnable} that runs the wrapper and that a stop recognizes as this future's
   * ({@link #queuedAs}), so that the stop and a waiter's in-place run take the task with the same
   * {@link #take()}. Queued bare, the wrapper would hide the future from the stop, which could then
   * hand back a task that a waiter was running. Allocates, as decorating does anyway.
   */
  public Runnable decoratedEntry() {
    return new DecoratedEntry(this);
  }

  /**
   * The future behind a queued task: {@code task} itself if it is one of these futures, the future of
   * a {@link #decoratedEntry()}, or null for any other task.
   */
  static PoolFutureTask<?> queuedAs(Object task) {
    if (task instanceof PoolFutureTask) {
      return (PoolFutureTask<?>) task;
    }
    return task instanceof DecoratedEntry ? ((DecoratedEntry) task).future : null;
  }

  /**
   * What a stop hands back for a queued task that never started: the decorator's wrapper for a
   * {@link #decoratedEntry()} (as the pool's documentation promises), else the task itself.
   */
  static Runnable handedBack(Runnable task) {
    return task instanceof DecoratedEntry ? ((DecoratedEntry) task).future.decorated : task;
  }

  /** The queue's entry for a decorated future: see {@link #decoratedEntry()}. */
  private static final class DecoratedEntry implements Runnable {
    private final PoolFutureTask<?> future;

    DecoratedEntry(PoolFutureTask<?> future) {
      this.future = future;
    }

    @Override
    public void run() {
      future.decorated.run();
    }

    @Override
    public String toString() {
      return future.decorated.toString();
    }
  }

  @Override
  public void run() {
    runner = Thread.currentThread();
    try {
      super.run();
    } finally {
      runner = null;
    }
  }

  @Override
  public T get() throws InterruptedException, ExecutionException {
    if (!isDone()) {
      if (runner == Thread.currentThread()) {
        throw new IllegalStateException("a task waits for its own future: it can never finish");
      }
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      if (take()) {
        Runnable inPlace = decorated;
        if (inPlace != null) {
          inPlace.run();
        } else {
          run();
        }
      }
      boolean interruptLanded = Thread.interrupted();
      if (finishedBy == Thread.currentThread() && (interruptLanded || failedByInterrupt)) {
        throw new InterruptedException("interrupted while running the task in place; its outcome stays in the future");
      }
      if (interruptLanded) {
        throw new InterruptedException();
      }
      SpinWait.untilDone(this, spinNanos); // a worker runs it: it usually ends within microseconds
    }
    return super.get();
  }

  @Override
  protected void set(T value) {
    finishedBy = Thread.currentThread();
    super.set(value);
  }

  @Override
  protected void setException(Throwable failure) {
    finishedBy = Thread.currentThread();
    failedByInterrupt = failure instanceof InterruptedException;
    super.setException(failure);
  }
}
