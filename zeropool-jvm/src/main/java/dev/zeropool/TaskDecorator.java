package dev.zeropool;

/**
 * Wraps each {@link Runnable} submitted through the pool's {@link java.util.concurrent.ExecutorService}
 * side, to carry thread-bound context (an SLF4J MDC map, a tracing span, a security context) from the
 * submitting thread onto the worker and to clear it there afterwards. Install one with
 * {@link ZeroPool.Builder#taskDecorator(TaskDecorator)}.
 *
 * <p>{@link #decorate(Runnable)} is called once per task, on the submitting thread, before the task is
 * queued: capture the caller's context there. The returned {@code Runnable} runs on a worker instead of
 * the task: install the captured context, run the task, and restore what the worker had in a
 * {@code finally} block, because workers are reused and a leftover would leak into the next task.
 *
 * <pre>{@code
 * TaskDecorator withMdc = task -> {
 *   Map<String, String> captured = MDC.getCopyOfContextMap();      // submitting thread
 *   return () -> {
 *     Map<String, String> previous = MDC.getCopyOfContextMap();    // worker
 *     if (captured != null) MDC.setContextMap(captured); else MDC.clear();
 *     try {
 *       task.run();
 *     } finally {
 *       if (previous != null) MDC.setContextMap(previous); else MDC.clear();
 *     }
 *   };
 * };
 * ZeroPool pool = ZeroPool.builder().taskDecorator(withMdc).build();
 * }</pre>
 *
 * <p>Which paths are decorated: {@link ZeroPool#execute(Runnable)}, {@link ZeroPool#executeQueued(Runnable)}
 * and everything built on them: {@code submit}, {@code invokeAll}, {@code invokeAny},
 * {@code CompletableFuture.runAsync/supplyAsync/thenApplyAsync(..., pool)} and the Kotlin bridge's
 * coroutine dispatcher. When the future of {@code submit} or {@code invokeAll} runs its task in place on
 * a thread waiting in {@code get()}, it runs the decorated task there, so the task sees its submitter's
 * context on that thread too. The static-handle paths ({@code submitTask}, {@code submitBatch}) are never
 * decorated: they take no {@code Runnable}, and stay free of allocation.
 */
@FunctionalInterface
public interface TaskDecorator {

  /**
   * Returns the {@code Runnable} to queue in place of {@code task}; called on the submitting thread.
   * An exception thrown here propagates to the submitting call and nothing is queued.
   *
   * <pre>{@code TaskDecorator timed = task -> { long t0 = System.nanoTime(); return () -> { queueDelay.record(System.nanoTime() - t0); task.run(); }; };}</pre>
   *
   * @param task the task as submitted (for {@code submit} and {@code invokeAll}, the
   *     {@link java.util.concurrent.FutureTask} that completes the returned future)
   * @return the task to run on a worker; never null
   */
  Runnable decorate(Runnable task);
}
