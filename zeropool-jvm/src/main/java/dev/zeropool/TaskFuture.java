package dev.zeropool;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * <p>Writes made before the submission happen-before its tasks run.
 *
 * <h2>Waiting from any thread</h2>
 * Any thread may wait, not only the submitter, with {@link #join()}, {@link #get()},
 * {@link #await(long, TimeUnit)}, {@link #get(long, TimeUnit)}, or the {@code join()}/{@code get()} of
 * {@link #toCompletableFuture()}. Each of these <em>helps</em> before it parks: a waiting thread that
 * is not a worker of the pool runs tasks of <em>this</em> submission (a batch's unclaimed tasks
 * wherever the batch sits in the queue, a single task while it is at the head) and never runs
 * unrelated work. A thread that helps with a batch takes the place of one worker: a batch joined right
 * after its submission runs on as many threads as the pool has workers, the joining thread included,
 * so a pool of one worker per core is not oversubscribed (a batch's tasks are independent and must
 * not wait for each other; fork-join parts, which may, get every worker beside the caller). A worker
 * of the same pool that waits runs tasks of this submission first and then queued tasks of any
 * submission until this one is done, so nested waits never deadlock the pool. The timed waits
 * ({@link #await(long, TimeUnit)}, {@link #get(long, TimeUnit)}) help only on a worker of the pool,
 * where not helping could deadlock, and there they may return later than their timeout by the length
 * of a task they started; elsewhere they only park. Do not hold a lock across a wait inside a worker
 * that another queued task may need.
 *
 * <p>A task that waits for its own submission (directly, or through tasks it helps with) would wait
 * for itself forever: such a wait throws {@link IllegalStateException} instead. Waits this future
 * cannot see (a foreign {@code CompletableFuture.join()} on work queued behind the waiting task) are
 * covered by the pool's starvation watchdog (see {@code ZeroPool.Builder#starvationWatchdog}).
 *
 * <h2>As a {@link Future}</h2>
 * {@code TaskFuture} is a {@code Future<Void>} so that it can be handed to code that takes one.
 * {@link #get()} throws {@link ExecutionException} with the first failure as its cause, or
 * {@link CancellationException} for a cancelled submission. Unlike {@code FutureTask},
 * {@link #cancel(boolean)} never interrupts, and the future becomes done (and {@link #isCancelled()}
 * true) only once the tasks that were already running have finished: a {@code TaskFuture} never reports
 * done while one of its tasks still runs.
 *
 * <p>There is deliberately no zero-argument {@code await()}: Kotlin's suspending
 * {@code TaskFuture.await()} extension (in {@code zeropool-coroutines}) owns that name.
 */
public interface TaskFuture extends Future<Void> {

  /**
   * Waits until every task of the submission has finished.
   *
   * <p>Not interruptible: an interrupt during the wait is kept and re-asserted on return, as in
   * {@link CompletableFuture#join()}.
   *
   * @throws CompletionException if a task threw; its cause is the first failure, later failures are
   *     attached as suppressed exceptions (at most {@value #MAX_SUPPRESSED})
   * @throws CancellationException if the submission was cancelled (or the pool stopped) before a task
   *     started, thrown as itself as {@link CompletableFuture#join()} does
   * @throws IllegalStateException if called by a task of this same submission
   */
  void join();

  /**
   * Waits like {@link #join()}, but interruptibly, and reports as {@link Future#get()} does.
   *
   * <pre>{@code
   * Future<Void> f = pool.submitBatch(SQUARE, params);   // hand it to code that takes a Future
   * f.get();
   * }</pre>
   *
   * @return null
   * @throws ExecutionException if a task threw; its cause is the first failure
   * @throws CancellationException if the submission was cancelled before a task started
   * @throws InterruptedException if the waiting thread is interrupted (the tasks keep running)
   * @throws IllegalStateException if called by a task of this same submission
   */
  @Override
  Void get() throws InterruptedException, ExecutionException;

  /**
   * Waits at most the given time (helping only on a worker of the pool, as {@link #await(long, TimeUnit)}
   * does), and reports as {@link Future#get()} does.
   *
   * <pre>{@code
   * pool.submitTask(WORK, params).get(1, TimeUnit.SECONDS);
   * }</pre>
   *
   * @return null
   * @throws TimeoutException if the submission is not done in time
   * @throws ExecutionException if a task threw; its cause is the first failure
   * @throws CancellationException if the submission was cancelled before a task started
   * @throws InterruptedException if the waiting thread is interrupted
   */
  @Override
  Void get(long timeout, TimeUnit unit)
      throws InterruptedException, ExecutionException, TimeoutException;

  /**
   * Waits at most the given time for every task of the submission to finish.
   *
   * <p>On a worker of the pool it helps like {@link #join()} (checking the timeout between tasks)
   * before it parks; on any other thread it only parks. A timeout of zero or less only checks.
   *
   * @return {@code true} if every task finished successfully, {@code false} if the time ran out
   * @throws InterruptedException if the waiting thread is interrupted (the tasks keep running)
   * @throws IllegalStateException if called by a task of this same submission
   * @throws CompletionException if the submission is done and a task threw (see {@link #join()})
   * @throws NullPointerException if {@code unit} is null
   */
  boolean await(long timeout, TimeUnit unit) throws InterruptedException;

  /** {@return true when every task of the submission has finished} Never blocks. */
  @Override
  boolean isDone();

  /**
   * Skips every task of this submission that has not started yet; tasks already running finish.
   * Skipped tasks never run, and once every task is accounted for the submission is done and
   * {@link #join()} throws a {@link CancellationException} (unless a task failed first). Does not wait: queued tasks are skipped as workers reach them, which
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
   * The {@link Future} form of {@link #cancel()}: the same, whatever {@code mayInterruptIfRunning}
   * says (running tasks are never interrupted; see the class comment).
   *
   * <pre>{@code
   * Future<Void> f = pool.submitBatch(RENDER, tiles);
   * f.cancel(false);
   * }</pre>
   *
   * @return false if the submission was already done, true otherwise
   */
  @Override
  boolean cancel(boolean mayInterruptIfRunning);

  /**
   * {@return true when this submission is done and was cancelled through {@link #cancel()} before
   * some of its tasks started}
   */
  @Override
  boolean isCancelled();

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
