package dev.zeropool.benchmarks;

import dev.zeropool.pinned.ItemFn;
import dev.zeropool.pinned.PinnedPool;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import java.util.stream.LongStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Pinned items against the plain JDK way and kotlinx actors, on messaging_thread_pool's own workloads
 * and a tiny round trip. Lower is better.
 *
 * <ul>
 *   <li>{@code SUM_100} (messaging_thread_pool's {@code message_throughput}): 100 items, each holding
 *       {@value #NUMBERS} random {@code long}s seeded by its id; one operation sends one "sum" request
 *       to each item and waits for the 100 responses.</li>
 *   <li>{@code CREATE_1000} (its {@code element_creation}): one operation starts the threads, creates
 *       1000 such items (each fills its numbers on its own thread) and shuts everything down.</li>
 *   <li>{@code INCREMENT}: the messaging cost itself (round trip): one operation sends one counter
 *       increment to one of 100 items and waits for the reply.</li>
 *   <li>{@code INCREMENT_1000}: messaging throughput (messaging_thread_pool's {@code send_and_receive}
 *       of many requests): one operation sends {@value #IN_FLIGHT} increments round-robin to the 100
 *       items, all in flight at once, then waits for every reply.</li>
 * </ul>
 *
 * Three ways, same work: {@code pinnedPool} ({@link PinnedPool} with default settings, a static
 * {@link ItemFn} per request, the batch workloads sent with {@link PinnedPool#sendAll} as a pool user
 * would (one claim of inbox slots per thread per batch); {@code pinnedPoolNoSpin} is the same with a zero spin window, to show
 * what the window buys);
 * {@code threadPoolExecutors}, the JDK peer: one {@link Executors#newSingleThreadExecutor()} per thread,
 * each owning a {@code HashMap} of its items, {@link CompletableFuture#supplyAsync} per message;
 * {@code coroutineActors}: one kotlinx actor (a coroutine reading its own {@code Channel}) per item on
 * {@code Dispatchers.Default} ({@link CoroutineActors}). All use {@code workers} threads (0 = one per
 * available processor; kotlinx's {@code Dispatchers.Default} always has one per processor). Replies are
 * boxed {@code Long}s everywhere.
 *
 * <p>Latest results (short runs on a shared 2-core VM, JDK 17, workers = 2, GC profiler; the
 * commands, every figure with its error, and what they mean are in {@code docs/benchmarks.md},
 * "PinnedBenchmark"), as the ratio to {@code threadPoolExecutors} measured in the same run, median
 * of three runs, with {@code sendAll} and the 50 µs default spin window:
 * round trip ({@code INCREMENT}) 0.22, vs coroutineActors 0.21 (about 2.8 µs);
 * throughput ({@code INCREMENT_1000}) 0.24, vs coroutineActors 0.15; {@code SUM_100} 0.71. A message
 * allocates its future and nothing else: 66 B per message in {@code INCREMENT_1000} with the boxed
 * reply and {@code sendAll}'s per-call arrays, against 141 B for the JDK way.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class PinnedBenchmark {

  /** Random numbers per item. */
  public static final int NUMBERS = 10_000;
  /** Items in {@code SUM_100} and {@code INCREMENT}. */
  public static final int ITEMS = 100;
  /** Increments in flight per {@code INCREMENT_1000} operation. */
  public static final int IN_FLIGHT = 1000;
  /** Items created per {@code CREATE_1000} operation. */
  public static final int CREATED = 1000;

  /** The measured workload. */
  public enum Workload { SUM_100, CREATE_1000, INCREMENT, INCREMENT_1000 }

  /** One item: its numbers (filled on the thread that creates it) and a counter. */
  public static final class Item {
    final long[] numbers = new long[NUMBERS];
    long counter;

    Item(long id) {
      SplittableRandom random = new SplittableRandom(id);
      for (int i = 0; i < numbers.length; i++) {
        numbers[i] = random.nextLong();
      }
    }

    long sum() {
      long s = 0;
      for (long n : numbers) {
        s += n;
      }
      return s;
    }
  }

  static final ItemFn<Item, Void, Long> SUM = (item, unused) -> item.sum();
  static final ItemFn<Item, Void, Long> INCREMENT = (item, unused) -> ++item.counter;
  static final ToLongFunction<Item> SUM_FN = Item::sum;
  static final ToLongFunction<Item> INCREMENT_FN = item -> ++item.counter;

  /** Worker threads in every system; 0 means one per available processor. */
  @Param({"0"})
  public int workers;

  /** What one operation does. */
  @Param({"SUM_100", "CREATE_1000", "INCREMENT", "INCREMENT_1000"})
  public Workload workload;

  private int threads;
  private PinnedPool<Item> pinned;
  private PinnedPool<Item> pinnedNoSpin;
  private ExecutorItems executors;
  private CoroutineActors<Item> actors;
  @SuppressWarnings("unchecked")
  private final CompletableFuture<Long>[] replies = new CompletableFuture[ITEMS];
  @SuppressWarnings("unchecked")
  private final CompletableFuture<Long>[] inFlight = new CompletableFuture[IN_FLIGHT];
  private long next;

  /** The JDK peer: single-thread executors, each owning a {@code HashMap} of the items routed to it. */
  static final class ExecutorItems implements AutoCloseable {
    final ExecutorService[] executors;
    final HashMap<Long, Item>[] items;

    @SuppressWarnings("unchecked")
    ExecutorItems(int threads) {
      executors = new ExecutorService[threads];
      items = new HashMap[threads];
      for (int i = 0; i < threads; i++) {
        executors[i] = Executors.newSingleThreadExecutor();
        items[i] = new HashMap<>();
      }
    }

    CompletableFuture<Void> add(long id) {
      int i = (int) Math.floorMod(id, (long) executors.length);
      return CompletableFuture.runAsync(() -> items[i].put(id, new Item(id)), executors[i]);
    }

    CompletableFuture<Long> send(long id, Function<Item, Long> fn) {
      int i = (int) Math.floorMod(id, (long) executors.length);
      return CompletableFuture.supplyAsync(() -> fn.apply(items[i].get(id)), executors[i]);
    }

    @Override
    public void close() {
      for (ExecutorService e : executors) {
        e.shutdown();
      }
      try {
        for (ExecutorService e : executors) {
          if (!e.awaitTermination(1, TimeUnit.MINUTES)) {
            throw new IllegalStateException("an executor did not end");
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** The batches as {@link PinnedPool#sendAll} takes them: ids, and one (unused) parameter per id. */
  private static final long[] SUM_IDS = LongStream.range(0, ITEMS).toArray();
  private static final List<Void> SUM_PARAMS = Collections.nCopies(ITEMS, null);
  private static final long[] IN_FLIGHT_IDS = LongStream.range(0, IN_FLIGHT).map(i -> i % ITEMS).toArray();
  private static final List<Void> IN_FLIGHT_PARAMS = Collections.nCopies(IN_FLIGHT, null);

  private static final Function<Item, Long> SUM_JDK = Item::sum;
  private static final Function<Item, Long> INCREMENT_JDK = item -> ++item.counter;

  /** Starts the three systems with {@value #ITEMS} items each (not for {@code CREATE_1000}, which starts its own). */
  @Setup(Level.Trial)
  public void setUp() {
    threads = workers > 0 ? workers : Runtime.getRuntime().availableProcessors();
    if (workload == Workload.CREATE_1000) {
      return;
    }
    pinned = PinnedPool.<Item>builder().threads(threads).daemon(true).build();
    pinnedNoSpin = PinnedPool.<Item>builder().threads(threads).daemon(true).spinWindow(Duration.ZERO).build();
    executors = new ExecutorItems(threads);
    actors = new CoroutineActors<>();
    for (long id = 0; id < ITEMS; id++) {
      long seed = id;
      pinned.add(id, () -> new Item(seed)).join();
      pinnedNoSpin.add(id, () -> new Item(seed)).join();
      executors.add(id).join();
      actors.add(id, () -> new Item(seed)).join();
    }
  }

  /** Ends the three systems. */
  @TearDown(Level.Trial)
  public void tearDown() {
    if (pinned != null) {
      pinned.close();
      pinnedNoSpin.close();
      executors.close();
      actors.close();
    }
  }

  /** {@link PinnedPool} with default settings. */
  @Benchmark
  public long pinnedPool() {
    return pinned(pinned, null);
  }

  /** {@link PinnedPool} without a spin window: threads and waiters park at once. */
  @Benchmark
  public long pinnedPoolNoSpin() {
    return pinned(pinnedNoSpin, Duration.ZERO);
  }

  private long pinned(PinnedPool<Item> pinned, Duration spinWindow) {
    switch (workload) {
      case SUM_100:
        return joinAll(pinned.sendAll(SUM_IDS, SUM, SUM_PARAMS));
      case INCREMENT_1000:
        return joinAll(pinned.sendAll(IN_FLIGHT_IDS, INCREMENT, IN_FLIGHT_PARAMS));
      case CREATE_1000:
        PinnedPool.Builder<Item> builder = PinnedPool.<Item>builder().threads(threads).daemon(true);
        if (spinWindow != null) {
          builder.spinWindow(spinWindow);
        }
        try (PinnedPool<Item> pool = builder.build()) {
          for (long id = 0; id < CREATED; id++) {
            long seed = id;
            pool.add(id, () -> new Item(seed));
          }
        } // close() runs every add first
        return CREATED;
      default:
        return pinned.send(next++ % ITEMS, INCREMENT, null).join();
    }
  }

  /** The JDK peer: single-thread executors with a {@code HashMap} each, {@code supplyAsync} per message. */
  @Benchmark
  public long threadPoolExecutors() {
    switch (workload) {
      case SUM_100:
        for (int id = 0; id < ITEMS; id++) {
          replies[id] = executors.send(id, SUM_JDK);
        }
        return joinAll();
      case INCREMENT_1000:
        for (int i = 0; i < IN_FLIGHT; i++) {
          inFlight[i] = executors.send(i % ITEMS, INCREMENT_JDK);
        }
        return joinInFlight();
      case CREATE_1000:
        try (ExecutorItems pool = new ExecutorItems(threads)) {
          for (long id = 0; id < CREATED; id++) {
            pool.add(id);
          }
        } // close() runs every add first
        return CREATED;
      default:
        return executors.send(next++ % ITEMS, INCREMENT_JDK).join();
    }
  }

  /** kotlinx actors: one coroutine with its own {@code Channel} per item on {@code Dispatchers.Default}. */
  @Benchmark
  public long coroutineActors() {
    switch (workload) {
      case SUM_100:
        for (int id = 0; id < ITEMS; id++) {
          replies[id] = actors.send(id, SUM_FN);
        }
        return joinAll();
      case INCREMENT_1000:
        for (int i = 0; i < IN_FLIGHT; i++) {
          inFlight[i] = actors.send(i % ITEMS, INCREMENT_FN);
        }
        return joinInFlight();
      case CREATE_1000:
        try (CoroutineActors<Item> pool = new CoroutineActors<>()) {
          for (long id = 0; id < CREATED; id++) {
            long seed = id;
            pool.add(id, () -> new Item(seed));
          }
        } // close() drains every actor first
        return CREATED;
      default:
        return actors.send(next++ % ITEMS, INCREMENT_FN).join();
    }
  }

  private static long joinAll(List<CompletableFuture<Long>> all) {
    long total = 0;
    for (CompletableFuture<Long> r : all) {
      total += r.join();
    }
    return total;
  }

  private long joinInFlight() {
    long total = 0;
    for (CompletableFuture<Long> r : inFlight) {
      total += r.join();
    }
    return total;
  }

  private long joinAll() {
    long total = 0;
    for (CompletableFuture<Long> r : replies) {
      total += r.join();
    }
    return total;
  }
}
