package dev.zeropool;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * A task started by {@link ZeroPool#spawn(java.util.concurrent.Callable)}: background work that runs
 * when no foreground work (submissions, forks, loops) is waiting, in spawn order among spawned tasks.
 *
 * <pre>{@code
 * SpawnedTask<Index> index = pool.spawn(() -> Index.build(documents));  // runs in the gaps
 * ...                                                                    // foreground work goes first
 * Index built = index.join();   // runs it here if no worker has started it yet
 * }</pre>
 *
 * <p>{@link #join()} never waits for a task nobody has started: it claims and runs it on the calling
 * thread. While it waits for a task that runs elsewhere, it helps only with forks and loops made by
 * that task (its scope), never with unrelated work. {@link #cancel(boolean)} of a task that has not
 * started takes it away for good (it will never run) and returns true; of a started one it returns
 * false and changes nothing, whatever {@code mayInterruptIfRunning} says.
 *
 * @param <T> the result type
 */
public interface SpawnedTask<T> extends Future<T> {

  /**
   * Waits for the task and returns its result, running it on the calling thread if no worker has
   * started it. A failure is rethrown as a {@link java.util.concurrent.CompletionException} whose
   * cause is the task's exception; a cancelled task throws
   * {@link java.util.concurrent.CancellationException}. Not interruptible (use {@link #get()} for that).
   *
   * <pre>{@code int answer = pool.spawn(() -> 6 * 7).join();}</pre>
   *
   * @return the task's result
   */
  T join();

  /**
   * {@return a {@link CompletableFuture} completed with the task's result or failure (cancelling the
   * returned future does not cancel the task)}
   *
   * <pre>{@code pool.spawn(this::reindex).toCompletableFuture().thenAccept(log::info);}</pre>
   */
  CompletableFuture<T> toCompletableFuture();
}
