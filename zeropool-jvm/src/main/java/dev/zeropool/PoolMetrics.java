package dev.zeropool;

/**
 * A hook that hears what the pool does, for metrics. Install one with
 * {@link ZeroPool.Builder#metrics(PoolMetrics)}; {@link PoolCounters} is a ready-made one. Without a
 * hook the pool pays one null check per run of tasks and does no counting at all.
 *
 * <pre>{@code
 * PoolCounters counters = new PoolCounters();
 * ZeroPool pool = ZeroPool.builder().metrics(counters).build();
 * ...
 * System.out.println(pool.stats());   // counts plus live gauges
 * }</pre>
 *
 * <p>Methods are called on hot paths (submitting threads and workers): keep them cheap and
 * non-blocking, e.g. {@link java.util.concurrent.atomic.LongAdder} increments. Each has an empty
 * default, so a hook implements only what it needs. A hook must not throw.
 */
public interface PoolMetrics {

  /** {@code count} tasks were accepted by one submission. */
  default void tasksSubmitted(int count) {}

  /** {@code count} tasks ran and returned normally. */
  default void tasksCompleted(int count) {}

  /** One task threw. */
  default void taskFailed() {}

  /** {@code count} tasks were skipped because they were cancelled before they started, or handed back by {@code shutdownNow}. */
  default void tasksCancelled(int count) {}

  /** {@code count} tasks were refused because the pool was shut down. */
  default void tasksRejected(int count) {}

  /** A submission or a worker unparked an idle worker. */
  default void workerWokeUp() {}

  /**
   * The starvation watchdog found every worker blocked while work waited (see
   * {@link ZeroPool.Builder#starvationWatchdog}).
   *
   * @param temporaryWorkers compensating workers alive after this report
   */
  default void starvationDetected(int temporaryWorkers) {}
}
