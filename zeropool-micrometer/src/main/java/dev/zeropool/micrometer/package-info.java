/**
 * Micrometer binding for ZeroPool: {@link dev.zeropool.micrometer.ZeroPoolMetrics} publishes a pool's
 * gauges (queued tasks, busy and parked workers) and counters (wake-ups, and task counts when a
 * {@link dev.zeropool.PoolCounters} is installed) to any {@code MeterRegistry}, and
 * {@link dev.zeropool.micrometer.ZeroPoolContextPropagation} carries observations and other registered
 * thread-local context onto the workers.
 *
 * <pre>{@code
 * ZeroPool pool = ZeroPoolMetrics.monitor(registry, ZeroPool.builder().metrics(new PoolCounters()).build(), "cpu");
 * }</pre>
 */
package dev.zeropool.micrometer;
