package dev.zeropool;

/**
 * Hears about every task that throws, after the failure is recorded on the task's future.
 *
 * <pre>{@code
 * ZeroPool pool = ZeroPool.builder()
 *     .failureHandler((fn, params, error) -> log.warn("task failed on " + params, error))
 *     .build();
 * }</pre>
 *
 * <p>Which failures reach it: every task failure on every path ({@code submitTask}, {@code submitBatch},
 * {@code execute}, {@code submit}), once, after the task's future (if it has one) has recorded it; and
 * tasks handed back at a stop that have no future. Without a handler, a failure is carried by its
 * future only (like {@code CompletableFuture}), and what has no future to carry it goes to the worker's
 * uncaught-exception handler, so nothing fails silently unless a future carrying it is dropped.
 *
 * <p>Runs on the worker that ran the task; an exception it throws is reported to the worker thread's
 * uncaught-exception handler and the worker carries on. Without a handler, the pool passes
 * {@link Error}s, and failures of {@link ZeroPool#execute(Runnable)} tasks (which have no future to
 * carry them), to that uncaught-exception handler, so that nothing fails silently.
 */
@FunctionalInterface
public interface FailureHandler {

  /**
   * Called once per failed task.
   *
   * @param fn the task's handle (for {@link ZeroPool#execute(Runnable)} tasks, an internal handle
   *     whose parameter is the {@code Runnable})
   * @param params the task's parameter object
   * @param failure what the task threw
   */
  void onFailure(TaskFn<?> fn, Object params, Throwable failure);

  /**
   * Called by the starvation watchdog (see {@link ZeroPool.Builder#starvationWatchdog}) when every
   * worker has been blocked while work waits. Runs on the shared watchdog thread: keep it short. The
   * default passes the report to that thread's uncaught-exception handler (printed to standard error
   * unless you changed it), which is also what happens when the pool has no handler.
   *
   * <pre>{@code
   * public void onStarvation(PoolStarvationException report) { log.error("pool starving", report); }
   * }</pre>
   *
   * @param report the workers' states and stack tops
   */
  default void onStarvation(PoolStarvationException report) {
    Thread current = Thread.currentThread();
    current.getUncaughtExceptionHandler().uncaughtException(current, report);
  }
}
