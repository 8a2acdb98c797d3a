package dev.zeropool.benchmarks;

import dev.zeropool.ZeroPool;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import kotlinx.coroutines.CoroutineDispatcher;
import kotlinx.coroutines.Dispatchers;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Coroutines on ZeroPool's dispatcher ({@code ZeroPool.asCoroutineDispatcher()}) against kotlinx's
 * {@code Dispatchers.Default}, {@code Executors.newFixedThreadPool(n).asCoroutineDispatcher()} and
 * {@code ForkJoinPool(n).asCoroutineDispatcher()}. The workloads are Kotlin, in {@link CoroutineWorkloads};
 * each benchmark call is one {@code runBlocking} from the benchmark thread. Scores are per coroutine,
 * message, yield or round trip ({@link OperationsPerInvocation}), and so is <em>alloc</em>. Lower is better.
 *
 * <ul>
 *   <li>{@code launchAndJoin}: a coroutine on the dispatcher launches {@value #LAUNCHES} empty coroutines
 *       and waits for them; score per coroutine (throughput).</li>
 *   <li>{@code pingPong}: two coroutines exchange {@value #PING_PONG_ROUNDS} round trips over two rendezvous
 *       channels; score per round (two hand-offs).</li>
 *   <li>{@code yieldLoops}: {@value #YIELD_COROUTINES} coroutines each call {@code yield()}
 *       {@value #YIELDS} times; score per yield.</li>
 *   <li>{@code withContextRoundTrips}: the {@code runBlocking} thread switches to the dispatcher and back
 *       {@value #ROUND_TRIPS} times in sequence; score per round trip (latency).</li>
 * </ul>
 *
 * The three pool-backed dispatchers get {@link #WORKERS} threads, the size of {@code Dispatchers.Default}'s
 * core pool (one per processor, at least 2), which is used as it is.
 *
 * <p>Latest results, quick mode (1 fork, 3 × 200 ms warm-up, 5 × 200 ms measurement, GC profiler), 2-core shared VM,
 * JDK 17, workers = 2; indicative only (load average ~1.7 from other builds, hence the wide error bars).
 * No JDK-peer ratio: the dispatcher is a parameter, not a method.
 * <pre>
 * | workload | pool | score (ns/op) | ± error | vs best JDK peer | alloc (B/op) |
 * |---|---|---:|---:|---:|---:|
 * | dispatcher=zeropool | yieldLoops | 99.6 | 88.3 | – | 2.7 |
 * | dispatcher=zeropool | launchAndJoin | 627 | 487 | – | 221 |
 * | dispatcher=zeropool | pingPong | 3,683 | 10,853 | – | 55.0 |
 * | dispatcher=zeropool | withContextRoundTrips | 67,245 | 65,400 | – | 249 |
 * | dispatcher=default | yieldLoops | 195 | 468 | – | 2.8 |
 * | dispatcher=default | launchAndJoin | 830 | 1,039 | – | 211 |
 * | dispatcher=default | pingPong | 1,635 | 6,748 | – | 54.7 |
 * | dispatcher=default | withContextRoundTrips | 50,567 | 56,664 | – | 226 |
 * | dispatcher=fixed | yieldLoops | 179 | 232 | – | 29.4 |
 * | dispatcher=fixed | launchAndJoin | 923 | 747 | – | 237 |
 * | dispatcher=fixed | pingPong | 6,540 | 15,567 | – | 108 |
 * | dispatcher=fixed | withContextRoundTrips | 46,270 | 65,225 | – | 282 |
 * | dispatcher=forkjoin | yieldLoops | 44.7 | 45.8 | – | 26.7 |
 * | dispatcher=forkjoin | launchAndJoin | 669 | 872 | – | 221 |
 * | dispatcher=forkjoin | pingPong | 719 | 401 | – | 103 |
 * | dispatcher=forkjoin | withContextRoundTrips | 80,444 | 68,754 | – | 291 |
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class CoroutineDispatcherBenchmark {

  /** Worker threads of the pool-backed dispatchers: as many as {@code Dispatchers.Default} runs. */
  public static final int WORKERS = Math.max(2, Runtime.getRuntime().availableProcessors());

  /** Coroutines launched per {@code launchAndJoin} call. */
  public static final int LAUNCHES = 100_000;

  /** Round trips per {@code pingPong} call. */
  public static final int PING_PONG_ROUNDS = 1_000;

  /** Coroutines per {@code yieldLoops} call. */
  public static final int YIELD_COROUTINES = 100;

  /** {@code yield()} calls per coroutine of {@code yieldLoops}. */
  public static final int YIELDS = 100;

  /** {@code withContext} switches per {@code withContextRoundTrips} call. */
  public static final int ROUND_TRIPS = 1_000;

  /** The dispatcher under test. */
  @Param({"zeropool", "default", "fixed", "forkjoin"})
  public String dispatcher;

  private ExecutorService pool;
  private CoroutineDispatcher coroutineDispatcher;

  /** Creates the pool (none for {@code default}) and its dispatcher. */
  @Setup(Level.Trial)
  public void setUp() {
    switch (dispatcher) {
      case "zeropool" -> {
        ZeroPool zeroPool = ZeroPool.create(WORKERS);
        pool = zeroPool;
        coroutineDispatcher = CoroutineWorkloads.dispatcherOnZeroPool(zeroPool);
      }
      case "default" -> coroutineDispatcher = Dispatchers.getDefault();
      case "fixed" -> {
        pool = Executors.newFixedThreadPool(WORKERS);
        coroutineDispatcher = CoroutineWorkloads.dispatcherOnExecutor(pool);
      }
      case "forkjoin" -> {
        pool = new ForkJoinPool(WORKERS);
        coroutineDispatcher = CoroutineWorkloads.dispatcherOnExecutor(pool);
      }
      default -> throw new IllegalArgumentException("unknown dispatcher " + dispatcher);
    }
  }

  /** Shuts the pool down ({@code Dispatchers.Default} is shared and stays). */
  @TearDown(Level.Trial)
  public void tearDown() {
    Pools.close(pool);
  }

  /** Launch {@value #LAUNCHES} coroutines and join them; per coroutine. */
  @Benchmark
  @OperationsPerInvocation(LAUNCHES)
  public int launchAndJoin() {
    return CoroutineWorkloads.launchAndJoin(coroutineDispatcher, LAUNCHES);
  }

  /** Channel ping-pong between two coroutines; per round trip. */
  @Benchmark
  @OperationsPerInvocation(PING_PONG_ROUNDS)
  public long pingPong() {
    return CoroutineWorkloads.pingPong(coroutineDispatcher, PING_PONG_ROUNDS);
  }

  /** Coroutines taking turns with {@code yield()}; per yield. */
  @Benchmark
  @OperationsPerInvocation(YIELD_COROUTINES * YIELDS)
  public long yieldLoops() {
    return CoroutineWorkloads.yieldLoops(coroutineDispatcher, YIELD_COROUTINES, YIELDS);
  }

  /** {@code withContext(dispatcher)} from the {@code runBlocking} thread and back; per round trip. */
  @Benchmark
  @OperationsPerInvocation(ROUND_TRIPS)
  public long withContextRoundTrips() {
    return CoroutineWorkloads.withContextRoundTrips(coroutineDispatcher, ROUND_TRIPS);
  }
}
