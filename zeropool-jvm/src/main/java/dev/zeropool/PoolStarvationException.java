package dev.zeropool;

/**
 * The starvation watchdog's report: every worker of a pool has been blocked for the configured time
 * while work was waiting, usually because a task blocks on something (a {@code CompletableFuture.join()},
 * a latch, a lock) that only work queued behind it would release. The message names each worker with
 * its thread state and stack top, and says whether a temporary compensating worker was started.
 *
 * <pre>{@code
 * ZeroPool pool = ZeroPool.builder()
 *     .failureHandler(new FailureHandler() {
 *       public void onFailure(TaskFn<?> fn, Object params, Throwable failure) { log.warn("task failed", failure); }
 *       public void onStarvation(PoolStarvationException report) { log.error("pool starving", report); }
 *     })
 *     .build();
 * }</pre>
 *
 * <p>It is a report, not a failure of any task: nothing is thrown at a caller.
 */
public final class PoolStarvationException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message what the watchdog saw
   */
  public PoolStarvationException(String message) {
    super(message, null, false, false);
  }
}
