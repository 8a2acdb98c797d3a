package dev.zeropool.internal;

import dev.zeropool.SpawnedTask;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A spawned task: a {@link RangeEntry} of one unit on the background tier, so it is at the same time
 * the queue slot's parameter, the claim that decides who runs it, and its future.
 *
 * <p>Invariant: the unit is claimed exactly once, by a worker taking the slot, by {@link #join()}
 * (which then runs it on the caller) or by {@link #cancel(boolean)} (which then counts it finished
 * without running it). Whoever loses that race finds the cursor exhausted: a late worker's slot is a
 * failed claim, a late cancel returns false. The background queue is FIFO, so spawned tasks start in
 * spawn order. Its body runs as the current entry of its thread, so forks inside it are its children
 * and {@link #join()} helps with exactly those; it has no parent, since nobody waits for it through
 * the code that spawned it.
 */
public final class SpawnEntry<T> extends RangeEntry implements SpawnedTask<T> {

  /** Cleared when the unit is claimed to run or cancelled, so a stale queue slot does not hold the task. */
  private Callable<? extends T> task;
  private T result;
  private volatile boolean cancelled;

  public SpawnEntry(WorkerPool pool, Callable<? extends T> task) {
    super(pool, 1, 1, true, null);
    this.task = task;
  }

  /** Puts the task on the background queue; false if the pool is shut down. */
  public boolean start() {
    return publish();
  }

  @Override
  protected void runUnits(int from, int to) throws Exception {
    Callable<? extends T> body = task;
    task = null;
    result = body.call();
  }

  @Override
  public T join() {
    helpAndAwait();
    if (cancelled) {
      throw new CancellationException("the spawned task was cancelled before it started");
    }
    throwIfFailed();
    return result;
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    if (claim(1) == NONE) {
      return false; // started (or finished, or cancelled) already
    }
    task = null;
    cancelled = true; // before the count: whoever sees the entry done sees the flag
    finish(1);
    return true;
  }

  @Override
  public boolean isCancelled() {
    return cancelled;
  }

  @Override
  public T get() throws InterruptedException, ExecutionException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    long claimed = claim(1);
    if (claimed != NONE) {
      runChunk(claimed); // nobody started it: run it here rather than wait for a worker
    } else {
      awaitNanos(Long.MAX_VALUE);
    }
    return report();
  }

  @Override
  public T get(long timeout, TimeUnit unit)
      throws InterruptedException, ExecutionException, TimeoutException {
    if (!awaitNanos(unit.toNanos(timeout))) {
      throw new TimeoutException("the spawned task did not finish within " + timeout + " " + unit);
    }
    return report();
  }

  private T report() throws ExecutionException {
    if (cancelled) {
      throw new CancellationException("the spawned task was cancelled before it started");
    }
    CompletionException failure = failure();
    if (failure != null) {
      throw new ExecutionException(failure.getCause());
    }
    return result;
  }

  @Override
  public CompletableFuture<T> toCompletableFuture() {
    CompletableFuture<T> future = new CompletableFuture<>();
    whenDone(() -> {
      CompletionException failure = failure();
      if (cancelled) {
        future.cancel(false);
      } else if (failure != null) {
        future.completeExceptionally(failure.getCause());
      } else {
        future.complete(result);
      }
    });
    return future;
  }

  @Override
  public String toString() {
    return "SpawnedTask[" + (!isDone() ? (isExhausted() ? "Running" : "Not started")
        : cancelled ? "Cancelled" : failure() != null ? "Failed: " + failure().getCause() : "Completed") + "]";
  }
}
