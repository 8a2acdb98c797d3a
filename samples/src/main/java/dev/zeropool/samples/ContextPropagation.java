package dev.zeropool.samples;

import dev.zeropool.TaskDecorator;
import dev.zeropool.ZeroPool;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Carrying thread-bound context onto the workers with a {@link TaskDecorator}: a request id in a
 * thread-local (as SLF4J's MDC keeps its map) set by the caller is seen by its tasks and cleared on
 * the worker after each. With Micrometer, {@code ZeroPoolContextPropagation.decorator()} from
 * {@code zeropool-micrometer} does the same for observations and every registered thread-local.
 */
public final class ContextPropagation {

  /** The caller's request id, where a logging MDC would keep it. */
  static final ThreadLocal<String> REQUEST_ID = new ThreadLocal<>();

  /** Captures on the submitting thread; installs around the task on the worker, then restores. */
  static final TaskDecorator CARRY_REQUEST_ID = task -> {
    String captured = REQUEST_ID.get();
    return () -> {
      String previous = REQUEST_ID.get();
      REQUEST_ID.set(captured);
      try {
        task.run();
      } finally {
        if (previous == null) {
          REQUEST_ID.remove();
        } else {
          REQUEST_ID.set(previous);
        }
      }
    };
  };

  private ContextPropagation() {}

  /** Runs the sample on a pool of its own with {@code workers} workers (the decorator is a build option). */
  public static void run(int workers) throws InterruptedException, ExecutionException {
    try (ZeroPool pool = ZeroPool.builder().workers(workers).taskDecorator(CARRY_REQUEST_ID).build()) {
      REQUEST_ID.set("req-42");
      String submitted;
      String async;
      try {
        submitted = pool.submit(REQUEST_ID::get).get();
        async = CompletableFuture.supplyAsync(REQUEST_ID::get, pool)
            .thenApplyAsync(id -> id + "/" + REQUEST_ID.get(), pool).join();
      } finally {
        REQUEST_ID.remove();
      }
      String afterwards = pool.submit(REQUEST_ID::get).get(); // a caller without an id: none on the worker
      System.out.println("context propagation: submit saw " + submitted + ", async chain saw " + async
          + ", a later task without context saw " + afterwards);
    }
  }

  public static void main(String[] args) throws Exception {
    run(Runtime.getRuntime().availableProcessors());
  }
}
