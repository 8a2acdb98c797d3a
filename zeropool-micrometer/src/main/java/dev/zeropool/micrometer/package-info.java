/**
 * Micrometer binding for ZeroPool: {@link dev.zeropool.micrometer.ZeroPoolMetrics} publishes a pool's
 * gauges (queued tasks, busy and parked workers) and counters (wake-ups, and task counts when a
 * {@link dev.zeropool.PoolCounters} is installed) to any {@code MeterRegistry},
 * {@link dev.zeropool.micrometer.PinnedPoolMetrics} does the same for a
 * {@link dev.zeropool.pinned.PinnedPool} (inbox depth and items per pinned thread), and
 * {@link dev.zeropool.micrometer.ZeroPoolContextPropagation} carries observations and other registered
 * thread-local context onto the workers.
 *
 * <pre>{@code
 * ZeroPool pool = ZeroPoolMetrics.monitor(registry, ZeroPool.builder().metrics(new PoolCounters()).build(), "cpu");
 * PinnedPool<Session> sessions = PinnedPoolMetrics.monitor(registry, PinnedPool.create(4), "sessions");
 * }</pre>
 */
package dev.zeropool.micrometer;
