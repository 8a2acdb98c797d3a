package dev.zeropool.micrometer;

import dev.zeropool.TaskDecorator;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import java.util.Objects;

/**
 * Carries Micrometer context (the current {@code Observation}, and every thread-local registered with
 * a {@code ThreadLocalAccessor}: an MDC map, a tracing span, a security context) from the submitting
 * thread onto ZeroPool's workers, through Micrometer's context-propagation library
 * ({@code io.micrometer:context-propagation}, an optional dependency: add it to use this class).
 *
 * <p>The decorator takes a {@link ContextSnapshot} of the caller's thread-locals when a task is
 * submitted, sets them on the worker around the task, and restores the worker's previous values
 * afterwards, so nothing leaks into the next task on that worker.
 *
 * <pre>{@code
 * ZeroPool pool = ZeroPool.builder()
 *     .taskDecorator(ZeroPoolContextPropagation.decorator())
 *     .build();
 * Observation.createNotStarted("checkout", observationRegistry).observe(() ->
 *     CompletableFuture.runAsync(() -> log.info("in the checkout observation"), pool).join());
 * }</pre>
 *
 * <p>Like every {@link TaskDecorator}, it covers the {@code ExecutorService} paths of the pool
 * ({@code execute}, {@code submit}, {@code invokeAll}, {@code invokeAny}, {@code CompletableFuture.*Async(...,
 * pool)}), not the static-handle paths {@code submitTask} and {@code submitBatch}.
 */
public final class ZeroPoolContextPropagation {

  private ZeroPoolContextPropagation() {}

  /**
   * {@return a decorator that propagates everything registered in the global {@link ContextRegistry}}
   * Thread-locals that the caller did not have set are cleared on the worker for the task's
   * duration ({@code clearMissing}), so a task sees exactly its caller's context.
   *
   * <pre>{@code ZeroPool pool = ZeroPool.builder().taskDecorator(ZeroPoolContextPropagation.decorator()).build();}</pre>
   */
  public static TaskDecorator decorator() {
    return decorator(ContextSnapshotFactory.builder()
        .contextRegistry(ContextRegistry.getInstance())
        .clearMissing(true)
        .build());
  }

  /**
   * {@return a decorator that captures with {@code factory} at submission and restores on the worker}
   * Use it to choose the registry, the keys captured or whether missing values are cleared.
   *
   * <pre>{@code
   * ContextSnapshotFactory factory = ContextSnapshotFactory.builder()
   *     .contextRegistry(registry).captureKeyPredicate(key -> !"noisy".equals(key)).build();
   * ZeroPool pool = ZeroPool.builder().taskDecorator(ZeroPoolContextPropagation.decorator(factory)).build();
   * }</pre>
   *
   * @param factory takes the snapshot on the submitting thread
   * @throws NullPointerException if {@code factory} is null
   */
  public static TaskDecorator decorator(ContextSnapshotFactory factory) {
    Objects.requireNonNull(factory, "factory");
    return task -> factory.captureAll().wrap(task);
  }
}
