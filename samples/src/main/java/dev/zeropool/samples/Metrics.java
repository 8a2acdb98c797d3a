package dev.zeropool.samples;

import dev.zeropool.PoolCounters;
import dev.zeropool.PoolStats;
import dev.zeropool.TaskFn;
import dev.zeropool.TaskFuture;
import dev.zeropool.ZeroPool;
import java.util.concurrent.CompletionException;

/**
 * Watching a pool: {@link PoolCounters} counts tasks, {@link ZeroPool#stats()} adds live gauges, and a
 * {@link dev.zeropool.FailureHandler} hears about every task that throws. (The
 * {@code zeropool-micrometer} module publishes the same figures to a Micrometer registry.)
 */
public final class Metrics {

  /** A number to parse; the task writes the value back. */
  static final class Parse {
    final String text;
    int value;

    Parse(String text) {
      this.text = text;
    }

    @Override
    public String toString() {
      return "\"" + text + "\"";
    }
  }

  static final TaskFn<Parse> PARSE = p -> p.value = Integer.parseInt(p.text);

  private Metrics() {}

  /** Runs the sample on a pool of its own with {@code workers} threads (counters and handler are build options). */
  public static void run(int workers) {
    PoolCounters counters = new PoolCounters();
    ZeroPool pool = ZeroPool.builder()
        .workers(workers)
        .metrics(counters)
        .failureHandler((fn, params, error) ->
            System.out.println("  failure handler: " + params + " -> " + error))
        .build();
    try (pool) {
      Parse[] inputs = {new Parse("12"), new Parse("x7"), new Parse("30"), new Parse(""), new Parse("5")};
      TaskFuture future = pool.submitBatch(PARSE, inputs);
      try {
        future.join();
      } catch (CompletionException e) {
        System.out.println("metrics: batch failed with " + e.getCause()
            + " (+" + e.getSuppressed().length + " more)");
      }
      PoolStats live = pool.stats();
      System.out.println("metrics: live gauges: queued = " + live.queuedTasks() + ", busy = "
          + live.busyWorkers() + ", parked = " + live.parkedWorkers());
    } // close() waits for the workers: from here on the counts are final
    PoolStats s = pool.stats();
    System.out.println("metrics: submitted = " + s.submitted() + ", completed = " + s.completed()
        + ", failed = " + s.failed() + ", wake-ups = " + s.wakeUps() + "; " + counters);
  }

  public static void main(String[] args) {
    run(Runtime.getRuntime().availableProcessors());
  }
}
