package dev.zeropool.micrometer;

import dev.zeropool.pinned.PinnedPool;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;

/**
 * Publishes a {@link PinnedPool}'s per-thread gauges to a Micrometer {@link MeterRegistry}: how many
 * messages wait in each pinned thread's inbox, and how many items live on each thread. Every gauge
 * reads the pool ({@link PinnedPool#inboxDepths()}, {@link PinnedPool#itemCounts()}) when the registry
 * asks for it, so binding adds nothing to the pool's hot paths.
 *
 * <pre>{@code
 * PinnedPool<Session> sessions = PinnedPool.create(8);
 * new PinnedPoolMetrics(sessions, "sessions", Tags.empty()).bindTo(registry);
 * // alert when one thread's inbox stays deep while the others are empty: a slow or hot item
 * }</pre>
 *
 * <h2>Meters</h2>
 * Every meter carries the tag {@code name=<poolName>} plus the tags given to the constructor; the
 * per-thread gauges also carry {@code thread=<index>} (0 to {@code threadCount() - 1}).
 * <table>
 *   <caption>Meters bound for every pinned pool</caption>
 *   <tr><th>name</th><th>type</th><th>base unit</th><th>value</th></tr>
 *   <tr><td>{@code zeropool.pinned.inbox.depth}</td><td>gauge per thread</td><td>messages</td>
 *       <td>messages waiting in that thread's inbox ({@link PinnedPool#inboxDepths()})</td></tr>
 *   <tr><td>{@code zeropool.pinned.items}</td><td>gauge per thread</td><td>items</td>
 *       <td>items living on that thread ({@link PinnedPool#itemCounts()})</td></tr>
 *   <tr><td>{@code zeropool.pinned.threads}</td><td>gauge</td><td>threads</td>
 *       <td>the pool's fixed thread count ({@link PinnedPool#threadCount()})</td></tr>
 * </table>
 *
 * <h2>Head-of-line blocking</h2>
 * A pinned thread runs one message at a time for all its items, so one slow message holds up the
 * rest (messaging_thread_pool's known weakness). The inbox-depth gauge shows it: one thread deep while
 * the others are near zero. The remedy is routing: give the hot or slow ids a thread of their own with
 * {@link PinnedPool.Builder#router}.
 *
 * <p>Like Micrometer's own binders, the gauges hold the pool weakly: they do not keep a discarded pool
 * reachable, and read {@code NaN} once it has been garbage collected.
 */
public final class PinnedPoolMetrics implements MeterBinder {

  /** The prefix of every meter name. */
  static final String PREFIX = "zeropool.pinned.";

  private final PinnedPool<?> pool;
  private final Tags tags;

  /**
   * Prepares the meters of one pinned pool; nothing is registered until {@link #bindTo(MeterRegistry)}.
   *
   * <pre>{@code
   * MeterBinder binder = new PinnedPoolMetrics(rooms, "chat", List.of(Tag.of("tier", "web")));
   * binder.bindTo(registry);
   * }</pre>
   *
   * @param pool the pool to observe
   * @param poolName the value of the {@code name} tag that tells this pool's meters apart
   * @param tags further tags for every meter (for example {@code Tags.empty()})
   * @throws NullPointerException if an argument is null
   */
  public PinnedPoolMetrics(PinnedPool<?> pool, String poolName, Iterable<Tag> tags) {
    this.pool = Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(poolName, "poolName");
    this.tags = Tags.concat(Objects.requireNonNull(tags, "tags"), "name", poolName);
  }

  /**
   * Binds {@code pool}'s meters to {@code registry} under {@code name} and returns the same pool, so a
   * pool can be created, observed and stored in one expression.
   *
   * <pre>{@code
   * PinnedPool<Room> rooms = PinnedPoolMetrics.monitor(registry, PinnedPool.create(4), "chat");
   * }</pre>
   *
   * @param registry where the meters go
   * @param pool the pool to observe
   * @param name the value of the {@code name} tag
   * @param tags further tags for every meter
   * @param <S> the pool's item type
   * @return {@code pool}
   * @throws NullPointerException if an argument is null
   */
  public static <S> PinnedPool<S> monitor(MeterRegistry registry, PinnedPool<S> pool, String name, Tag... tags) {
    Objects.requireNonNull(registry, "registry");
    new PinnedPoolMetrics(pool, name, Tags.of(Objects.requireNonNull(tags, "tags"))).bindTo(registry);
    return pool;
  }

  /**
   * Registers this pool's meters (see the class comment for the list). Binding the same pool and tags
   * to a registry twice is harmless: the registry returns the meters it already has.
   *
   * <pre>{@code
   * new PinnedPoolMetrics(rooms, "chat", Tags.empty()).bindTo(registry);
   * double waiting = registry.get("zeropool.pinned.inbox.depth").tags("name", "chat", "thread", "0").gauge().value();
   * }</pre>
   *
   * @param registry where the meters go
   */
  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder(PREFIX + "threads", pool, PinnedPool::threadCount)
        .tags(tags)
        .baseUnit(BaseUnits.THREADS)
        .description("The pinned pool's fixed number of threads")
        .register(registry);
    for (int i = 0; i < pool.threadCount(); i++) {
      int thread = i;
      Tags threadTags = tags.and("thread", Integer.toString(i));
      // One snapshot array per read: a scrape reads each gauge once, and the pool has no cheaper
      // single-thread accessor to keep in sync with these two.
      Gauge.builder(PREFIX + "inbox.depth", pool, p -> p.inboxDepths()[thread])
          .tags(threadTags)
          .baseUnit(BaseUnits.MESSAGES)
          .description("Messages waiting in one pinned thread's inbox; one deep inbox among empty ones "
              + "is a slow or hot item holding up its thread")
          .register(registry);
      Gauge.builder(PREFIX + "items", pool, p -> p.itemCounts()[thread])
          .tags(threadTags)
          .baseUnit("items")
          .description("Items living on one pinned thread")
          .register(registry);
    }
  }
}
