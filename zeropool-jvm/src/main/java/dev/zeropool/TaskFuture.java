package dev.zeropool;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The completion of one submission: a single task, a whole uniform batch or a whole {@link TaskBatch}.
 * It is done when every task of the submission has finished, successfully or not.
 *
 * <pre>{@code
 * TaskFuture f = pool.submitBatch(SQUARE, params);
 * f.join();                                   // blocks; rethrows the first task failure
 * if (f.await(10, TimeUnit.MILLISECONDS)) { } // bounded wait
 * f.toCompletableFuture().thenRun(() -> log("done"));
 * }</pre>
 *
 * <h2>Visibility</h2>
 * Every write made by the tasks of the submission happens-before {@link #join()} returns normally or
 * exceptionally, {@link #await(long, TimeUnit)} returns {@code true} or throws a task's failure,
 * {@link #isDone()} returns {@code true}, and a {@link #whenDone(Consumer)} callback starts.
 *
 * <h2>Waiting from any thread</h2>
 * Any thread may wait, not only the submitter. A waiting thread that is not a worker of the pool runs
 * tasks of <em>this</em> submission while they are at the head of the queue (so a small batch often
 * finishes on the caller without waking anyone) and never runs unrelated work. A worker of the same
 * pool that waits keeps running queued tasks of any submission until this one is done, so nested
 * waits never deadlock the pool. Do not hold a lock across a wait inside a worker that another queued
 * task may need.
 *
 * <p>There is deliberately no zero-argument {@code await()}: Kotlin's suspending
 * {@code TaskFuture.await()} extension (in {@code zeropool-coroutines}) owns that name.
 */
public interface TaskFuture {

  /**
   * Waits until every task of the submission has finished.
   *
   * <p>Not interruptible: an interrupt during the wait is kept and re-asserted on return, as in
   * {@link CompletableFuture#join()}.
   *
   * @throws CompletionException if a task threw; its cause is the first failure, later failures are
   *     attached as suppressed exceptions (at most {@value #MAX_SUPPRESSED})
   */
  void join();

  /**
   * Waits at most the given time for every task of the submission to finish.
   *
   * @return {@code true} if every task finished successfully, {@code false} if the time ran out
   * @throws InterruptedException if the waiting thread is interrupted (the tasks keep running)
   * @throws CompletionException if the submission is done and a task threw (see {@link #join()})
   * @throws NullPointerException if {@code unit} is null
   */
  boolean await(long timeout, TimeUnit unit) throws InterruptedException;

  /** {@return true when every task of the submission has finished} Never blocks. */
  boolean isDone();

  /**
   * Skips every task of this submission that has not started yet; tasks already running finish.
   * Skipped tasks never run, and once every task is accounted for the submission is done and fails
   * with a {@link CompletionException} whose cause is a {@link java.util.concurrent.CancellationException}
   * (unless a task failed first). Does not wait: queued tasks are skipped as workers reach them, which
   * costs them almost nothing.
   *
   * <pre>{@code
   * TaskFuture f = pool.submitBatch(RENDER, tiles);
   * if (userClickedStop) f.cancel();
   * }</pre>
   *
   * @return false if the submission was already done, true otherwise
   */
  boolean cancel();

  /**
   * {@return the failure {@link #join()} would throw, or null if not done or no task failed}
   * The returned exception is a {@link CompletionException} whose cause is the first task failure.
   */
  CompletionException failure();

  /**
   * Calls {@code callback} once, when the submission is done, with {@code null} on success or the
   * failure {@link #join()} would throw. If already done, calls it at once on this thread; otherwise
   * it runs on the thread that finishes the last task, so keep it short or hand it to an executor.
   *
   * <pre>{@code
   * pool.submitBatch(SQUARE, params).whenDone(error -> latch.countDown());
   * }</pre>
   *
   * @throws NullPointerException if {@code callback} is null
   */
  void whenDone(Consumer<? super CompletionException> callback);

  /**
   * {@return a CompletableFuture that completes with null, or exceptionally with the task failure, when
   * this submission is done} Each call returns a new dependent future; completing or cancelling it does
   * not affect the tasks.
   */
  CompletableFuture<Void> toCompletableFuture();

  /** The most later failures {@link #join()} attaches as suppressed exceptions to the one it throws. */
  int MAX_SUPPRESSED = 16;
}
