package dev.zeropool.micrometer;

import dev.zeropool.PoolCounters;
import dev.zeropool.PoolStats;
import dev.zeropool.ZeroPool;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * Publishes a {@link ZeroPool}'s live gauges and task counts to a Micrometer {@link MeterRegistry}.
 * Every meter reads {@link ZeroPool#stats()} when the registry asks for it (at scrape or publish time),
 * so binding adds nothing to the pool's hot paths.
 *
 * <pre>{@code
 * PoolCounters counters = new PoolCounters();          // optional: enables the task counts
 * ZeroPool pool = ZeroPool.builder().metrics(counters).build();
 * new ZeroPoolMetrics(pool, "render", Tags.of("region", "eu")).bindTo(registry);
 * }</pre>
 *
 * <h2>Meters</h2>
 * Every meter carries the tag {@code name=<poolName>} plus the tags given to the constructor.
 * <table>
 *   <caption>Meters bound for every pool</caption>
 *   <tr><th>name</th><th>type</th><th>base unit</th><th>value</th></tr>
 *   <tr><td>{@code zeropool.tasks.queued}</td><td>gauge</td><td>tasks</td>
 *       <td>tasks waiting in both priority tiers ({@link PoolStats#queuedTasks()})</td></tr>
 *   <tr><td>{@code zeropool.workers.busy}</td><td>gauge</td><td>threads</td>
 *       <td>live workers not on the idle list ({@link PoolStats#busyWorkers()})</td></tr>
 *   <tr><td>{@code zeropool.workers.parked}</td><td>gauge</td><td>threads</td>
 *       <td>workers on the idle list, parked or about to park ({@link PoolStats#parkedWorkers()})</td></tr>
 *   <tr><td>{@code zeropool.workers}</td><td>gauge</td><td>threads</td>
 *       <td>the pool's fixed worker count ({@link ZeroPool#workerCount()})</td></tr>
 *   <tr><td>{@code zeropool.wakeups}</td><td>function counter</td><td>wakeups</td>
 *       <td>idle workers unparked by a submission or by the wake-up cascade ({@link PoolStats#wakeUps()})</td></tr>
 * </table>
 *
 * <table>
 *   <caption>Meters bound only when the pool counts tasks (a {@link PoolCounters} is installed)</caption>
 *   <tr><th>name</th><th>type</th><th>base unit</th><th>value</th></tr>
 *   <tr><td>{@code zeropool.tasks.submitted}</td><td>function counter</td><td>tasks</td>
 *       <td>tasks accepted</td></tr>
 *   <tr><td>{@code zeropool.tasks.completed}</td><td>function counter</td><td>tasks</td>
 *       <td>tasks that ran and returned normally</td></tr>
 *   <tr><td>{@code zeropool.tasks.failed}</td><td>function counter</td><td>tasks</td>
 *       <td>tasks that threw</td></tr>
 *   <tr><td>{@code zeropool.tasks.cancelled}</td><td>function counter</td><td>tasks</td>
 *       <td>tasks skipped by cancellation, or handed back by {@code shutdownNow} or a missed
 *       {@code shutdownGracefully} deadline</td></tr>
 *   <tr><td>{@code zeropool.tasks.rejected}</td><td>function counter</td><td>tasks</td>
 *       <td>tasks refused because the pool was shut down</td></tr>
 * </table>
 *
 * <p>Whether the pool counts tasks is decided once, in {@link #bindTo(MeterRegistry)}: a pool built
 * without a {@link PoolCounters} reports {@code -1} for every count, and publishing that as a counter
 * would be wrong, so those five meters are left out. Tasks accepted but not yet finished are
 * {@code submitted - completed - failed - cancelled}.
 *
 * <p>Like Micrometer's own binders, the meters hold the pool weakly: they do not keep a discarded
 * pool reachable. Once the pool object is garbage collected, gauges read {@code NaN} and counters keep
 * their last value.
 */
public final class ZeroPoolMetrics implements MeterBinder {

  /** The prefix of every meter name. */
  static final String PREFIX = "zeropool.";

  private final ZeroPool pool;
  private final Tags tags;

  /**
   * Prepares the meters of one pool; nothing is registered until {@link #bindTo(MeterRegistry)}.
   *
   * <pre>{@code
   * MeterBinder binder = new ZeroPoolMetrics(pool, "ingest", List.of(Tag.of("tier", "cpu")));
   * binder.bindTo(registry);
   * }</pre>
   *
   * @param pool the pool to observe
   * @param poolName the value of the {@code name} tag that tells this pool's meters apart
   * @param tags further tags for every meter (for example {@code Tags.empty()})
   * @throws NullPointerException if an argument is null
   */
  public ZeroPoolMetrics(ZeroPool pool, String poolName, Iterable<Tag> tags) {
    this.pool = Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(poolName, "poolName");
    this.tags = Tags.concat(Objects.requireNonNull(tags, "tags"), "name", poolName);
  }

  /**
   * Binds {@code pool}'s meters to {@code registry} under {@code name} and returns the same pool, so a
   * pool can be created, observed and stored in one expression.
   *
   * <pre>{@code
   * ExecutorService executor = ZeroPoolMetrics.monitor(registry, ZeroPool.create(), "requests", Tag.of("app", "shop"));
   * }</pre>
   *
   * @param registry where the meters go
   * @param pool the pool to observe
   * @param name the value of the {@code name} tag
   * @param tags further tags for every meter
   * @return {@code pool}
   * @throws NullPointerException if an argument is null
   */
  public static ZeroPool monitor(MeterRegistry registry, ZeroPool pool, String name, Tag... tags) {
    Objects.requireNonNull(registry, "registry");
    new ZeroPoolMetrics(pool, name, Tags.of(Objects.requireNonNull(tags, "tags"))).bindTo(registry);
    return pool;
  }

  /**
   * Registers this pool's meters (see the class comment for the list). Binding the same pool and tags
   * to a registry twice is harmless: the registry returns the meters it already has.
   *
   * <pre>{@code
   * new ZeroPoolMetrics(pool, "render", Tags.empty()).bindTo(registry);
   * double queued = registry.get("zeropool.tasks.queued").tag("name", "render").gauge().value();
   * }</pre>
   *
   * @param registry where the meters go
   */
  @Override
  public void bindTo(MeterRegistry registry) {
    gauge(registry, "tasks.queued", BaseUnits.TASKS, "Tasks waiting in the pool's queues",
        p -> p.stats().queuedTasks());
    gauge(registry, "workers.busy", BaseUnits.THREADS, "Workers not on the idle list",
        p -> p.stats().busyWorkers());
    gauge(registry, "workers.parked", BaseUnits.THREADS, "Workers on the idle list, parked or about to park",
        p -> p.stats().parkedWorkers());
    gauge(registry, "workers", BaseUnits.THREADS, "The pool's fixed number of workers",
        ZeroPool::workerCount);
    counter(registry, "wakeups", "wakeups", "Idle workers unparked to run new work",
        p -> p.stats().wakeUps());

    if (pool.stats().submitted() < 0) {
      return; // no PoolCounters: the pool does not count tasks
    }
    counter(registry, "tasks.submitted", BaseUnits.TASKS, "Tasks accepted by the pool",
        p -> p.stats().submitted());
    counter(registry, "tasks.completed", BaseUnits.TASKS, "Tasks that ran and returned normally",
        p -> p.stats().completed());
    counter(registry, "tasks.failed", BaseUnits.TASKS, "Tasks that threw",
        p -> p.stats().failed());
    counter(registry, "tasks.cancelled", BaseUnits.TASKS,
        "Tasks skipped by cancellation or handed back at shutdown", p -> p.stats().cancelled());
    counter(registry, "tasks.rejected", BaseUnits.TASKS, "Tasks refused because the pool was shut down",
        p -> p.stats().rejected());
  }

  private void gauge(MeterRegistry registry, String name, String unit, String description,
      ToLongFunction<ZeroPool> value) {
    Gauge.builder(PREFIX + name, pool, p -> value.applyAsLong(p))
        .tags(tags)
        .baseUnit(unit)
        .description(description)
        .register(registry);
  }

  private void counter(MeterRegistry registry, String name, String unit, String description,
      ToLongFunction<ZeroPool> count) {
    FunctionCounter.builder(PREFIX + name, pool, p -> count.applyAsLong(p))
        .tags(tags)
        .baseUnit(unit)
        .description(description)
        .register(registry);
  }
}
