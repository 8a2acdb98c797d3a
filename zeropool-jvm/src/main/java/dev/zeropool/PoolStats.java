package dev.zeropool;

/**
 * A snapshot of a pool: task counts (from an installed {@link PoolCounters}; {@code -1} when the pool
 * has none) and live gauges. Values are read one after another while the pool runs, so they are each
 * accurate but not mutually consistent.
 *
 * <pre>{@code
 * PoolStats s = pool.stats();
 * if (s.queuedTasks() > 10_000) shedLoad();
 * }</pre>
 *
 * @param submitted tasks accepted, or -1 without {@link PoolCounters}
 * @param completed tasks that returned normally, or -1
 * @param failed tasks that threw, or -1
 * @param cancelled tasks skipped by cancellation or handed back by shutdownNow, or -1
 * @param rejected tasks refused after shutdown, or -1
 * @param queuedTasks tasks waiting to start: in both tiers, and in the workers' own local queues and run-next slots
 * @param busyWorkers workers not on the idle list
 * @param parkedWorkers workers on the idle list (parked, or about to park)
 * @param wakeUps idle workers unparked since the pool started
 */
public record PoolStats(long submitted, long completed, long failed, long cancelled, long rejected,
    long queuedTasks, int busyWorkers, int parkedWorkers, long wakeUps) {}
