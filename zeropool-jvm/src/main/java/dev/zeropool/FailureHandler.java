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
}
